from odoo.tests import TransactionCase, new_test_user, tagged

REMINDER = "kommune_interkulturell.mail_template_training_reminder"


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
        cls.training = cls.env["kommune.training"].create(
            {
                "name": "Portal Mail Training",
                "topic_id": cls.env.ref("kommune_interkulturell.training_topic_fundraising").id,
                "seats_max": 1,
                "stage_id": cls.env.ref("kommune_interkulturell.training_stage_open").id,
            }
        )
        cls.env["kommune.training.session"].create(
            {
                "training_id": cls.training.id,
                "start": "2031-03-03 08:00:00",
                "stop": "2031-03-03 11:00:00",
            }
        )

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
