import base64
from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common_training import KommuneTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingMail(KommuneTrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.german = cls.persons[4]
        cls.german.lang = "de_DE"

    def mails(self, registrations, subject=None):
        """The queued training mails (real mail.mail records) of registrations."""
        domain = [
            ("model", "=", "kommune.training.registration"),
            ("res_id", "in", registrations.ids),
        ]
        if subject:
            domain.append(("subject", "ilike", subject))
        return self.env["mail.mail"].search(domain)

    # ------------------------------------------------------------
    # Confirmation, waitlist, promotion
    # ------------------------------------------------------------

    def test_confirmation_with_ics(self):
        (registration,) = self.register(self.persons[:1])
        mail = self.mails(registration)
        self.assertEqual(len(mail), 1)
        self.assertEqual(
            mail.subject, "Your registration is confirmed: Test Fördermittel beantragen"
        )
        self.assertEqual(mail.recipient_ids, registration.partner_id)
        self.assertIn("Monday, March 3, 2031", mail.body_html)
        self.assertIn("9:00", mail.body_html, "in the training's timezone (Berlin)")
        (ics_file,) = mail.attachment_ids
        self.assertTrue(ics_file.name.endswith(".ics"))
        ics = base64.b64decode(ics_file.datas).decode()
        self.assertEqual(ics.count("BEGIN:VEVENT"), 2, "all sessions in one file")
        self.assertIn("DTSTART:20310303T080000Z", ics)
        self.assertIn(f"UID:kommune-training-session-{self.sessions[0].id}-", ics)
        self.assertNotIn("ATTENDEE", ics, "no participant learns the others' addresses")

    def test_waitlist_and_promotion_mails(self):
        first, second, waiting = self.register(self.persons[:3])
        self.assertEqual(waiting.state, "waitlist")
        waitlist_mail = self.mails(waiting)
        self.assertEqual(len(waitlist_mail), 1)
        self.assertIn("waitlist", waitlist_mail.subject)
        self.assertFalse(waitlist_mail.attachment_ids)
        first.action_cancel()
        self.assertEqual(waiting.state, "confirmed")
        promotion = self.mails(waiting) - waitlist_mail
        self.assertEqual(len(promotion), 1)
        self.assertIn("confirmed", promotion.subject)
        self.assertIn("moved up from the waitlist", promotion.body_html)
        self.assertTrue(promotion.attachment_ids)
        self.assertNotIn("moved up", self.mails(second).body_html)

    def test_calling_off_tells_everybody_who_expects_to_come(self):
        first, second, waiting = self.register(self.persons[:3])
        (german,) = self.register(self.german)
        gone = self.register(self.persons[3])
        gone.action_cancel()
        self.training.action_cancel()
        for registration in (first, second, waiting):
            (mail,) = self.mails(registration, "Called off")
            self.assertEqual(mail.recipient_ids, registration.partner_id)
            self.assertIn("has been called off", mail.body_html)
        (mail,) = self.mails(german, "Abgesagt")
        self.assertIn("wurde abgesagt", mail.body_html)
        self.assertFalse(self.mails(gone, "Called off"), "cancelled before: not told")
        # Calling off again (or another stage change) tells nobody twice.
        self.training.write({"stage_id": self.training.stage_id.id})
        self.assertEqual(len(self.mails(first, "Called off")), 1)

    def test_promotion_order_and_consent(self):
        """First come, first served; who withdrew consent while waiting stays waiting."""
        first, _second, early, late = self.register(self.persons[:4])
        self.assertEqual((early.state, late.state), ("waitlist", "waitlist"))
        self.assertLess(early.date_waitlist, late.date_waitlist + timedelta(seconds=1))
        early.consent = False
        first.action_cancel()
        self.assertEqual((early.state, late.state), ("waitlist", "confirmed"))

    def test_more_seats_promote(self):
        registrations = self.register(self.persons[:4])
        self.training.seats_max = 3
        self.assertEqual(
            registrations.mapped("state"), ["confirmed", "confirmed", "confirmed", "waitlist"]
        )
        self.training.seats_max = 0
        self.assertEqual(set(registrations.mapped("state")), {"confirmed"})

    def test_mail_in_participants_language(self):
        (registration,) = self.register(self.german)
        mail = self.mails(registration)
        self.assertEqual(mail.subject, "Ihre Anmeldung ist bestätigt: Test Fördermittel beantragen")
        self.assertIn("Montag, 3. März 2031", mail.body_html)
        self.assertIn("Wir freuen uns auf Sie", mail.body_html)

    def test_no_mail_without_address_or_when_silenced(self):
        self.persons[0].email = False
        (registration,) = self.register(self.persons[:1])
        self.assertEqual(registration.state, "confirmed")
        self.assertFalse(self.mails(registration))
        silent = self.training.with_context(kommune_training_no_mail=True)
        registration = silent._register_participant(self.persons[1], consent=True)
        self.assertEqual(registration.state, "confirmed")
        self.assertFalse(self.mails(registration))

    # ------------------------------------------------------------
    # Invitations
    # ------------------------------------------------------------

    def test_online_link_only_for_confirmed_participants(self):
        """The invitation goes to people who hold no seat (and is forwarded): it names
        the dates without the video conference of an online training; the confirmation
        brings it."""
        online = "https://meet.example.org/kommune-geheim"
        self.training.write({"venue_id": False, "online_url": online})
        self.sessions.write({"location": False, "videocall_location": online})
        purpose = self.env.ref("kommune_interkulturell.consent_purpose_invitation")
        self.env["kommune.consent"].create(
            [{"partner_id": partner.id, "purpose_id": purpose.id} for partner in self.persons]
        )
        invited = self.training._invite_participants(self.persons[:1])
        invitation = self.mails(invited)
        self.assertEqual(len(invitation), 1)
        self.assertIn("March", invitation.body_html, "the dates are there")
        self.assertNotIn(online, invitation.body_html)

        confirmed = self.training._register_participant(self.persons[0], consent=True)
        self.assertEqual(confirmed.state, "confirmed")
        self.assertIn(online, (self.mails(confirmed) - invitation).body_html)

    def test_invite_wizard(self):
        """Invite Persons invites only who may be invited - a consent to invitations, no
        opt-out, an address neither blocklisted nor bounced - and lists the others with
        the reason; the invited get their registration and the mail."""
        purpose = self.env.ref("kommune_interkulturell.consent_purpose_invitation")
        already = self.training._register_participant(self.persons[0], consent=True)
        colleague_without_email = self.env["res.partner"].create(
            {"name": "Ohne E-Mail", "parent_id": self.mo.id}
        )
        blocklisted, without_consent = self.persons[3], self.mo_person
        self.env["kommune.consent"].create(
            [
                {"partner_id": partner.id, "purpose_id": purpose.id}
                for partner in self.persons | self.trainer | colleague_without_email
            ]
        )
        self.env["mail.blacklist"]._add(blocklisted.email)
        action = self.training.action_invite()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.user).with_context(**action["context"])
        )
        wizard_form.organization_ids.add(self.mo)
        wizard_form.partner_ids.add(self.trainer)
        self.assertEqual(wizard_form.invitee_count, 4)  # persons 2, 3 and 5, the trainer
        wizard = wizard_form.save()
        self.assertEqual(
            {line.partner_id: line.reason for line in wizard.exclusion_ids},
            {
                self.persons[0]: "registered",
                blocklisted: "blocklisted",
                without_consent: "no_legal_basis",
                colleague_without_email: "no_email",
            },
        )
        wizard.action_invite()
        invited = self.training.registration_ids.filtered(lambda r: r.state == "invited")
        self.assertEqual(
            invited.partner_id, self.persons[1:3] | self.german | self.trainer, "only who may be"
        )
        self.assertEqual(set(invited.mapped("source")), {"invitation"})
        self.assertEqual(already.state, "confirmed", "the registered person keeps hers")
        mails = self.mails(self.training.registration_ids)
        invitations = mails.filtered(lambda mail: mail.recipient_ids <= invited.partner_id)
        self.assertEqual(len(invitations), 4)
        self.assertEqual(invitations.recipient_ids, invited.partner_id)
        self.assertFalse(
            mails.recipient_ids & (blocklisted | without_consent | colleague_without_email),
            "nothing reaches those left out",
        )
        german = mails.filtered(lambda mail: mail.recipient_ids == self.german)
        self.assertEqual(german.subject, "Einladung: Test Fördermittel beantragen")
        # The invited person registers through the entry point and takes the last seat.
        registration = self.training._register_participant(self.trainer, consent=True)
        self.assertIn(registration, invited)
        self.assertEqual(registration.state, "confirmed")
        self.assertEqual(registration.source, "invitation")

    # ------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------

    def test_reminder_cron_once_to_confirmed(self):
        confirmed_1, confirmed_2, waiting = self.register(self.persons[:3])
        registered = self.env["kommune.training.registration"].create(
            {"training_id": self.training.id, "partner_id": self.persons[3].id}
        )
        other = self.env["kommune.training"].create({"name": "Später", "seats_max": 0})
        start = self.first_start + timedelta(days=20)
        self.env["kommune.training.session"].create(
            {"training_id": other.id, "start": start, "stop": start + timedelta(hours=2)}
        )
        later = self.register(self.persons[:1], training=other)
        everyone = confirmed_1 | confirmed_2 | waiting | registered | later
        Training = self.env["kommune.training"]

        with freeze_time(self.first_start - timedelta(days=3)):
            Training._cron_send_reminders()
        self.assertFalse(self.mails(everyone, "Reminder"), "too early (2 days by default)")

        with freeze_time(self.first_start - timedelta(days=1, hours=20)):
            Training._cron_send_reminders()
            Training._cron_send_reminders()
        reminders = self.mails(everyone, "Reminder")
        self.assertEqual(reminders.recipient_ids, (confirmed_1 | confirmed_2).partner_id)
        self.assertEqual(len(reminders), 2, "one each, however often the cron runs")
        self.assertTrue(confirmed_1.reminder_sent_date)
        self.assertIn("Monday, March 3, 2031", reminders[0].body_html)

        with freeze_time(self.first_start - timedelta(hours=2)):
            Training._cron_send_reminders()
        self.assertEqual(self.mails(everyone, "Reminder"), reminders)

    def test_reminder_days_configurable_and_cancelled_skipped(self):
        (registration,) = self.register(self.persons[:1])
        self.env["ir.config_parameter"].set_param(
            "kommune_interkulturell.training_reminder_days", "7"
        )
        self.training.stage_id = self.stage_cancelled
        with freeze_time(self.first_start - timedelta(days=6)):
            self.env["kommune.training"]._cron_send_reminders()
        self.assertFalse(
            self.mails(registration, "Reminder"), "no reminder for a cancelled training"
        )
        self.training.stage_id = self.stage_open
        self.sessions.action_restore()
        with freeze_time(self.first_start - timedelta(days=6)):
            self.env["kommune.training"]._cron_send_reminders()
        self.assertEqual(len(self.mails(registration, "Reminder")), 1)

    def test_thanks_cron_after_the_end(self):
        present, missing = self.register(self.persons[:2])
        self.sessions.action_mark_all_present()
        missing.attendance_ids.present = False
        Training = self.env["kommune.training"]
        with freeze_time(self.first_start + timedelta(days=6)):
            Training._cron_close_trainings()
        self.assertFalse(self.mails(present | missing, "Thank you"), "not over yet")
        self.training.feedback_url = "https://survey.example.org/foerdermittel"
        with freeze_time(self.first_start + timedelta(days=8)):
            Training._cron_close_trainings()
            Training._cron_close_trainings()
        self.assertEqual(missing.state, "absent")
        thanks = self.mails(present | missing, "Thank you")
        self.assertEqual(thanks.recipient_ids, present.partner_id)
        self.assertEqual(len(thanks), 1)
        self.assertIn("https://survey.example.org/foerdermittel", thanks.body_html)
        self.assertTrue(present.thanks_sent_date)

    def test_no_reminder_or_thanks_after_the_consent_is_withdrawn(self):
        """Reminders and thank-you mails are covered by the person's consent to
        training administration only: who withdrew it gets neither, though the
        registration stays (the seat is theirs until staff cancel it)."""
        keeps, withdraws = self.register(self.persons[:2])
        withdraws.with_user(self.user).consent = False
        self.assertEqual(withdraws.consent_id.state, "withdrawn")
        self.assertEqual(withdraws.state, "confirmed")
        Training = self.env["kommune.training"]
        with freeze_time(self.first_start - timedelta(days=1, hours=20)):
            Training._cron_send_reminders()
        self.assertEqual(self.mails(keeps | withdraws, "Reminder").recipient_ids, keeps.partner_id)
        self.sessions.action_mark_all_present()
        with freeze_time(self.first_start + timedelta(days=8)):
            Training._cron_close_trainings()
        self.assertEqual((keeps.state, withdraws.state), ("attended", "attended"))
        self.assertEqual(self.mails(keeps | withdraws, "Thank you").recipient_ids, keeps.partner_id)

    # ------------------------------------------------------------
    # Schedule and settings
    # ------------------------------------------------------------

    def test_schedule_in_language_and_timezone(self):
        lines = self.training.with_context(lang="de_DE")._get_schedule()
        self.assertEqual(lines[0]["date"], "Montag, 3. März 2031")
        self.assertEqual(lines[0]["time"], "09:00 – 12:00")
        self.assertIn("Test MO Brücke e.V.", lines[0]["location"])
        self.assertEqual(
            self.training.with_context(lang="de_DE")._get_date_range(),
            "3. März 2031 – 10. März 2031",
        )

    def test_settings(self):
        settings = self.env["res.config.settings"].create(
            {"kommune_training_attendance_threshold": 75, "kommune_training_reminder_days": 4}
        )
        settings.execute()
        self.assertEqual(self.env["kommune.training"]._get_attendance_threshold(), 75)
        self.assertEqual(self.env["kommune.training"]._get_reminder_days(), 4)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"kommune_training_attendance_threshold": 0})
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"kommune_training_reminder_days": -1})
        defaults = self.env["res.config.settings"].default_get(
            ["kommune_training_attendance_threshold"]
        )
        self.assertEqual(defaults["kommune_training_attendance_threshold"], 75)
