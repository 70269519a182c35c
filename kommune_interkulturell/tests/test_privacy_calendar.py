from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_privacy import PrivacyCommon


@tagged("post_install", "-at_install")
class TestCalendarPrivacy(PrivacyCommon):
    """Training sessions and cooperation meetings are calendar events whose attendees
    are the network's people. Only the project's users of the event's company see them
    (events, attendees, minutes, action items); other employees, and project users of
    other companies, see only the events they organise or attend. Calendar's ordinary
    events stay as calendar makes them: every employee reads them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.employee = new_test_user(
            env, login="ki_employee", name="Emil Angestellt", groups="base.group_user"
        )
        # An employee without the project's groups who takes part in the training.
        cls.employee_participant = new_test_user(
            env, login="ki_employee_participant", name="Erna Teilnehmend", groups="base.group_user"
        )
        cls.other_project_user = new_test_user(
            env,
            login="ki_other_project_user",
            name="Olga Anderes Projekt",
            groups="kommune_interkulturell.group_kommune_user",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.training.seats_max = 5
        silent = cls.training.with_context(kommune_training_no_mail=True)
        for person in cls.persons[:2] | cls.employee_participant.partner_id:
            silent._register_participant(person, consent=True)
        cls.session_events = cls.sessions.calendar_event_id
        cls.cooperation = env["kommune.cooperation"].create(
            {
                "name": "Test Kooperation Kalender",
                "user_id": cls.user.id,
                "member_ids": [Command.create({"partner_id": cls.mo.id})],
            }
        )
        cls.meeting = env["calendar.event"].create(
            {
                "name": "Test Kooperationstreffen",
                "cooperation_id": cls.cooperation.id,
                "user_id": cls.user.id,
                "start": datetime(2031, 2, 2, 9),
                "stop": datetime(2031, 2, 2, 10),
                "partner_ids": [Command.set((cls.persons[2] | cls.mo_person).ids)],
                "cooperation_minutes": "<p>Frau Teilnehmende 3 braucht eine Dolmetscherin.</p>",
                "cooperation_action_item_ids": [
                    Command.create({"name": "Anrufen", "partner_id": cls.persons[2].id})
                ],
            }
        )
        cls.kommune_events = cls.session_events | cls.meeting
        # Calendar's ordinary events: a colleague's meeting, and one about a contact.
        cls.ordinary = env["calendar.event"].create(
            {
                "name": "Test Teamrunde",
                "user_id": cls.manager.id,
                "start": datetime(2031, 2, 3, 9),
                "stop": datetime(2031, 2, 3, 10),
                "partner_ids": [Command.set((cls.manager.partner_id | cls.persons[3]).ids)],
            }
        )
        cls.ordinary_document = env["calendar.event"].create(
            {
                "name": "Test Gespräch",
                "user_id": cls.manager.id,
                "start": datetime(2031, 2, 4, 9),
                "stop": datetime(2031, 2, 4, 10),
                "res_model_id": env["ir.model"]._get_id("res.partner"),
                "res_id": cls.mo.id,
                "partner_ids": [Command.set(cls.persons[4].ids)],
            }
        )

    def assert_hidden(self, user, events):
        """``user`` neither finds, reads nor counts ``events`` and their attendees."""
        Event = self.env["calendar.event"].with_user(user)
        self.assertFalse(Event.search([("id", "in", events.ids)]))
        for event in events:
            with self.assertRaises(AccessError):
                event.with_user(user).read(["name", "partner_ids"])
            with self.assertRaises(AccessError):
                event.attendee_ids[:1].with_user(user).read(["partner_id"])
        people = events.partner_ids
        self.assertFalse(Event.search([("partner_ids", "in", people.ids)]) & events)
        self.assertFalse(
            self.env["calendar.attendee"].with_user(user).search([("event_id", "in", events.ids)])
        )
        self.assertFalse(
            Event.formatted_read_group([("id", "in", events.ids)], ["partner_ids"], ["__count"])
        )

    def test_employee_without_project_group_sees_no_people(self):
        self.assert_hidden(self.employee, self.kommune_events)
        self.assertEqual(self.persons[0].with_user(self.employee).meeting_count, 0)

    def test_project_user_of_other_company_sees_no_people(self):
        self.assert_hidden(self.other_project_user, self.kommune_events)
        self.assertEqual(self.persons[0].with_user(self.other_project_user).meeting_count, 0)

    def test_cancelled_session_stays_hidden(self):
        self.sessions[0].action_cancel()
        self.assertFalse(self.session_events[0].active)
        Event = self.env["calendar.event"].with_user(self.employee).with_context(active_test=False)
        self.assertFalse(Event.search([("id", "in", self.session_events.ids)]))

    def test_project_user_of_the_company_sees_people(self):
        for user in (self.user, self.manager):
            with self.subTest(user=user.login):
                Event = self.env["calendar.event"].with_user(user)
                self.assertEqual(
                    Event.search([("id", "in", self.kommune_events.ids)]), self.kommune_events
                )
                self.assertIn(self.persons[0], self.session_events[0].with_user(user).partner_ids)
                attendees = (
                    self.env["calendar.attendee"]
                    .with_user(user)
                    .search([("event_id", "=", self.meeting.id)])
                )
                self.assertEqual(attendees.partner_id, self.persons[2] | self.mo_person)
                meeting = self.meeting.with_user(user)
                self.assertIn("Dolmetscherin", meeting.cooperation_minutes)
                self.assertEqual(meeting.cooperation_action_item_ids.partner_id, self.persons[2])
                self.assertEqual(
                    self.sessions.with_user(user).search([]) & self.sessions, self.sessions
                )
                self.assertEqual(self.persons[0].with_user(user).meeting_count, 2)

    def test_other_company_project_user_sees_own_company(self):
        """The rule is per company, not a privilege of the other company's users."""
        training = self.env["kommune.training"].create(
            {"name": "Anderes Projekt", "company_id": self.other_company.id}
        )
        session = self.env["kommune.training.session"].create(
            {
                "training_id": training.id,
                "start": datetime(2031, 1, 1, 8),
                "stop": datetime(2031, 1, 1, 9),
            }
        )
        training.with_context(kommune_training_no_mail=True)._register_participant(
            self.persons[4], consent=True
        )
        self.assertTrue(session.attendee_ids)
        Event = self.env["calendar.event"].with_user(self.other_project_user)
        self.assertEqual(
            Event.search([("id", "=", session.calendar_event_id.id)]), session.calendar_event_id
        )
        self.assert_hidden(self.user, session.calendar_event_id)

    def test_attendee_keeps_own_event(self):
        """An employee without the project's groups still has their own session in their
        calendar, can answer the invitation, but never reads minutes or action items."""
        user = self.employee_participant
        Event = self.env["calendar.event"].with_user(user)
        self.assertEqual(Event.search([("id", "in", self.kommune_events.ids)]), self.session_events)
        event = self.session_events[0].with_user(user)
        self.assertEqual(event.name, self.training.name)
        own = event.attendee_ids.filtered(lambda attendee: attendee.partner_id == user.partner_id)
        own.do_accept()
        self.assertEqual(own.state, "accepted")
        # The organiser likewise keeps the meeting they organise.
        self.meeting.user_id = self.employee
        self.assertEqual(self.meeting.with_user(self.employee).name, "Test Kooperationstreffen")
        for fname in ("cooperation_minutes", "cooperation_action_item_ids"):
            with self.assertRaises(AccessError):
                self.meeting.with_user(self.employee).read([fname])
        form = (
            self.env["calendar.event"]
            .with_user(self.employee)
            .get_view(self.env.ref("calendar.view_calendar_event_form").id, "form")["arch"]
        )
        self.assertNotIn("cooperation_minutes", form)

    def test_ordinary_events_unchanged(self):
        """Calendar's own rule for employees still holds for every other event."""
        ordinary = self.ordinary | self.ordinary_document
        for user in (self.employee, self.other_project_user, self.user):
            with self.subTest(user=user.login):
                Event = self.env["calendar.event"].with_user(user)
                self.assertEqual(Event.search([("id", "in", ordinary.ids)]), ordinary)
                self.assertEqual(
                    self.ordinary.with_user(user).partner_ids,
                    self.manager.partner_id | self.persons[3],
                )
                attendees = (
                    self.env["calendar.attendee"]
                    .with_user(user)
                    .search([("event_id", "in", ordinary.ids)])
                )
                self.assertEqual(attendees.partner_id, self.manager.partner_id | self.persons[3:5])
        self.assertFalse(ordinary.kommune_company_id)
        self.assertEqual(self.kommune_events.kommune_company_id, self.company)
