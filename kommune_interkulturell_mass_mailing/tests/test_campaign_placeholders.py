from odoo.service.model import call_kw
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCampaignPlaceholders(TransactionCase):
    def test_placeholder_fields_over_rpc(self):
        """What the dynamic placeholder popover of mail templates asks the server."""
        expressions = call_kw(self.env["res.partner"], "mail_allowed_qweb_expressions", [], {})
        self.assertIn("object.name", expressions)
        self.assertIn(self.env["res.partner"].TRAINING_INVITATION_LINK_EXPRESSION, expressions)
