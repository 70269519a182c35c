from odoo.addons.kommune_interkulturell.tests.common import KommuneTourCase
from odoo.tests import tagged

from .common import DevelopmentCheckCommon


@tagged("post_install", "-at_install")
class TestDevelopmentCheckUi(DevelopmentCheckCommon, KommuneTourCase):
    """In the browser: a project user sends the self-check from the organisation's
    form; the contact person answers it through the personal link, without login; the
    organisation then has its check."""

    def test_send_and_answer_a_self_check(self):
        Partner = self.env["res.partner"]
        organization = Partner.create(
            {
                "name": "Tour MO Brücke e.V.",
                "is_company": True,
                "organization_type_id": self.type_mo.id,
                "district_id": self.district_neukoelln.id,
            }
        )
        person = Partner.create(
            {
                "name": "Tour Amal Haddad",
                "parent_id": organization.id,
                "email": "amal@tour-bruecke.example.org",
                "lang": "en_US",
            }
        )
        without_consent = Partner.create(
            {
                "name": "Tour Otto Ohnezustimmung",
                "parent_id": organization.id,
                "email": "otto@tour-bruecke.example.org",
            }
        )
        self.env["kommune.consent"].create(
            {
                "partner_id": person.id,
                "purpose_id": self.env.ref("kommune_interkulturell.consent_purpose_invitation").id,
            }
        )
        self.start_tour(
            f"/odoo/res.partner/{organization.id}",
            "kommune_development_check_send_tour",
            login=self.user.login,
        )
        answer = self.env["survey.user_input"].search(
            [("kommune_organization_id", "=", organization.id)]
        )
        self.assertEqual(answer.partner_id, person)
        self.assertFalse(
            self.env["survey.user_input"].search([("partner_id", "=", without_consent.id)])
        )

        self.start_tour(answer.get_start_url(), "kommune_development_check_answer_tour")
        check = self.env["kommune.development.check"].search([("partner_id", "=", organization.id)])
        self.assertEqual(len(check), 1)
        self.assertEqual(check.respondent_id, person)
        self.assertEqual(check.answered_count, 7)
        self.assertEqual(check.score, 3.0)
        self.assertEqual(set(check.line_ids.mapped("score")), {3.0})
