import json
from datetime import datetime

from odoo.addons.kommune_interkulturell_portal.controllers.portal import EXPORTS_PER_HOUR
from odoo.tests import tagged

from .common_portal import PortalCommon
from .test_portal_participant import CSRF_RE


@tagged("post_install", "-at_install")
class TestPortalSelfService(PortalCommon):
    """A participant's consents and data on the portal: the same records and methods as
    staff use, logged the same way, never somebody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Purpose = cls.env["kommune.consent.purpose"]
        cls.purpose_training = Purpose._get_by_code("training")
        cls.purpose_invitation = Purpose._get_by_code("invitation")
        cls.purpose_funder = Purpose._get_by_code("funder_reporting")

    def decide(self, purpose, decision):
        page = self.url_open("/my/kommune/consents")
        token = CSRF_RE.search(page.text).group(1)
        return self.url_open(
            f"/my/kommune/consents/{purpose.id}/{decision}", data={"csrf_token": token}
        )

    def test_consents_page_shows_own_history_only(self):
        self.login(self.user_a)
        page = self.url_open("/my/kommune/consents")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.purpose_training.name, page.text)
        self.assertEqual(page.text.count('o_kommune_portal_consent"'), 1, "her one consent")
        self.assertIn("o_kommune_portal_withdraw", page.text)

    def test_consent_dates_in_berlin_time(self):
        # Without a time zone of her own, she reads the dates as in Berlin: given at
        # 00:30 on the 16th there, not 23:30 on the 15th (UTC).
        self.user_a.tz = False
        self.reg_a.consent_id.date_given = datetime(2026, 1, 15, 23, 30)
        self.login(self.user_a)
        page = self.url_open("/my/kommune/consents").text
        self.assertIn("01/16/2026", page)
        self.assertNotIn("01/15/2026", page)

    def test_withdraw_uses_the_apps_withdrawal(self):
        self.login(self.user_a)
        response = self.decide(self.purpose_training, "withdraw")
        self.assertIn("o_kommune_portal_withdrawn", response.text)
        self.env.invalidate_all()
        consent = self.reg_a.consent_id
        self.assertEqual(consent.state, "withdrawn")
        self.assertTrue(consent.date_withdrawn)
        self.assertFalse(self.reg_a.consent, "the registration lost its tick, as for staff")
        note = consent.message_ids.filtered(lambda m: "Withdrawn on the portal." in m.body)
        self.assertEqual(note.author_id, self.user_a.partner_id)
        # Nobody else's consent moved.
        self.assertEqual(self.reg_a2.consent_id.state, "given")
        self.assertEqual(self.reg_b.consent_id.state, "given")

    def test_give_records_a_new_consent(self):
        self.login(self.user_b)
        self.decide(self.purpose_invitation, "give")
        consent = self.env["kommune.consent"].search(
            [
                ("partner_id", "=", self.user_b.partner_id.id),
                ("purpose_id", "=", self.purpose_invitation.id),
            ]
        )
        self.assertEqual(consent.state, "given")
        self.assertEqual(consent.channel, "web")
        self.assertEqual(consent.legal_basis, "consent")
        # Twice is once.
        self.decide(self.purpose_invitation, "give")
        self.assertEqual(
            self.env["kommune.consent"].search_count(
                [
                    ("partner_id", "=", self.user_b.partner_id.id),
                    ("purpose_id", "=", self.purpose_invitation.id),
                ]
            ),
            1,
        )

    def test_no_consent_for_another_legal_basis_or_bad_input(self):
        self.login(self.user_a)
        Consent = self.env["kommune.consent"]
        before = Consent.search_count([])
        self.decide(self.purpose_funder, "give")
        page = self.url_open("/my/kommune/consents")
        token = CSRF_RE.search(page.text).group(1)
        for url in (
            f"/my/kommune/consents/{self.purpose_invitation.id}/delete",
            "/my/kommune/consents/999999/give",
        ):
            response = self.url_open(url, data={"csrf_token": token})
            self.assertEqual(response.status_code, 200)
        self.assertEqual(Consent.search_count([]), before)

    def test_legal_obligation_cannot_be_withdrawn(self):
        consent = self.env["kommune.consent"].create(
            {
                "partner_id": self.user_a.partner_id.id,
                "purpose_id": self.purpose_funder.id,
                "legal_basis": "legal_obligation",
            }
        )
        self.login(self.user_a)
        page = self.url_open("/my/kommune/consents")
        self.assertNotIn(f"/my/kommune/consents/{self.purpose_funder.id}/withdraw", page.text)
        self.decide(self.purpose_funder, "withdraw")
        self.env.invalidate_all()
        self.assertEqual(consent.state, "given")

    def export(self):
        page = self.url_open("/my/kommune/data")
        token = CSRF_RE.search(page.text).group(1)
        return self.url_open("/my/kommune/data/export.json", data={"csrf_token": token})

    def test_export_contains_own_data_and_is_logged(self):
        self.login(self.user_a)
        response = self.export()
        self.assertEqual(response.status_code, 200)
        document = json.loads(response.content)
        self.assertEqual(document["person_id"], self.user_a.partner_id.id)
        self.assertIn("Aylin Participant", response.text)
        self.assertNotIn("Arif", response.text)
        self.assertNotIn("Bintou", response.text)
        log = self.env["kommune.privacy.log"].search(
            [("partner_id", "=", self.user_a.partner_id.id), ("operation", "=", "access")]
        )
        self.assertEqual(log.user_id, self.user_a)
        self.assertTrue(self.env["privacy.log"].search([("execution_details", "ilike", "portal")]))

    def test_export_needs_a_form_and_is_limited(self):
        """The export writes two logs and reads every table: a link (a forged page, an
        image tag) must not trigger it in the person's name, and a script in their
        session must not fill the logs."""
        Log = self.env["kommune.privacy.log"]
        domain = [("partner_id", "=", self.user_a.partner_id.id), ("operation", "=", "access")]
        self.login(self.user_a)
        response = self.url_open("/my/kommune/data/export.json")
        self.assertNotIn("application/json", response.headers["Content-Type"])
        self.assertFalse(Log.search_count(domain), "a GET exports nothing")
        forged = self.url_open("/my/kommune/data/export.json", data={"csrf_token": "x"})
        self.assertEqual(forged.status_code, 400)
        self.assertFalse(Log.search_count(domain), "no export without the form's token")
        statuses = [self.export().status_code for _attempt in range(EXPORTS_PER_HOUR + 1)]
        self.assertEqual(statuses, [200] * EXPORTS_PER_HOUR + [429])
        self.assertEqual(Log.search_count(domain), EXPORTS_PER_HOUR)

    def test_export_needs_login(self):
        response = self.url_open("/my/kommune/data/export.json", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_save_contact_data_and_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.login(self.user_a)
        page = self.url_open("/my/kommune/data")
        token = CSRF_RE.search(page.text).group(1)
        self.url_open(
            "/my/kommune/data",
            data={
                "csrf_token": token,
                "phone": " 030  1234567\x00 ",
                "lang": "de_DE",
                "city": "B" * 500,
                "street": "Private Street 1",
                "email": "hijack@example.org",
            },
        )
        partner = self.user_a.partner_id
        self.env.invalidate_all()
        self.assertEqual(partner.phone, "030 1234567", "trimmed, no control character")
        self.assertEqual(partner.lang, "de_DE")
        # A person of an organisation shares its address (Odoo writes a contact's
        # address through to the organisation and the colleagues): not changed here.
        for contact in (partner, self.mo_a, self.user_a2.partner_id):
            self.assertNotEqual(contact.street, "Private Street 1", contact.name)
            self.assertFalse((contact.city or "").startswith("B"), contact.name)
        # Somebody without an organisation keeps an address of their own.
        partner.parent_id = False
        self.url_open(
            "/my/kommune/data", data={"csrf_token": token, "city": "B" * 500, "street": "S 1"}
        )
        self.env.invalidate_all()
        self.assertEqual(len(partner.city), 128)
        self.assertEqual(partner.street, "S 1")
        self.assertEqual(partner.email, "ki_portal_a@portal.example.org", "not a field here")
        self.url_open("/my/kommune/data", data={"csrf_token": token, "lang": "xx_XX"})
        self.env.invalidate_all()
        self.assertEqual(partner.lang, "de_DE", "an unknown language is ignored")
        # Persian is written with zero-width non-joiners: kept as typed, not a blank.
        self.url_open("/my/kommune/data", data={"csrf_token": token, "city": "\u200cخانه‌ها"})
        self.env.invalidate_all()
        self.assertEqual(partner.city, "خانه‌ها", "the joiner kept, the stray one dropped")
