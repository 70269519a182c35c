import re
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.addons.kommune_interkulturell.models.kommune_consent import CONFIRMATION_DAYS
from odoo.addons.kommune_interkulturell.tests.common_public import CSRF_RE, PublicPagesCommon
from odoo.tests import tagged

from .common_portal import PortalCommon

# The queries of a personal link's request, the person's registration looked up once
# (see test_link_pages_look_the_registration_up_once).
REQUEST_LINK_POST_QUERIES = 19
CONFIRMATION_LINK_GET_QUERIES = 10
CONFIRMATION_LINK_POST_QUERIES = 12


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

    def test_language_filter_and_what_a_training_shows(self):
        arabic = self.env.ref("kommune_interkulturell.language_ar")
        english = self.env.ref("kommune_interkulturell.language_en")
        self.training.language_ids = arabic
        with self.one_window():
            match = self.get(f"/kommune/schulungen?language={arabic.id}")
            no_match = self.get(f"/kommune/schulungen?language={english.id}")
            both = self.get(
                f"/kommune/schulungen?language={arabic.id}&district={self.district.id}"
                f"&topic={self.training.topic_id.id}"
            )
            detail = self.get(f"/kommune/schulungen/{self.training.id}")
        self.assertIn("Portal Fördermittel", match.text)
        self.assertNotIn("Portal Fördermittel", no_match.text)
        self.assertIn("Portal Fördermittel", both.text)
        # Title, format, district, language, the dates and the seats left.
        arabic_de = arabic.with_context(lang="de_DE").name
        for text in ("Seminarreihe", self.district.name, arabic_de, "2031", "von 2 Plätzen"):
            self.assertIn(text, detail.text)

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


