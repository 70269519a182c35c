import re
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common_portal import PortalCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
# The token every page of the layout carries for its scripts (no form to take it from).
LAYOUT_CSRF_RE = re.compile(r'csrf_token: "([^"]+)"')


@tagged("post_install", "-at_install")
class TestPortalParticipant(PortalCommon):
    """A participant's pages in "My Account", over HTTP with their session: their
    trainings (state, waitlist place, sessions, calendar file, online link, cancel until
    the cut-off) and certificates; never somebody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Seats for two: A and her colleague hold them, B of the other organisation waits.
        cls.other_training = cls.training.copy({"name": "Portal Vereinsrecht"})
        cls.env["kommune.training.session"].create(
            {
                "training_id": cls.other_training.id,
                "start": datetime(2031, 5, 5, 8, 0),
                "stop": datetime(2031, 5, 5, 11, 0),
            }
        )
        cls.reg_b_other = cls.other_training.with_context(
            kommune_training_no_mail=True
        )._register_participant(cls.user_b.partner_id, consent=True)

    def post_form(self, page_url, action_url, data=None):
        token = CSRF_RE.search(self.url_open(page_url).text).group(1)
        return self.url_open(action_url, data={"csrf_token": token, **(data or {})})

    def test_states_of_the_seed(self):
        self.assertEqual(self.reg_a.state, "confirmed")
        self.assertEqual(self.reg_a2.state, "confirmed")
        self.assertEqual(self.reg_b.state, "waitlist")

    def test_home_counts_own_records(self):
        self.login(self.user_b)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["kommune_training_count", "kommune_certificate_count"]},
        )
        self.assertEqual(counters["kommune_training_count"], 2)
        self.assertEqual(counters["kommune_certificate_count"], 0)
        home = self.url_open("/my")
        self.assertIn("/my/kommune/trainings", home.text)

    def test_list_shows_only_own_trainings(self):
        self.login(self.user_a)
        page = self.url_open("/my/kommune/trainings")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Portal Fördermittel beantragen", page.text)
        self.assertNotIn("Portal Vereinsrecht", page.text, "B's training, not A's")
        self.assertNotIn("Bintou", page.text)
        self.assertNotIn("Arif", page.text, "no colleague on the page")

    def test_detail_shows_sessions_link_and_calendar(self):
        self.login(self.user_a)
        page = self.url_open(f"/my/kommune/trainings/{self.reg_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Monday, March 3, 2031", page.text)
        self.assertIn("https://meet.example.org/foerdermittel", page.text)
        self.assertIn("calendar.ics", page.text)
        ics = self.url_open(f"/my/kommune/trainings/{self.reg_a.id}/calendar.ics")
        self.assertEqual(ics.status_code, 200)
        self.assertIn("text/calendar", ics.headers["Content-Type"])
        self.assertEqual(ics.text.count("BEGIN:VEVENT"), 2)
        self.assertNotIn("@portal.example.org", ics.text, "nobody's address in the file")

    def test_waitlist_shows_place_and_no_online_link(self):
        self.login(self.user_b)
        page = self.url_open(f"/my/kommune/trainings/{self.reg_b.id}")
        self.assertIn("o_kommune_portal_waitlist", page.text)
        self.assertIn("(1.)", page.text)
        self.assertNotIn("https://meet.example.org/foerdermittel", page.text)

    def test_a_sessions_own_online_link_only_for_confirmed_participants(self):
        # A session's link of its own (set on the session) is the participants' too.
        own = "https://meet.example.org/sitzung-eigen"
        self.sessions.write({"location": False, "videocall_location": own})
        self.login(self.user_b)
        self.assertNotIn(own, self.url_open(f"/my/kommune/trainings/{self.reg_b.id}").text)
        self.login(self.user_a)
        self.assertIn(own, self.url_open(f"/my/kommune/trainings/{self.reg_a.id}").text)

    def test_waitlist_place_follows_the_order_of_moving_up(self):
        late = self._portal_user("ki_portal_b2", "Bako Late", self.mo_b)
        registration = self.training.with_context(
            kommune_training_no_mail=True
        )._register_participant(late.partner_id, consent=True)
        self.assertEqual(registration.state, "waitlist")
        self.login(late)
        self.assertIn("(2.)", self.url_open(f"/my/kommune/trainings/{registration.id}").text)
        # Whoever withdrew their consent while waiting is skipped when a seat frees up.
        self.reg_b.consent_id.action_withdraw()
        self.assertIn("(1.)", self.url_open(f"/my/kommune/trainings/{registration.id}").text)

    def test_somebody_elses_registration_is_not_shown(self):
        self.login(self.user_a)
        for registration in (self.reg_a2, self.reg_b):
            for suffix in ("", "/calendar.ics"):
                response = self.url_open(
                    f"/my/kommune/trainings/{registration.id}{suffix}", allow_redirects=False
                )
                self.assertEqual(response.status_code, 303, suffix)
                self.assertTrue(response.headers["Location"].endswith("/my/kommune/trainings"))
        missing = self.url_open("/my/kommune/trainings/999999999", allow_redirects=False)
        self.assertEqual(missing.status_code, 303)

    def test_cancel_moves_the_waitlist_up(self):
        self.login(self.user_a)
        url = f"/my/kommune/trainings/{self.reg_a.id}"
        response = self.post_form(url, f"{url}/cancel")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_kommune_portal_cancelled", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.reg_a.state, "cancelled")
        self.assertEqual(self.reg_b.state, "confirmed", "the first waiting person moved up")
        self.assertTrue(
            any(
                "Cancelled on the portal." in body for body in self.reg_a.message_ids.mapped("body")
            )
        )

    def test_cannot_cancel_somebody_elses_registration(self):
        self.login(self.user_a)
        own = f"/my/kommune/trainings/{self.reg_a.id}"
        response = self.post_form(own, f"/my/kommune/trainings/{self.reg_b.id}/cancel")
        self.assertTrue(response.url.endswith("/my/kommune/trainings"))
        response = self.post_form(own, f"/my/kommune/trainings/{self.reg_a2.id}/cancel")
        self.env.invalidate_all()
        self.assertEqual(self.reg_b.state, "waitlist")
        self.assertEqual(self.reg_a2.state, "confirmed")

    def test_cancel_refused_after_the_cut_off(self):
        self.login(self.user_a)
        url = f"/my/kommune/trainings/{self.reg_a.id}"
        with freeze_time(datetime(2031, 3, 3, 9, 0)):
            page = self.url_open(url)
            token = LAYOUT_CSRF_RE.search(page.text).group(1)
            self.assertNotIn("o_kommune_portal_cancel_form", page.text)
            response = self.url_open(f"{url}/cancel", data={"csrf_token": token})
        self.assertIn("no longer be cancelled", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.reg_a.state, "confirmed")

    def test_cancel_needs_the_csrf_token(self):
        self.login(self.user_a)
        response = self.url_open(
            f"/my/kommune/trainings/{self.reg_a.id}/cancel", data={"csrf_token": "guessed"}
        )
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(self.reg_a.state, "confirmed")

    def test_certificates_only_for_attended_own_trainings(self):
        self.login(self.user_a)
        response = self.url_open(f"/my/kommune/certificates/{self.reg_a.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303, "not attended: no certificate")
        self.reg_a.state = "attended"
        self.reg_a2.state = "attended"
        page = self.url_open("/my/kommune/certificates")
        self.assertIn("Portal Fördermittel beantragen", page.text)
        certificate = self.url_open(f"/my/kommune/certificates/{self.reg_a.id}")
        self.assertEqual(certificate.status_code, 200)
        self.assertIn("Aylin Participant", certificate.text)
        foreign = self.url_open(f"/my/kommune/certificates/{self.reg_a2.id}", allow_redirects=False)
        self.assertEqual(foreign.status_code, 303, "the colleague's certificate is hers")

    def test_anonymous_visitor_is_sent_to_login(self):
        response = self.url_open(f"/my/kommune/trainings/{self.reg_a.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
