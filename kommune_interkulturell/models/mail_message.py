from odoo import api, models
from odoo.fields import Domain

# Messages written by people or received from them. Outgoing mass mailings
# ('email_outgoing') and system notifications are not a dialogue.
DIALOGUE_MESSAGE_TYPES = ("comment", "email")


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _kommune_dialogue_subtype_ids(self):
        return [
            self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
        ]

    @api.model
    def _kommune_dialogue_domain(self):
        """Messages that count as contact for the continuous dialogue: a logged note
        (e.g. a call), a message or an e-mail, and any done activity. Tracking values,
        meeting logs and posted minutes carry other subtypes and do not count: they
        record what happened, they are not a new contact."""
        return Domain("mail_activity_type_id", "!=", False) | (
            Domain("message_type", "in", DIALOGUE_MESSAGE_TYPES)
            & Domain("subtype_id", "in", self._kommune_dialogue_subtype_ids())
        )

    def _kommune_is_dialogue(self):
        """Same test as :meth:`_kommune_dialogue_domain`, on one message in memory."""
        self.ensure_one()
        if self.mail_activity_type_id:
            return True
        return (
            self.message_type in DIALOGUE_MESSAGE_TYPES
            and self.subtype_id.id in self._kommune_dialogue_subtype_ids()
        )
