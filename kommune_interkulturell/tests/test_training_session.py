from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common_training import KommuneTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingSession(KommuneTrainingCommon):
    # ------------------------------------------------------------
    # A session is a calendar event
    # ------------------------------------------------------------

    def test_session_is_calendar_event(self):
        session = self.sessions[0]
        event = session.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(event.name, self.training.name)
        self.assertEqual((event.start, event.stop), (session.start, session.stop))
        self.assertEqual(event.res_model, "kommune.training")
        self.assertEqual(event.res_id, self.training.id)
        self.assertEqual(event.user_id, self.user, "the responsible organises the events")
        self.assertEqual(event.privacy, "public")
        self.assertIn("Test MO Brücke e.V.", event.location)
        self.assertEqual(event.partner_ids, self.trainer)
        self.assertFalse(
            self.training.activity_ids, "sessions do not add Meeting activities to the training"
        )
        self.assertEqual(
            self.env["calendar.event"].search(
                [("res_model", "=", "kommune.training"), ("res_id", "=", self.training.id)]
            ),
            self.sessions.calendar_event_id,
        )

    def test_online_training_session(self):
        training = self.env["kommune.training"].create(
            {"name": "Webinar", "format": "webinar", "online_url": "https://meet.example.org/x"}
        )
        session = self.env["kommune.training.session"].create(
            {
                "training_id": training.id,
                "start": datetime(2031, 4, 1, 16),
                "stop": datetime(2031, 4, 1, 18),
            }
        )
        self.assertEqual(session.videocall_location, "https://meet.example.org/x")
        self.assertFalse(session.location)

    def test_move_session_moves_event(self):
        session = self.sessions[1]
        new_start = datetime(2031, 4, 7, 12, 0)
        session.write({"start": new_start, "stop": new_start + timedelta(hours=2)})
        self.assertEqual(session.calendar_event_id.start, new_start)
        self.assertEqual(session.calendar_event_id.stop, new_start + timedelta(hours=2))
        self.assertEqual(self.training.date_end, new_start + timedelta(hours=2))
        # Moving the event in the calendar moves the session and the training's dates.
        session.calendar_event_id.write(
            {"start": new_start + timedelta(days=1), "stop": new_start + timedelta(days=1, hours=2)}
        )
        self.assertEqual(session.start, new_start + timedelta(days=1))
        self.assertEqual(self.training.date_end, new_start + timedelta(days=1, hours=2))

    def test_move_session_notifies_attendees(self):
        registrations = self.register(self.persons[:1])
        event = self.sessions[0].calendar_event_id
        before = self.env["mail.message"].search([("model", "=", "calendar.event")]).ids
        later = self.first_start + timedelta(hours=2)
        self.sessions[0].write({"start": later, "stop": later + timedelta(hours=3)})
        notices = self.env["mail.message"].search(
            [("model", "=", "calendar.event"), ("res_id", "=", event.id), ("id", "not in", before)]
        )
        self.assertIn(registrations.partner_id, notices.partner_ids)

    def test_cancel_session_archives_event(self):
        session = self.sessions[0]
        session.action_cancel()
        self.assertFalse(session.active)
        self.assertFalse(session.calendar_event_id.active)
        self.assertNotIn(session, self.training.session_ids)
        session.action_restore()
        self.assertTrue(session.calendar_event_id.active)
        self.assertEqual(self.training.session_count, 2)

    def test_cancel_training_cancels_events(self):
        self.training.stage_id = self.stage_cancelled
        events = self.sessions.calendar_event_id.with_context(active_test=False)
        self.assertEqual(events.mapped("active"), [False, False])
        self.assertFalse(
            self.env["calendar.event"].search([("id", "in", events.ids)]),
            "the events are gone from the calendar",
        )

    def test_delete_session_deletes_event(self):
        events = self.sessions.calendar_event_id
        self.sessions[0].with_user(self.manager).unlink()
        self.assertFalse(events[0].exists())
        self.assertTrue(events[1].exists())
        self.assertEqual(self.training.session_count, 1)
        self.training.with_user(self.manager).unlink()
        self.assertFalse(events.exists(), "deleting the training deletes its events")

    def test_delete_event_in_calendar_refused(self):
        with self.assertRaises(UserError):
            self.sessions[0].calendar_event_id.with_user(self.user).unlink()

    # ------------------------------------------------------------
    # Attendees follow registrations
    # ------------------------------------------------------------

    def test_attendees_follow_registrations(self):
        first, second, third = self.register(self.persons[:3])
        self.assertEqual(third.state, "waitlist")
        registered = self.env["kommune.training.registration"].create(
            {"training_id": self.training.id, "partner_id": self.persons[3].id}
        )
        expected = self.trainer | first.partner_id | second.partner_id
        for session in self.sessions:
            self.assertEqual(session.partner_ids, expected)
            self.assertEqual(session.attendee_ids.partner_id, expected)
        self.assertNotIn(registered.partner_id, self.sessions.partner_ids)
        first.action_cancel()
        expected = self.trainer | second.partner_id | third.partner_id
        for session in self.sessions:
            self.assertEqual(session.partner_ids, expected, "the promoted person joins")

    def test_attendees_set_right_in_each_session(self):
        """Somebody added by hand to one session's event only: the next change of the
        seat holders sets each session right, attendees included."""
        person, other, late = self.persons[:3]
        self.register(person)
        self.sessions[0].calendar_event_id.partner_ids = [Command.unlink(person.id)]
        self.sessions[1].calendar_event_id.partner_ids = [Command.link(other.id)]
        # Registered without consent yet: no seat, the sessions are set right.
        self.training._register_participant(late)
        expected = self.trainer | person
        for session in self.sessions:
            self.assertEqual(session.partner_ids, expected)
            self.assertEqual(session.attendee_ids.partner_id, expected)

    def test_confirmation_sends_no_calendar_invitation(self):
        """Participants get the training's own confirmation (all sessions at once), not
        one calendar invitation per session."""
        before = self.env["mail.message"].search([("model", "=", "calendar.event")]).ids
        self.register(self.persons[:1])
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "calendar.event"), ("id", "not in", before)]
            )
        )

    def test_new_session_invites_participants(self):
        registrations = self.register(self.persons[:2])
        start = self.first_start + timedelta(days=21)
        session = self.env["kommune.training.session"].create(
            {"training_id": self.training.id, "start": start, "stop": start + timedelta(hours=3)}
        )
        self.assertEqual(session.partner_ids, self.trainer | registrations.partner_id)
        invitations = self.env["mail.message"].search(
            [("model", "=", "calendar.event"), ("res_id", "=", session.calendar_event_id.id)]
        )
        self.assertTrue(set(registrations.partner_id.ids) <= set(invitations.partner_ids.ids))
        self.assertEqual(len(session.attendance_ids), 2, "the sheet lists both participants")

    def test_session_mails_name_no_other_participant(self):
        """Participants of different organisations learn nothing of each other from the
        calendar: its mail of a moved or added session, and the .ics attached, names
        only the participant it goes to. The trainer's still lists the attendees."""
        first, second = self.register(self.persons[:2]).partner_id
        mails = self.env["mail.mail"]
        before = mails.search([]).ids
        later = self.first_start + timedelta(hours=2)
        self.sessions[0].write({"start": later, "stop": later + timedelta(hours=3)})
        start = self.first_start + timedelta(days=21)
        self.env["kommune.training.session"].create(
            {"training_id": self.training.id, "start": start, "stop": start + timedelta(hours=3)}
        )
        sent = mails.search([("id", "not in", before)])
        for person, other in ((first, second), (second, first)):
            own = sent.filtered(lambda mail, person=person: person in mail.recipient_ids)
            self.assertEqual(len(own), 2, "one mail per moved or added session")
            for mail in own:
                contents = [
                    mail.subject,
                    mail.body_html,
                    *(attachment.raw.decode() for attachment in mail.attachment_ids),
                ]
                self.assertTrue(mail.attachment_ids, "the date as .ics")
                self.assertIn(person.name, mail.body_html)
                for content in contents:
                    for detail in (other.name, other.email, self.trainer.email):
                        self.assertNotIn(detail, content)
        trainer_mails = sent.filtered(lambda mail: self.trainer in mail.recipient_ids)
        self.assertTrue(trainer_mails)
        self.assertIn(first.name, " ".join(trainer_mails.mapped("body_html")))

    def test_organiser_follows_responsible(self):
        self.training.user_id = self.manager
        self.assertEqual(self.sessions.calendar_event_id.user_id, self.manager)

    def test_trainers_follow_training(self):
        colleague = self.user.partner_id
        self.training.trainer_ids = [(4, colleague.id)]
        for session in self.sessions:
            self.assertEqual(session.trainer_ids, self.trainer | colleague)
            self.assertIn(colleague, session.partner_ids)
        # A session can have its own trainer.
        self.sessions[1].trainer_ids = colleague
        self.assertEqual(self.sessions[1].partner_ids, colleague)

    def test_session_form(self):
        with Form(self.env["kommune.training.session"].with_user(self.user)) as form:
            form.training_id = self.training
            form.name = "Zusatztermin"
            form.start = datetime(2031, 5, 1, 8, 0)
            form.stop = datetime(2031, 5, 1, 10, 0)
        session = form.record
        self.assertEqual(session.trainer_ids, self.trainer)
        self.assertEqual(self.training.session_count, 3)
        with Form(session) as form:
            form.start = datetime(2031, 5, 2, 8, 0)
            self.assertEqual(form.stop, datetime(2031, 5, 2, 10, 0), "duration is kept")

    def test_calendar_of_sessions(self):
        """The sessions' calendar view reads by date and groups by month."""
        Session = self.env["kommune.training.session"].with_user(self.user)
        found = Session.search(
            [("start", ">=", datetime(2031, 3, 1)), ("stop", "<=", datetime(2031, 3, 31))]
        )
        self.assertEqual(found, self.sessions)
        groups = Session.formatted_read_group(
            [("training_id", "=", self.training.id)], ["start:month"], ["__count"]
        )
        self.assertEqual([group["__count"] for group in groups], [2])
        action = self.training.action_open_calendar()
        self.assertEqual(
            self.env["calendar.event"].search(action["domain"]), self.sessions.calendar_event_id
        )

    # ------------------------------------------------------------
    # Attendance
    # ------------------------------------------------------------

    def test_attendance_sheet_and_attended(self):
        first, second = self.register(self.persons[:2])
        session_1, session_2 = self.sessions
        self.assertEqual(len(session_1.attendance_ids), 2)
        self.assertEqual(session_1.participant_count, 2)
        first.attendance_ids.filtered(lambda a: a.session_id == session_1).present = True
        self.assertEqual(first.attendance_rate, 50.0)
        self.assertEqual(first.state, "confirmed", "50 % is below the default 80 %")
        self.assertEqual(session_1.present_count, 1)
        session_2.action_mark_all_present()
        self.assertEqual(first.attendance_rate, 100.0)
        self.assertEqual(first.state, "attended")
        self.assertEqual(first.attended_hours, 6.0)
        self.assertEqual(second.state, "confirmed")
        # Unticking takes it back.
        first.attendance_ids.filtered(lambda a: a.session_id == session_2).present = False
        self.assertEqual(first.state, "confirmed")

    def test_attendance_threshold_is_configurable(self):
        self.env["ir.config_parameter"].set_param(
            "kommune_interkulturell.training_attendance_threshold", "50"
        )
        (registration,) = self.register(self.persons[:1])
        self.sessions[0].action_mark_all_present()
        self.assertEqual(registration.state, "attended")
        self.env["ir.config_parameter"].set_param(
            "kommune_interkulturell.training_attendance_threshold", "not a number"
        )
        self.assertEqual(self.env["kommune.training"]._get_attendance_threshold(), 80)

    def test_cancelled_session_does_not_count(self):
        (registration,) = self.register(self.persons[:1])
        self.sessions[0].action_mark_all_present()
        self.assertEqual(registration.state, "confirmed")
        self.sessions[1].action_cancel()
        self.assertEqual(registration.attendance_rate, 100.0)
        self.assertEqual(registration.state, "attended")

    def test_absent_once_training_is_over(self):
        present, missing = self.register(self.persons[:2])
        self.sessions.action_mark_all_present()
        self.sessions.attendance_ids.filtered(
            lambda a: a.registration_id == missing
        ).present = False
        self.assertEqual(missing.state, "confirmed", "the training is not over yet")
        with freeze_time(self.first_start + timedelta(days=30)):
            missing._update_attendance_state()
            self.assertEqual(missing.state, "absent")
            self.assertEqual(present.state, "attended")

    def test_no_promotion_after_the_end(self):
        first, _second, waiting = self.register(self.persons[:3])
        with freeze_time(self.first_start + timedelta(days=30)):
            first.action_cancel()
        self.assertEqual(waiting.state, "waitlist")

    def test_no_absent_without_attendance_taken(self):
        (registration,) = self.register(self.persons[:1])
        with freeze_time(self.first_start + timedelta(days=30)):
            registration._update_attendance_state()
        self.assertEqual(registration.state, "confirmed")

    def test_attendance_needs_same_training(self):
        other = self.env["kommune.training"].create({"name": "Andere Schulung"})
        registration = self.env["kommune.training.registration"].create(
            {"training_id": other.id, "partner_id": self.persons[0].id}
        )
        with self.assertRaises(ValidationError):
            self.env["kommune.training.attendance"].create(
                {"session_id": self.sessions[0].id, "registration_id": registration.id}
            )
