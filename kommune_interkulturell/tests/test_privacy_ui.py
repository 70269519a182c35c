from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import KommuneTourCase


@tagged("post_install", "-at_install")
class TestPrivacyUi(KommuneTourCase):
    def test_privacy_tour(self):
        """A German-speaking Manager previews a retention rule, withdraws a consent of a
        person it lists, opens the subject access and approves the rule."""
        env = self.env
        env["res.lang"]._activate_lang("de_DE")
        env["res.users"].create(
            {
                "name": "Privacy Tour Manager",
                "login": "ki_privacy_tour",
                "password": "ki_privacy_tour",
                "lang": "de_DE",
                "group_ids": [(6, 0, env.ref("kommune_interkulturell.group_kommune_manager").ids)],
            }
        )
        long_ago = fields.Datetime.now() - relativedelta(years=5)
        person = env["res.partner"].create({"name": "Tour Inaktive Person"})
        env["kommune.consent"].create(
            {
                "partner_id": person.id,
                "purpose_id": env.ref("kommune_interkulturell.consent_purpose_invitation").id,
                "date_given": long_ago,
            }
        )
        # Nothing has happened with the person for five years.
        env.flush_all()
        self.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id = %s", [long_ago, person.id]
        )
        env.invalidate_all()
        rule = env["kommune.retention.rule"].create({"name": "Tour-Regel", "period_months": 36})
        self.start_tour("/odoo", "kommune_privacy_tour", login="ki_privacy_tour")
        self.assertEqual(rule.state, "approved")
        self.assertEqual(person.kommune_consent_ids.state, "withdrawn")
        self.assertFalse(person.kommune_anonymized_date, "approving erases nobody by itself")
