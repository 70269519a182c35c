from odoo.addons.kommune_interkulturell.tests.common_public import CSRF_RE, PublicPagesCommon
from odoo.tests import tagged

from .common_portal import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalCatalogue(PortalCommon, PublicPagesCommon):
    """The public training catalogue without login: only published open trainings,
    filters, friendly 4xx pages, and registration through the app's double opt-in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Visitors without a known language read German, the network's language.
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.training.is_catalogue_published = True
        cls.hidden = cls.training.copy({"name": "Portal Interne Schulung"})
        cls.env["kommune.training.session"].create(
            {
                "training_id": cls.hidden.id,
                "start": "2031-04-01 08:00:00",
                "stop": "2031-04-01 10:00:00",
            }
        )
        cls.district = cls.env.ref("kommune_interkulturell.district_berlin_mitte")
        cls.training.district_id = cls.district

    def register(self, data):
        url = f"/kommune/schulungen/{self.training.id}"
        token = CSRF_RE.search(self.get(url).text).group(1)
        return self.url_open(f"{url}/register", data={"csrf_token": token, **data})

    def test_catalogue_shows_published_open_trainings_only(self):
        with self.one_window():
            page = self.get("/kommune/schulungen")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Portal Fördermittel beantragen", page.text)
        self.assertIn("0 von 2 Plätzen frei", page.text, "German, the network's language")
        self.assertNotIn("Portal Interne Schulung", page.text, "not published")
        self.assertNotIn("Aylin", page.text, "no participant on a public page")
        self.training.stage_id = self.env.ref("kommune_interkulturell.training_stage_cancelled")
        with self.one_window():
            self.assertNotIn("Portal Fördermittel", self.get("/kommune/schulungen").text)

    def test_filters(self):
        other = self.env.ref("kommune_interkulturell.district_berlin_spandau")
        with self.one_window():
            match = self.get(f"/kommune/schulungen?district={self.district.id}")
            no_match = self.get(f"/kommune/schulungen?district={other.id}")
            self.assertIn("Portal Fördermittel", match.text)
            self.assertNotIn("Portal Fördermittel", no_match.text)
            topic = self.training.topic_id.id
            self.assertIn(
                "Portal Fördermittel", self.get(f"/kommune/schulungen?topic={topic}").text
            )
            self.assertFriendly(self.get("/kommune/schulungen?topic=1%20OR%201=1"), 400)
            # A superscript two is a digit to Python, not a number to int().
            self.assertFriendly(self.get("/kommune/schulungen?topic=%C2%B2"), 400)

    def test_unpublished_or_unknown_training_is_404(self):
        with self.one_window():
            for training_id in (self.hidden.id, 999999999):
                self.assertFriendly(self.get(f"/kommune/schulungen/{training_id}"), 404)
            self.assertEqual(self.get(f"/kommune/schulungen/{self.training.id}").status_code, 200)

    def test_register_with_double_opt_in(self):
        with self.one_window():
            response = self.register(
                {"name": "Nour Neu", "email": "nour.neu@example.org", "consent": "1"}
            )
        self.assertIn("o_kommune_catalogue_done", response.text)
        partner = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("email", "=", "nour.neu@example.org")])
        )
        self.assertFalse(partner.active, "archived until confirmed")
        consent = self.env["kommune.consent"].search([("partner_id", "=", partner.id)])
        self.assertEqual(consent.state, "pending")
        self.assertEqual(consent.catalogue_training_id, self.training)
        self.assertFalse(partner.training_registration_ids, "no registration before the link")
        mail = self.env["mail.mail"].search(
            [("model", "=", "kommune.consent"), ("res_id", "=", consent.id)]
        )
        token = consent._get_confirmation_token()
        self.assertIn(token, mail.body_html)
        with self.one_window():
            page = self.get(f"/kommune/subscribe/confirm/{token}")
            self.assertIn("Meine Anmeldung bestätigen", page.text)
            confirmed = self.post(f"/kommune/subscribe/confirm/{token}", "")
        self.assertIn("o_kommune_catalogue_confirmed", confirmed.text)
        self.env.invalidate_all()
        self.assertTrue(partner.active)
        registration = partner.training_registration_ids
        self.assertEqual(registration.training_id, self.training)
        self.assertEqual(registration.state, "waitlist", "two seats, both taken")
        self.assertEqual(registration.source, "web")
        self.assertTrue(registration.consent)

    def test_known_address_same_answer_nothing_written(self):
        partner = self.user_a.partner_id
        before = (partner.name, self.reg_a.state, len(self.env["kommune.consent"].search([])))
        with self.one_window():
            response = self.register(
                {"name": "Someone Else", "email": partner.email, "consent": "1"}
            )
        self.assertIn("o_kommune_catalogue_done", response.text)
        self.env.invalidate_all()
        after = (partner.name, self.reg_a.state, len(self.env["kommune.consent"].search([])))
        self.assertEqual(before, after)

    def test_form_errors_create_nothing(self):
        count = self.env["res.partner"].with_context(active_test=False).search_count([])
        with self.one_window():
            no_consent = self.register({"name": "Nour", "email": "nour2@example.org"})
            bad_mail = self.register({"name": "Nour", "email": "not-an-address", "consent": "1"})
        self.assertEqual(no_consent.status_code, 400)
        self.assertIn("nur mit Ihrer Einwilligung", no_consent.text)
        self.assertEqual(bad_mail.status_code, 400)
        self.assertEqual(
            self.env["res.partner"].with_context(active_test=False).search_count([]), count
        )

    def test_both_languages(self):
        with self.one_window():
            german = self.get("/kommune/schulungen", lang="de-DE")
            english = self.get("/kommune/schulungen", lang="en-US")
        self.assertIn("Schulungen für Migrantenorganisationen", german.text)
        self.assertIn("Trainings for migrant organisations", english.text)

    def test_stranger_pending_registration_blocks_nobody(self):
        """A stranger who registers a known address in the catalogue (the person has no
        consent to training administration yet) leaves only a request awaiting its
        owner's confirmation: staff still register the person with their consent, and
        that consent takes the request's place."""
        person = self.env["res.partner"].create(
            {"name": "Petra Known", "email": "petra.known@example.org"}
        )
        with self.one_window():
            self.register({"name": "Stranger", "email": "petra.known@example.org", "consent": "1"})
        Consent = self.env["kommune.consent"].with_context(active_test=False)
        pending = Consent.search([("partner_id", "=", person.id)])
        self.assertEqual(pending.state, "pending")
        registration = self.training.with_user(self.staff)._register_participant(
            person, consent=True
        )
        self.assertTrue(registration._has_consent_in_force())
        consents = Consent.search([("partner_id", "=", person.id)])
        self.assertEqual(consents.mapped("state"), ["given"])
        self.assertNotIn(pending, consents.exists())
