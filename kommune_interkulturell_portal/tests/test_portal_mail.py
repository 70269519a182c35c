import re
from urllib.parse import urlsplit

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

REMINDER = "kommune_interkulturell.mail_template_training_reminder"


def create_training_with_session(env, name):
    """An open training with one seat and one session, whose mails the tests read."""
    training = env["kommune.training"].create(
        {
            "name": name,
            "topic_id": env.ref("kommune_interkulturell.training_topic_fundraising").id,
            "seats_max": 1,
            "stage_id": env.ref("kommune_interkulturell.training_stage_open").id,
        }
    )
    env["kommune.training.session"].create(
        {"training_id": training.id, "start": "2031-03-03 08:00:00", "stop": "2031-03-03 11:00:00"}
    )
    return training


@tagged("post_install", "-at_install")
class TestPortalMail(TransactionCase):
    """Confirmation, waitlist and reminder mails lead each person to their own page: the
    portal for people with an account, the signed personal link for the others."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.portal_user = new_test_user(
            cls.env, login="ki_portal_mail", name="Mina Portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.write({"email": "mina@portal.example.org", "lang": "en_US"})
        cls.person = cls.env["res.partner"].create(
            {"name": "Nuri Without Account", "email": "nuri@portal.example.org", "lang": "en_US"}
        )
        cls.training = create_training_with_session(cls.env, "Portal Mail Training")

    def mails_of(self, registration):
        return self.env["mail.mail"].search(
            [("model", "=", registration._name), ("res_id", "=", registration.id)]
        )

    def test_portal_user_gets_the_portal_page(self):
        registration = self.training._register_participant(
            self.portal_user.partner_id, consent=True
        )
        self.assertEqual(registration.state, "confirmed")
        body = self.mails_of(registration).body_html
        self.assertIn(f"/my/kommune/trainings/{registration.id}", body)
        self.assertIn("your personal page", body)
        registration._send_training_mail(REMINDER)
        reminders = self.mails_of(registration)
        self.assertEqual(len(reminders), 2)
        for mail in reminders:
            self.assertIn(f"/my/kommune/trainings/{registration.id}", mail.body_html)

    def test_person_without_account_gets_no_portal_page(self):
        self.training._register_participant(self.portal_user.partner_id, consent=True)
        registration = self.training._register_participant(self.person, consent=True)
        self.assertEqual(registration.state, "waitlist")
        body = self.mails_of(registration).body_html
        self.assertNotIn("/my/kommune/trainings", body, "no login page for somebody without one")
        if hasattr(self.training, "_get_invitation_url"):
            self.assertIn(self.training._get_invitation_url(self.person), body)
        else:
            self.assertNotIn("o_kommune_personal_link", body)

    def test_other_mails_are_unchanged(self):
        registration = self.training._register_participant(
            self.portal_user.partner_id, consent=True
        )
        mails = registration._send_training_mail(
            "kommune_interkulturell.mail_template_training_thanks"
        )
        self.assertNotIn("o_kommune_personal_link", mails.body_html or "")


@tagged("post_install", "-at_install")
class TestPortalMailLinks(HttpCase):
    """Each mail about a registration (confirmation, waitlist, moving up from the
    waitlist, reminder) carries a link that opens the person's own page - the portal
    page for a portal user, the signed personal link for a person without an account -
    and that link opens nobody else's page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env["ir.default"].set("res.partner", "lang", "en_US")
        cls.users = []
        for login, name in (("ki_mail_one", "Mina One"), ("ki_mail_two", "Tarek Two")):
            user = new_test_user(cls.env, login=login, name=name, groups="base.group_portal")
            user.partner_id.write({"email": f"{login}@portal.example.org", "lang": "en_US"})
            cls.users.append(user)
        cls.person = cls.env["res.partner"].create(
            {"name": "Nuri Without Account", "email": "nuri@portal.example.org", "lang": "en_US"}
        )
        cls.training = create_training_with_session(cls.env, "Portal Link Training")

    def personal_link(self, registration, template=None):
        mails = self.env["mail.mail"].search(
            [("model", "=", registration._name), ("res_id", "=", registration.id)],
            order="id desc",
        )
        if template:
            mails = mails.filtered(lambda mail: template in mail.subject)
        self.assertTrue(mails, "a mail about the registration")
        match = re.search(
            r'class="o_kommune_personal_link">[^<]*<a href="([^"]+)"', mails[0].body_html
        )
        self.assertTrue(match, f"the personal link in “{mails[0].subject}”")
        return match.group(1)

    def path(self, url):
        return urlsplit(url).path

    def assertOpensOwnPortalPage(self, url, registration, owner, other):
        path = self.path(url)
        self.assertEqual(path, f"/my/kommune/trainings/{registration.id}")
        self.authenticate(None, None)
        anonymous = self.url_open(path)
        self.assertIn("/web/login", anonymous.url, "a login first")
        self.authenticate(owner.login, owner.login)
        own = self.url_open(path)
        self.assertEqual(own.status_code, 200)
        self.assertEqual(self.path(own.url), path)
        self.assertIn("Portal Link Training", own.text)
        self.authenticate(other.login, other.login)
        foreign = self.url_open(path)
        self.assertEqual(self.path(foreign.url), "/my/kommune/trainings", "back to the list")
        self.assertNotIn(owner.name, foreign.text)

    def assertOpensOwnSignedPage(self, url):
        self.authenticate(None, None)
        page = self.url_open(self.path(url))
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.person.name, page.text)
        for user in self.users:
            self.assertNotIn(user.name, page.text)
        token = self.path(url).rstrip("/").rpartition("/")[2]
        forged = self.path(url).replace(token, token[:-4] + "0000")
        self.assertEqual(self.url_open(forged).status_code, 404)

    def test_mail_links_open_the_own_page_only(self):
        one, two = self.users
        reg_one = self.training._register_participant(one.partner_id, consent=True)
        self.assertEqual(reg_one.state, "confirmed")
        # Confirmation, portal user.
        self.assertOpensOwnPortalPage(self.personal_link(reg_one), reg_one, one, two)
        reg_two = self.training._register_participant(two.partner_id, consent=True)
        reg_person = self.training._register_participant(self.person, consent=True)
        self.assertEqual((reg_two | reg_person).mapped("state"), ["waitlist", "waitlist"])
        # Waitlist, portal user and person without account.
        self.assertOpensOwnPortalPage(self.personal_link(reg_two), reg_two, two, one)
        self.assertOpensOwnSignedPage(self.personal_link(reg_person))
        # Moving up: the first one cancels, the first waiting moves up (confirmation).
        reg_one.action_cancel()
        self.assertEqual(reg_two.state, "confirmed")
        self.assertOpensOwnPortalPage(self.personal_link(reg_two), reg_two, two, one)
        reg_two.action_cancel()
        self.assertEqual(reg_person.state, "confirmed")
        self.assertOpensOwnSignedPage(self.personal_link(reg_person))
        # Reminder, both kinds of people (the first one registered again).
        reg_one = self.training._register_participant(one.partner_id, consent=True)
        (reg_person | reg_one)._send_training_mail(REMINDER)
        self.assertOpensOwnSignedPage(self.personal_link(reg_person, "Reminder"))
        self.assertOpensOwnPortalPage(self.personal_link(reg_one, "Reminder"), reg_one, one, two)
