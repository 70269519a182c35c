from datetime import datetime, timedelta
from urllib.parse import urlencode

from odoo.addons.kommune_interkulturell.tests.common_public import CSRF_RE
from odoo.addons.kommune_interkulturell.tests.common_smtp import real_smtp
from odoo.tests import tagged

from .common_invitation import InvitationPagesCommon

# The queries of the personal link's page and of registering through its form (a seat
# decided under the lock, the confirmation mail with the sessions' .ics queued, the
# sessions' attendees and attendance sheet), see
# test_registration_stays_within_its_queries.
INVITATION_GET_QUERIES = 15
INVITATION_POST_QUERIES = 99


@tagged("post_install", "-at_install")
class TestCampaignPublic(InvitationPagesCommon):
    """The public page of the personal link, over HTTP without login or JavaScript:
    registration (idempotent, waitlist when full), cancellation until the cut-off,
    friendly 4xx pages for bad, foreign and expired links, the unsubscribe link."""

    def registration(self, partner):
        self.env.invalidate_all()
        return self.training.registration_ids.filtered(
            lambda registration: registration.partner_id == partner
        )

    def mails(self, registration):
        return self.env["mail.mail"].search(
            [("model", "=", registration._name), ("res_id", "in", registration.ids)]
        )

    # ------------------------------------------------------------
    # The page
    # ------------------------------------------------------------

    def test_page_shows_the_training_in_the_persons_language(self):
        german = self.get(self.link(self.nadi_fulltime))
        self.assertEqual(german.status_code, 200)
        self.assertIn("Test Fördermittel beantragen", german.text)
        self.assertIn("Montag, 3. März 2031", german.text)
        self.assertIn("1 von 2 Plätzen frei", german.text)
        self.assertIn('name="consent"', german.text)
        self.assertIn('name="phone"', german.text, "asked: the person has no phone number")
        self.assertNotIn('name="organization"', german.text, "known: she has an organisation")
        self.assertNotIn('name="network_role"', german.text, "known: her role")

        english = self.get(self.link(self.nadi_volunteer), lang="de-DE")
        self.assertIn("Monday, March 3, 2031", english.text, "the person's language first")
        self.assertIn("Register", english.text)

    def test_register_confirms_and_records_the_campaign(self):
        self.nadi_fulltime.phone = "030 1234567"
        url = self.link(self.nadi_fulltime)
        self.assertNotIn('name="phone"', self.get(url).text)
        response = self.post(url, "register", {"consent": "1", "network_role": "volunteer"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ihr Platz ist bestätigt", response.text)
        registration = self.registration(self.nadi_fulltime)
        self.assertEqual(registration.state, "confirmed")
        self.assertEqual(registration.source, "invitation")
        self.assertEqual(registration.mailing_id, self.mailing)
        self.assertEqual(registration.campaign_id, self.mailing.campaign_id)
        self.assertTrue(registration.consent and registration.consent_date)
        self.assertEqual(self.nadi_fulltime.network_role, "fulltime", "known data is kept")
        (confirmation,) = self.mails(registration)
        self.assertIn("bestätigt", confirmation.subject)
        self.assertTrue(confirmation.attachment_ids, "the dates as .ics")

        # Submitting twice changes nothing.
        again = self.post(url, "register", {"consent": "1"})
        self.assertEqual(again.status_code, 200)
        self.assertEqual(self.registration(self.nadi_fulltime), registration)
        self.assertEqual(registration.state, "confirmed")
        self.assertEqual(self.mails(registration), confirmation)
        self.assertIn("Ihr Platz ist bestätigt", self.get(url).text)

    def test_registration_stays_within_its_queries(self):
        """Opening the personal link and registering through it stay within their
        counted queries, each counted after another person of the same language opened
        and registered (warm caches): what the request already read is not read again."""
        self.training.seats_max = 10
        with self.one_window():
            self.post(self.link(self.nadi_manager), "register", {"consent": "1"})
            url = self.link(self.nadi_fulltime)
            with self.assertQueryCount(INVITATION_GET_QUERIES):
                page = self.get(url)
            csrf = CSRF_RE.search(page.text).group(1)
            with self.assertQueryCount(INVITATION_POST_QUERIES):
                response = self.url_open(
                    f"{url}/register", data={"csrf_token": csrf, "consent": "1"}
                )
        self.assertIn('name="consent"', page.text)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ihr Platz ist bestätigt", response.text)
        registration = self.registration(self.nadi_fulltime)
        self.assertEqual(registration.state, "confirmed")
        self.assertEqual(registration.consent_id.state, "given")
        (confirmation,) = self.mails(registration)
        self.assertTrue(confirmation.attachment_ids, "the dates as .ics")
        self.assertEqual(
            set(self.sessions.attendance_ids.registration_id.partner_id.ids),
            {self.registered.id, self.nadi_manager.id, self.nadi_fulltime.id},
        )
        self.assertIn(self.nadi_fulltime, self.sessions[0].partner_ids)

    def test_opening_the_link_counts_as_a_click_of_the_mail(self):
        """Personal links are never behind the link tracker's short codes: their page
        tells Odoo's mailing statistics that the person opened the mail and clicked,
        on their own trace, as a tracked link would; the campaign counts the click."""
        self.mailing.mailing_domain = repr(
            [("id", "in", (self.nadi_fulltime | self.nadi_manager).ids)]
        )
        with real_smtp(self.env):
            self.mailing.action_send_mail()
        traces = {trace.res_id: trace for trace in self.mailing.mailing_trace_ids}
        clicked, other = traces[self.nadi_fulltime.id], traces[self.nadi_manager.id]
        self.assertEqual((clicked | other).mapped("trace_status"), ["sent", "sent"])

        self.assertEqual(self.get(self.link(self.nadi_fulltime)).status_code, 200)
        self.env.invalidate_all()
        self.assertTrue(clicked.links_click_datetime)
        self.assertEqual(clicked.trace_status, "open")
        self.assertTrue(clicked.open_datetime)
        self.assertEqual((other.trace_status, other.links_click_datetime), ("sent", False))
        self.assertEqual(self.mailing.campaign_id.mailing_clicked_count, 1)

        # A link without a mailing (a direct invitation) or a bad one counts nothing.
        self.get(self.link(self.nadi_manager, mailing=self.env["mailing.mailing"]))
        self.get(self.link(self.nadi_manager)[:-1])
        self.env.invalidate_all()
        self.assertEqual((other.trace_status, other.links_click_datetime), ("sent", False))

    def test_missing_data_is_asked_and_validated(self):
        url = self.link(self.nadi_fulltime)
        refused = self.post(url, "register", {"phone": "030 1234567"})
        self.assertEqual(refused.status_code, 400, "consent is required")
        self.assertIn("Einwilligung", refused.text)
        self.assertFalse(self.registration(self.nadi_fulltime))
        invalid = self.post(url, "register", {"consent": "1", "phone": "<script>"})
        self.assertEqual(invalid.status_code, 400)
        self.assertFalse(self.registration(self.nadi_fulltime))
        self.post(url, "register", {"consent": "1", "phone": "+49 30 1234567"})
        self.assertEqual(self.nadi_fulltime.phone, "+49 30 1234567")
        self.assertEqual(self.registration(self.nadi_fulltime).state, "confirmed")

    def test_full_training_offers_the_waitlist(self):
        self.training._register_participant(self.nadi_manager, consent=True)
        url = self.link(self.song_volunteer)
        page = self.get(url)
        self.assertIn("Ausgebucht", page.text)
        self.assertIn("Auf die Warteliste", page.text)
        response = self.post(url, "register", {"consent": "on"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Warteliste", response.text)
        registration = self.registration(self.song_volunteer)
        self.assertEqual(registration.state, "waitlist")
        self.assertIn("Warteliste", self.mails(registration).subject)

    def test_online_link_only_for_confirmed_participants(self):
        """The video conference of an online training is for its participants: the
        personal link (forwarded, or of somebody on the waitlist) does not show it, as
        the page says ("the link comes with your confirmation") and as "My trainings"
        does; a confirmed participant sees it."""
        online = "https://meet.example.org/kommune-geheim"
        self.training.write({"venue_id": False, "online_url": online})
        self.sessions.write({"location": False, "videocall_location": online})
        invited = self.get(self.link(self.nadi_fulltime))
        self.assertEqual(invited.status_code, 200)
        self.assertNotIn(online, invited.text, "not registered yet")

        registered = self.post(self.link(self.nadi_fulltime), "register", {"consent": "1"})
        self.assertEqual(self.registration(self.nadi_fulltime).state, "confirmed")
        self.assertIn(online, registered.text, "a confirmed participant's page")

        waiting = self.post(self.link(self.song_volunteer), "register", {"consent": "1"})
        self.assertEqual(self.registration(self.song_volunteer).state, "waitlist")
        self.assertNotIn(online, waiting.text, "on the waitlist")

    def test_a_sessions_own_online_link_only_for_confirmed_participants(self):
        """A session may have an online link of its own (staff set it on the session):
        it is the participants' as much as the training's."""
        self.training.write({"venue_id": False, "online_url": "https://meet.example.org/alt"})
        own = "https://meet.example.org/sitzung-zwei"
        self.sessions.write({"location": False, "videocall_location": own})
        invited = self.get(self.link(self.nadi_fulltime))
        self.assertEqual(invited.status_code, 200)
        self.assertNotIn(own, invited.text, "not registered yet")
        registered = self.post(self.link(self.nadi_fulltime), "register", {"consent": "1"})
        self.assertEqual(self.registration(self.nadi_fulltime).state, "confirmed")
        self.assertIn(own, registered.text, "a confirmed participant's page")

    # ------------------------------------------------------------
    # Cancellation
    # ------------------------------------------------------------

    def test_cancel_frees_the_seat_for_the_waitlist(self):
        url = self.link(self.nadi_fulltime)
        self.post(url, "register", {"consent": "1"})
        waiting = self.training._register_participant(self.song_volunteer, consent=True)
        self.assertEqual(waiting.state, "waitlist")
        self.assertIn(f'action="{url}/cancel?lang=', self.get(url).text)
        response = self.post(url, "cancel")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Sie sind abgemeldet", response.text)
        self.assertEqual(self.registration(self.nadi_fulltime).state, "cancelled")
        self.assertEqual(waiting.state, "confirmed", "the first waiting person moves up")
        note = self.registration(self.nadi_fulltime).message_ids.filtered(
            lambda message: "persönlichen Link" in (message.body or "")
        )
        self.assertEqual(note.author_id, self.nadi_fulltime, "noted in her name")
        # The same link registers again while registration is open.
        self.assertIn('name="consent"', self.get(url).text)

    def test_no_online_cancellation_after_the_cut_off(self):
        url = self.link(self.nadi_fulltime)
        self.post(url, "register", {"consent": "1"})
        csrf = CSRF_RE.search(self.get(url).text).group(1)
        # The cut-off (days before the first session) lies in the past.
        days = (self.training.date_begin - datetime.now()).days + 1
        self.training.cancel_deadline_days = days
        page = self.get(url)
        self.assertNotIn("/cancel", page.text)
        self.assertIn("Online-Abmeldung ist geschlossen", page.text)
        response = self.url_open(f"{url}/cancel", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(self.registration(self.nadi_fulltime).state, "confirmed")

    # ------------------------------------------------------------
    # Links that do not work
    # ------------------------------------------------------------

    def test_bad_and_foreign_links_get_a_friendly_404(self):
        token = self.training._get_invitation_token(self.nadi_fulltime, self.mailing)
        training_id, _partner, mailing_id, signature = token.split("-")
        for url in (
            "/kommune/invitation/nonsense",
            "/kommune/invitation/" + "1" * 500,
            f"/kommune/invitation/{training_id}-{self.nadi_manager.id}-{mailing_id}-{signature}",
            f"/kommune/invitation/{token[:-1]}",
        ):
            with self.subTest(url=url[:60]):
                german = self.get(url, lang="de-DE,de;q=0.9")
                self.assertEqual(german.status_code, 404)
                self.assertIn("Dieser Link funktioniert nicht", german.text)
                self.assertNotIn("Traceback", german.text)
                english = self.get(url, lang="en-GB,en;q=0.8")
                self.assertEqual(english.status_code, 404)
                self.assertIn("This link does not work", english.text)
        forged = self.url_open(
            f"/kommune/invitation/{training_id}-{self.nadi_manager.id}-{mailing_id}-{signature}/register",
            data={"consent": "1"},
        )
        self.assertEqual(forged.status_code, 400, "no CSRF token, no form")
        self.assertFalse(self.registration(self.nadi_manager))

    def test_expired_link_gets_a_friendly_410(self):
        url = self.link(self.nadi_fulltime)
        csrf = CSRF_RE.search(self.get(url).text).group(1)
        self.training.registration_deadline = datetime.now() - timedelta(hours=1)
        page = self.get(url)
        self.assertEqual(page.status_code, 410)
        self.assertIn("Die Anmeldung ist geschlossen", page.text)
        response = self.url_open(f"{url}/register", data={"csrf_token": csrf, "consent": "1"})
        self.assertEqual(response.status_code, 410)
        self.assertFalse(self.registration(self.nadi_fulltime))

    def test_registered_people_keep_their_link_after_the_deadline(self):
        url = self.link(self.nadi_fulltime)
        self.post(url, "register", {"consent": "1"})
        self.training.registration_deadline = datetime.now() - timedelta(hours=1)
        page = self.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Ihr Platz ist bestätigt", page.text)

    def test_called_off_training(self):
        url = self.link(self.nadi_fulltime)
        self.training.action_cancel()
        page = self.get(url)
        self.assertEqual(page.status_code, 410)
        self.assertIn("abgesagt", page.text)

    def test_preview_needs_a_login(self):
        url = f"/kommune/invitation/preview/{self.training.id}"
        anonymous = self.url_open(url, allow_redirects=False)
        self.assertIn(anonymous.status_code, (302, 303))
        self.authenticate("ki_user", "ki_user")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test Fördermittel beantragen", page.text)
        self.assertIn("<fieldset disabled", page.text, "staff cannot register anybody here")

    # ------------------------------------------------------------
    # Unsubscribe
    # ------------------------------------------------------------

    def test_unsubscribe_link_opts_out_of_invitations(self):
        partner = self.nadi_fulltime
        email = partner.email_normalized

        def unsubscribe(hash_token):
            query = urlencode({"document_id": partner.id, "email": email, "hash_token": hash_token})
            return self.url_open(f"/mailing/{self.mailing.id}/unsubscribe?{query}")

        refused = unsubscribe("0" * 128)
        self.assertEqual(refused.status_code, 401, "Odoo's token check")
        self.env.invalidate_all()
        self.assertFalse(partner.invitation_opt_out)

        response = unsubscribe(self.mailing._generate_mailing_recipient_token(partner.id, email))
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertTrue(partner.invitation_opt_out)
        self.assertTrue(partner.invitation_opt_out_date)
        self.assertFalse(partner.is_blacklisted, "an opt-out, not the blocklist")
        note = partner.message_ids.filtered(lambda message: "Test Einladung" in message.body)
        self.assertEqual(note.author_id, partner, "why, on the chatter, in her name")

    def test_unsubscribe_link_without_signature_opts_nobody_out(self):
        """Odoo lets a logged-in Email Marketing user open a mailing's unsubscribe page
        without the link's signature, for their own address. Staff (Email Marketing
        users through the app's group) who open such an address - typed, or a link a
        stranger sent them - opt out neither the contact it names nor anybody else in
        the person's name."""
        partner = self.nadi_fulltime
        self.authenticate(self.user.login, self.user.login)
        query = urlencode({"document_id": partner.id})
        response = self.url_open(f"/mailing/{self.mailing.id}/unsubscribe?{query}")
        self.assertLess(response.status_code, 500)
        self.env.invalidate_all()
        self.assertFalse(partner.invitation_opt_out, "only the person's signed link opts out")
        self.assertFalse(
            partner.message_ids.filtered(lambda message: "Test Einladung" in message.body),
            "no note in the person's name",
        )

    def test_other_mailings_on_contacts_keep_odoos_unsubscribe(self):
        """A mailing on contacts that is no invitation campaign: Odoo's own behaviour,
        the address is blocklisted (Odoo's tests of mass mailing rely on it)."""
        newsletter = self.mailing.copy({"training_id": False, "subject": "Test Newsletter"})
        partner = self.nadi_manager
        email = partner.email_normalized
        query = urlencode(
            {
                "document_id": partner.id,
                "email": email,
                "hash_token": newsletter._generate_mailing_recipient_token(partner.id, email),
            }
        )
        response = self.url_open(f"/mailing/{newsletter.id}/unsubscribe?{query}")
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertTrue(partner.is_blacklisted)
        self.assertFalse(partner.invitation_opt_out)