@tagged("post_install", "-at_install")
class TestPortalCatalogueReturning(PortalCommon, PublicPagesCommon):
    """People the network knows already (a contact, a consent to training
    administration in force) register again through the catalogue: with a link mailed
    to their address, as new people do, without a second contact, and without the form
    showing, changing or planting anything of theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.training.is_catalogue_published = True
        cls.next_training = cls.training.copy(
            {"name": "Portal Vereinsrecht", "is_catalogue_published": True}
        )
        cls.env["kommune.training.session"].create(
            {
                "training_id": cls.next_training.id,
                "start": "2031-05-05 08:00:00",
                "stop": "2031-05-05 11:00:00",
            }
        )
        # Aylin took part before and consented: she comes back for the next training.
        cls.returning = cls.user_a.partner_id
        cls.consent = cls.reg_a.consent_id

    def register(self, data, training=None):
        url = f"/kommune/schulungen/{(training or self.next_training).id}"
        token = CSRF_RE.search(self.get(url).text).group(1)
        return self.url_open(f"{url}/register", data={"csrf_token": token, **data})

    def request_mails(self):
        return self.env["mail.mail"].search(
            [("model", "=", "kommune.consent"), ("res_id", "=", self.consent.id)]
        )

    def confirm_url(self, mail):
        match = re.search(r'href="[^"]*(/kommune/schulungen/confirm/[^"]+)"', mail.body_html)
        self.assertTrue(match, "the mail carries the confirmation link")
        return match.group(1)

    def test_returning_participant_registers_again(self):
        self.assertEqual(self.consent.state, "given")
        partners = self.env["res.partner"].with_context(active_test=False).search_count([])
        with self.one_window():
            response = self.register(
                {"name": "Aylin Participant", "email": self.returning.email, "consent": "1"}
            )
        self.assertIn("o_kommune_catalogue_done", response.text)
        mail = self.request_mails()
        self.assertEqual(len(mail), 1, "a confirmation link, as for new people")
        self.assertEqual(mail.recipient_ids, self.returning, "to the address's owner only")
        self.assertIn("Portal Vereinsrecht", mail.subject)
        self.assertFalse(
            self.next_training.registration_ids.filtered(
                lambda registration: registration.partner_id == self.returning
            ),
            "nobody registered before the link",
        )
        url = self.confirm_url(mail)
        with self.one_window():
            page = self.get(url)
            self.assertEqual(page.status_code, 200)
            self.assertIn("Portal Vereinsrecht", page.text)
            self.assertNotIn("o_kommune_catalogue_confirmed", page.text, "GET confirms nothing")
            token = CSRF_RE.search(page.text).group(1)
            confirmed = self.url_open(url, data={"csrf_token": token})
        self.assertIn("o_kommune_catalogue_confirmed", confirmed.text)
        self.env.invalidate_all()
        registration = self.next_training.registration_ids.filtered(
            lambda registration: registration.partner_id == self.returning
        )
        self.assertEqual(registration.state, "confirmed")
        self.assertEqual(registration.consent_id, self.consent, "the consent in force")
        self.assertEqual(
            self.env["res.partner"].with_context(active_test=False).search_count([]),
            partners,
            "no duplicate contact",
        )
        self.assertEqual(self.consent.state, "given")

    def test_stranger_with_known_address_learns_and_changes_nothing(self):
        """An attacker types Aylin's address and another name: the answer is the one a
        new address gets, nothing of Aylin's is shown or written, no consent is
        recorded, and the link goes to Aylin, not to the attacker."""
        before = (
            self.returning.name,
            self.returning.lang,
            self.returning.phone,
            self.env["kommune.consent"].with_context(active_test=False).search_count([]),
        )
        with self.one_window():
            known = self.register(
                {"name": "Mallory", "email": self.returning.email, "consent": "1"}
            )
            unknown = self.register(
                {"name": "Mallory", "email": "mallory.new@example.org", "consent": "1"}
            )
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertNotIn("Aylin", known.text)
        self.assertNotIn(self.returning.email, known.text.replace("mallory", ""))

        def strip(text):
            # CSRF tokens ("<hmac>o<expiry>") differ from one page to the next.
            return re.sub(r"[0-9a-f]{40}o[0-9]*", "", text)

        self.assertEqual(
            strip(known.text).replace(self.returning.email, "x"),
            strip(unknown.text).replace("mallory.new@example.org", "x"),
            "the same page for a known and an unknown address",
        )
        self.env.invalidate_all()
        after = (
            self.returning.name,
            self.returning.lang,
            self.returning.phone,
            self.env["kommune.consent"].with_context(active_test=False).search_count([]) - 1,
        )
        self.assertEqual(before, after, "only the unknown address got a pending consent")
        mail = self.request_mails()
        self.assertEqual(mail.recipient_ids, self.returning)
        self.assertNotIn("Mallory", mail.body_html, "the form's name is not the owner's")

    def test_guessed_altered_or_expired_link_is_refused(self):
        url = self.returning_person_link()
        consent_id, training_id, expiry, signature = url.rpartition("/")[2].split("-")
        base = "/kommune/schulungen/confirm/"
        forged = [
            f"{consent_id}-{training_id}-{expiry}-{'0' * 64}",
            f"{consent_id}-{self.training.id}-{expiry}-{signature}",
            f"{self.reg_b.consent_id.id}-{training_id}-{expiry}-{signature}",
            f"{consent_id}-{training_id}-{int(expiry) + 86400}-{signature}",
            "1-1-1-x",
        ]
        with self.one_window():
            for token in forged:
                with self.subTest(token=token[:30]):
                    self.assertFriendly(self.get(base + token), 404)
        self.env.invalidate_all()
        self.assertNotIn(self.returning, self.training.registration_ids.partner_id - self.returning)
        with freeze_time(datetime.now() + timedelta(days=CONFIRMATION_DAYS + 1)):
            self.assertFriendly(self.get(url), 410)

    def test_withdrawn_consent_voids_the_link(self):
        """A link mailed while the consent was in force does not register the person
        once they withdrew it: a new registration needs a new consent."""
        url = self.returning_person_link()
        self.consent.action_withdraw()
        with self.one_window():
            self.assertFriendly(self.get(url), 404)

    def test_returning_after_withdrawal_gets_a_new_consent_request(self):
        """Somebody who withdrew their consent before registers again: the catalogue
        records a new consent awaiting confirmation, on the existing contact."""
        self.consent.action_withdraw()
        with self.one_window():
            self.register({"name": "Aylin", "email": self.returning.email, "consent": "1"})
        pending = self.env["kommune.consent"].search(
            [("partner_id", "=", self.returning.id), ("state", "=", "pending")]
        )
        self.assertEqual(pending.catalogue_training_id, self.next_training)
        self.assertFalse(pending.signup_created_partner, "the existing contact is kept")

    def test_cancelled_registration_can_register_again(self):
        self.reg_a.with_context(kommune_training_no_mail=True).action_cancel()
        with self.one_window():
            self.register(
                {"name": "Aylin", "email": self.returning.email, "consent": "1"},
                training=self.training,
            )
        self.assertEqual(len(self.request_mails()), 1)

    def test_pending_request_and_a_second_training(self):
        """A person without consent asks for two trainings before reading their mail:
        each link registers for its own training only."""
        with self.one_window():
            self.register({"name": "Nina Neu", "email": "nina.neu@example.org", "consent": "1"})
            self.register(
                {"name": "Nina Neu", "email": "nina.neu@example.org", "consent": "1"},
                training=self.training,
            )
        partner = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("email", "=", "nina.neu@example.org")])
        )
        self.assertEqual(len(partner), 1)
        consent = partner.kommune_consent_ids
        self.assertEqual(consent.state, "pending")
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "kommune.consent"),
                ("res_id", "=", consent.id),
                ("body_html", "ilike", "/kommune/schulungen/confirm/"),
            ]
        )
        url = self.confirm_url(mail)
        with self.one_window():
            token = CSRF_RE.search(self.get(url).text).group(1)
            self.url_open(url, data={"csrf_token": token})
        self.env.invalidate_all()
        self.assertEqual(consent.state, "given", "the link proves the address")
        self.assertTrue(partner.active)
        self.assertEqual(partner.training_registration_ids.training_id, self.training)
        # The first mail's link still registers for the first training.
        first = f"/kommune/subscribe/confirm/{consent._get_confirmation_token()}"
        with self.one_window():
            page = self.get(first)
            self.assertNotIn("o_kommune_catalogue_confirmed", page.text, "not registered yet")
            token = CSRF_RE.search(page.text).group(1)
            done = self.url_open(first, data={"csrf_token": token})
        self.assertIn("o_kommune_catalogue_confirmed", done.text)
        self.env.invalidate_all()
        self.assertEqual(
            partner.training_registration_ids.training_id, self.training | self.next_training
        )

    def test_already_registered_gets_a_notice_as_others_get_a_link(self):
        """An address already registered for the training is answered as every other
        one, and with the same work: its owner is mailed (that they are registered
        already), so that neither the page nor its time tells a stranger who is
        registered."""
        before = self.env["mail.mail"].search([]).ids
        with self.one_window():
            response = self.register(
                {"name": "Mallory", "email": self.returning.email, "consent": "1"},
                training=self.training,
            )
        self.assertIn("o_kommune_catalogue_done", response.text)
        notice = self.env["mail.mail"].search(
            [
                ("id", "not in", before),
                ("model", "=", "kommune.training.registration"),
                ("res_id", "=", self.reg_a.id),
            ]
        )
        self.assertEqual(len(notice), 1, "the registered person is told")
        self.assertEqual(notice.recipient_ids, self.returning, "to the address's owner only")
        self.assertIn("Portal Fördermittel", notice.subject)
        self.assertIn("registered for this training already", notice.body_html)
        self.assertNotIn("Mallory", notice.body_html, "the form's name is not the owner's")
        self.assertNotIn("/kommune/schulungen/confirm/", notice.body_html, "nothing to confirm")
        self.assertEqual(self.reg_a.state, "confirmed", "the registration stays as it was")

    def test_contact_of_another_company_same_answer_nothing_leaks(self):
        """The address belongs to a contact of another company: the catalogue neither
        touches nor reveals them (no error page, no consent on their contact); the
        registration goes its usual way with a contact of the training's company."""
        other = self.env["res.company"].create({"name": "Portal Catalogue Other Company"})
        stranger = self.env["res.partner"].create(
            {
                "name": "Olga Other",
                "email": "olga.other@example.org",
                "company_id": other.id,
            }
        )
        with self.one_window():
            response = self.register(
                {"name": "Olga Other", "email": "olga.other@example.org", "consent": "1"}
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_kommune_catalogue_done", response.text)
        Consent = self.env["kommune.consent"].with_context(active_test=False)
        self.assertFalse(Consent.search([("partner_id", "=", stranger.id)]))
        pending = Consent.search(
            [
                ("partner_id.email", "=", "olga.other@example.org"),
                ("catalogue_training_id", "=", self.next_training.id),
            ]
        )
        self.assertEqual(pending.state, "pending")
        self.assertIn(
            pending.partner_id.company_id,
            (self.next_training.company_id, self.env["res.company"]),
            "a contact the training's company may use",
        )

    def test_request_link_registers_once(self):
        """The link registers once: followed again after the registration was cancelled
        (by the person or staff), it registers nobody."""
        url = self.returning_person_link()
        with self.one_window():
            token = CSRF_RE.search(self.get(url).text).group(1)
            self.url_open(url, data={"csrf_token": token})
        self.env.invalidate_all()
        registration = self.next_training.registration_ids.filtered(
            lambda registration: registration.partner_id == self.returning
        )
        self.assertEqual(registration.state, "confirmed")
        with self.one_window():
            token = CSRF_RE.search(self.get(url).text).group(1)
            again = self.url_open(url, data={"csrf_token": token})
        self.assertIn("o_kommune_catalogue_confirmed", again.text, "a second click: still done")
        registration.with_context(kommune_training_no_mail=True).action_cancel()
        with self.one_window():
            page = self.get(url)
            self.assertNotIn("o_kommune_catalogue_confirmed", page.text)
            # A form token of the session: the link's page may offer no form any more.
            form = self.get(f"/kommune/schulungen/{self.next_training.id}")
            replay = self.url_open(url, data={"csrf_token": CSRF_RE.search(form.text).group(1)})
        self.assertNotIn("o_kommune_catalogue_confirmed", replay.text)
        self.assertGreaterEqual(replay.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(registration.state, "cancelled", "the replayed link registers nobody")

    def returning_person_link(self):
        """A person the network knows registers on the catalogue: the link mailed to
        their stored address."""
        with self.one_window():
            self.register({"name": "Aylin", "email": self.returning.email, "consent": "1"})
        return self.confirm_url(self.request_mails())

    def new_person_link(self, email):
        """A person new to the network registers on the catalogue: their consent and
        the double opt-in link mailed to them."""
        with self.one_window():
            self.register({"name": "Nina Neu", "email": email, "consent": "1"})
        consent = self.env["kommune.consent"].search([("partner_id.email", "=", email)])
        return consent, f"/kommune/subscribe/confirm/{consent._get_confirmation_token()}"

    def test_confirmation_link_registers_once(self):
        """The double opt-in link of a new person registers once as well."""
        consent, url = self.new_person_link("nina.once@example.org")
        with self.one_window():
            self.post(url, "")
        self.env.invalidate_all()
        registration = consent.partner_id.training_registration_ids
        self.assertEqual(registration.training_id, self.next_training)
        registration.with_context(kommune_training_no_mail=True).action_cancel()
        with self.one_window():
            page = self.get(url)
            form = self.get(f"/kommune/schulungen/{self.next_training.id}")
            replay = self.url_open(url, data={"csrf_token": CSRF_RE.search(form.text).group(1)})
        self.assertNotIn("o_kommune_catalogue_confirmed", page.text)
        self.assertNotIn("o_kommune_catalogue_confirmed", replay.text)
        self.env.invalidate_all()
        self.assertEqual(registration.state, "cancelled", "the replayed link registers nobody")

    def test_link_pages_stay_within_their_queries(self):
        """The requests of a personal link stay within their counted queries (the
        checks share one lookup of the person's registration; registering looks again
        under the seat lock): requests that can be repeated, each counted after the
        same request warmed the caches."""
        url = self.returning_person_link()
        with self.one_window():
            token = CSRF_RE.search(self.get(url).text).group(1)
            self.url_open(url, data={"csrf_token": token})
            self.url_open(url, data={"csrf_token": token})
            with self.assertQueryCount(REQUEST_LINK_POST_QUERIES):
                again = self.url_open(url, data={"csrf_token": token})
        self.assertIn("o_kommune_catalogue_confirmed", again.text, "registered, still done")

        consent, url = self.new_person_link("nina.count@example.org")
        with self.one_window():
            token = CSRF_RE.search(self.get(url).text).group(1)
            self.url_open(url, data={"csrf_token": token})
            self.get(url)
            with self.assertQueryCount(CONFIRMATION_LINK_GET_QUERIES):
                page = self.get(url)
            self.url_open(url, data={"csrf_token": token})
            with self.assertQueryCount(CONFIRMATION_LINK_POST_QUERIES):
                again = self.url_open(url, data={"csrf_token": token})
        self.assertIn("o_kommune_catalogue_confirmed", page.text)
        self.assertIn("o_kommune_catalogue_confirmed", again.text)
        self.env.invalidate_all()
        registration = consent.partner_id.training_registration_ids
        self.assertEqual(registration.training_id, self.next_training, "registered once")
