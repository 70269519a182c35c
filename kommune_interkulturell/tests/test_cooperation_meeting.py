from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common_cooperation import CooperationCommon


@tagged("post_install", "-at_install")
class TestCooperationMeeting(CooperationCommon):
    def test_meeting_button_invites_members(self):
        action = self.cooperation.with_user(self.user).action_schedule_meeting()
        self.assertEqual(action["res_model"], "calendar.event")
        context = action["context"]
        self.assertEqual(context["default_cooperation_id"], self.cooperation.id)
        self.assertEqual(
            set(context["default_partner_ids"]),
            {self.user.partner_id.id, self.admin_person.id, self.mo_manager.id},
        )
        # A member without a contact person is invited as an organisation.
        self.cooperation.member_ids = [Command.create({"partner_id": self.labour_actor.id})]
        action = self.cooperation.action_schedule_meeting()
        self.assertIn(self.labour_actor.id, action["context"]["default_partner_ids"])

    def test_meeting_created_from_button_links_attendees_and_contact(self):
        coop = self.cooperation.with_user(self.user)
        self.assertFalse(coop.date_last_contact)
        context = coop.action_schedule_meeting()["context"]
        start = self._days_ago(1)
        with Form(self.env["calendar.event"].with_user(self.user).with_context(**context)) as form:
            form.start = start
            form.duration = 1
        meeting = form.record
        self.assertEqual(meeting.cooperation_id, self.cooperation)
        self.assertEqual((meeting.res_model, meeting.res_id), (coop._name, coop.id))
        self.assertEqual(meeting.name, coop.name)
        self.assertEqual(
            meeting.partner_ids, self.user.partner_id | self.admin_person | self.mo_manager
        )
        self.assertEqual(
            meeting.attendee_ids.partner_id, meeting.partner_ids, "attendees are invited"
        )
        self.assertEqual(coop.meeting_ids, meeting)
        self.assertEqual(coop.meeting_count, 1)
        self.assertEqual(coop.date_last_contact, meeting.start)
        self.assertEqual(coop.days_since_contact, 1)
        # The organisations of the attendees are in touch as well.
        self.assertEqual(self.administration.date_last_contact, meeting.start)
        self.assertEqual(self.mo.date_last_contact, meeting.start)
        self.assertEqual(self.mo.days_since_contact, 1)
        # Logged in the chatter, with a link to the meeting.
        log = coop.message_ids.filtered(lambda m: f'data-oe-id="{meeting.id}"' in m.body)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.message_type, "notification")
        # It took place already: no "Meeting" to-do left on the cooperation.
        self.assertFalse(coop.activity_ids)

    def test_planned_meeting_is_next_not_last_contact(self):
        start = fields.Datetime.now() + timedelta(days=3)
        meeting = self._create_meeting(self.cooperation, start)
        coop = self.cooperation
        self.assertEqual(coop.next_meeting_start, meeting.start)
        self.assertFalse(coop.date_last_contact, "a planned meeting is no contact yet")
        # calendar plans the "Meeting" activity on the cooperation, as on any document.
        self.assertEqual(
            coop.activity_ids.activity_type_id, self.env.ref("mail.mail_activity_data_meeting")
        )
        self.assertEqual(coop.activity_ids.calendar_event_id, meeting)

    def test_meeting_planned_from_activity_is_linked(self):
        # "Schedule activity > Meeting" in the chatter opens the calendar with the
        # generic document link only.
        meeting = (
            self.env["calendar.event"]
            .with_user(self.user)
            .with_context(
                default_res_model="kommune.cooperation", default_res_id=self.cooperation.id
            )
            .create(
                {"name": "Aus Aktivität", "start": self._days_ago(2), "stop": self._days_ago(2, 12)}
            )
        )
        self.assertEqual(meeting.cooperation_id, self.cooperation)
        self.assertEqual(self.cooperation.date_last_contact, meeting.start)

    def test_cancelled_meeting_is_no_contact(self):
        meeting = self._create_meeting(self.cooperation, self._days_ago(5))
        self.assertEqual(self.cooperation.date_last_contact, meeting.start)
        self.assertEqual(self.mo.date_last_contact, meeting.start)
        meeting.action_archive()
        self.assertFalse(self.cooperation.date_last_contact)
        self.assertEqual(self.cooperation.meeting_count, 0)
        self.assertFalse(self.mo.date_last_contact)

    def test_only_network_partners_track_contact(self):
        meeting = self._create_meeting(self.cooperation, self._days_ago(2))
        meeting.partner_ids |= self.user.partner_id
        self.assertEqual(self.admin_person.date_last_contact, meeting.start)
        self.assertFalse(self.user.partner_id.date_last_contact, "a colleague, not the network")

    def test_moving_meeting_to_other_cooperation(self):
        other = self._create_cooperation("Andere Kooperation")
        meeting = self._create_meeting(self.cooperation, self._days_ago(5))
        self.assertEqual(self.cooperation.date_last_contact, meeting.start)
        meeting.cooperation_id = other
        self.assertEqual(meeting.res_id, other.id)
        self.assertFalse(self.cooperation.date_last_contact)
        self.assertEqual(other.date_last_contact, meeting.start)
        meeting.cooperation_id = False
        self.assertFalse(meeting.res_model)

    def test_smart_button_lists_meetings(self):
        meetings = self._create_meeting(
            self.cooperation, self._days_ago(10)
        ) | self._create_meeting(self.cooperation, fields.Datetime.now() + timedelta(days=7))
        self._create_meeting(self._create_cooperation("Andere"), self._days_ago(3))
        action = self.cooperation.action_view_meetings()
        self.assertEqual(self.env["calendar.event"].search(action["domain"]), meetings)
        self.assertEqual(action["context"]["default_cooperation_id"], self.cooperation.id)
        self.assertEqual(action["views"][0][1], "list")

    def test_dialogue_messages_are_contacts(self):
        coop = self.cooperation.with_user(self.user)
        # Tracking and system logs are no contact...
        coop.stage_id = self.stage_first_meeting
        self.env.flush_all()
        self.cr.flush()
        self.assertFalse(coop.date_last_contact)
        # ...a logged call is.
        # As the chatter's "Log note" posts it.
        note = coop.message_post(
            body="Telefonat mit Frau Verwaltung",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertEqual(coop.date_last_contact, note.date)
        self.assertEqual(self.mo.date_last_contact, note.date, "through the membership")

    def test_done_activity_is_contact(self):
        coop = self.cooperation.with_user(self.user)
        activity = coop.activity_schedule("mail.mail_activity_data_call", user_id=self.user.id)
        self.assertFalse(coop.date_last_contact, "a planned call is no contact")
        activity.action_feedback(feedback="Erreicht")
        self.assertTrue(coop.date_last_contact)

    def test_note_on_person_is_contact_of_organisation(self):
        self.assertFalse(self.mo.date_last_contact)
        message = self.mo_person.message_post(
            body="Anruf", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertEqual(self.mo_person.date_last_contact, message.date)
        self.assertEqual(self.mo.date_last_contact, message.date)
        self.assertFalse(self.administration.date_last_contact)


@tagged("post_install", "-at_install")
class TestCooperationMinutes(CooperationCommon):
    def test_minutes_create_activities_follow_ups_and_post(self):
        meeting = self._create_meeting(self.cooperation, self._days_ago(1))
        self.env.flush_all()
        contact_before = self.cooperation.date_last_contact
        deadline = fields.Date.today() + timedelta(days=7)
        with Form(meeting.with_user(self.user)) as form:
            form.cooperation_minutes = "<p>Sprechstunde ab Mai, Flyer auf Arabisch</p>"
            with form.cooperation_action_item_ids.new() as item:
                item.name = "Raum im Bezirksamt reservieren"
                item.user_id = self.user
                item.date_deadline = deadline
            with form.cooperation_action_item_ids.new() as item:
                item.name = "Flyer übersetzen"
                item.partner_id = self.mo_manager
        items = meeting.cooperation_action_item_ids
        staff_item = items.filtered("user_id")
        partner_item = items.filtered("partner_id")

        # Users get a to-do on the cooperation...
        activity = staff_item.activity_id
        self.assertEqual(activity.res_model, "kommune.cooperation")
        self.assertEqual(activity.res_id, self.cooperation.id)
        self.assertEqual(activity.user_id, self.user)
        self.assertEqual(activity.summary, "Raum im Bezirksamt reservieren")
        self.assertEqual(activity.date_deadline, deadline)
        # ...partners' items form the follow-up list.
        self.assertFalse(partner_item.activity_id)
        self.assertEqual(self.cooperation.follow_up_count, 2)
        follow_ups = self.env["kommune.cooperation.action.item"].search(
            [
                ("cooperation_id", "=", self.cooperation.id),
                ("partner_id", "!=", False),
                ("is_done", "=", False),
            ]
        )
        self.assertEqual(follow_ups, partner_item)

        # The minutes go to the cooperation's chatter.
        minutes = self.cooperation.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("kommune_interkulturell.mt_cooperation_minutes")
        )
        self.assertEqual(len(minutes), 1)
        self.assertIn("Flyer auf Arabisch", minutes.body)
        self.assertIn("Raum im Bezirksamt reservieren", minutes.body)
        self.assertIn(self.mo_manager.name, minutes.body)
        self.assertEqual(minutes.author_id, self.user.partner_id)
        # Writing minutes records an old contact, it is no new one.
        self.assertEqual(self.cooperation.date_last_contact, contact_before)

        # Marking the to-do done ticks the item off (and counts as contact).
        activity.with_user(self.user).action_feedback(feedback="Raum 3.14")
        self.assertTrue(staff_item.is_done)
        self.assertEqual(self.cooperation.follow_up_count, 1)
        self.assertGreater(self.cooperation.date_last_contact, contact_before)

    def test_action_item_follows_changes(self):
        meeting = self._create_meeting(self.cooperation, self._days_ago(1))
        item = self.env["kommune.cooperation.action.item"].create(
            {"event_id": meeting.id, "name": "Vereinbarung entwerfen", "user_id": self.user.id}
        )
        activity = item.activity_id
        item.write({"user_id": self.manager.id, "date_deadline": "2030-01-15"})
        self.assertEqual(activity.user_id, self.manager)
        self.assertEqual(str(activity.date_deadline), "2030-01-15")
        # Handed to a partner: the to-do goes.
        item.write({"user_id": False, "partner_id": self.mo_person.id})
        self.assertFalse(activity.exists())
        item.write({"partner_id": False, "user_id": self.user.id})
        self.assertTrue(item.activity_id)
        activity = item.activity_id
        item.unlink()
        self.assertFalse(activity.exists())

    def test_action_item_needs_one_assignee(self):
        meeting = self._create_meeting(self.cooperation, self._days_ago(1))
        Item = self.env["kommune.cooperation.action.item"]
        with self.assertRaises(ValidationError):
            Item.create({"event_id": meeting.id, "name": "Niemand"})
        plain_meeting = self.env["calendar.event"].create(
            {"name": "Ohne Kooperation", "start": self._days_ago(1), "stop": self._days_ago(1, 11)}
        )
        with self.assertRaises(ValidationError):
            Item.create({"event_id": plain_meeting.id, "name": "X", "user_id": self.user.id})

    def test_deleting_meeting_drops_open_todos(self):
        meeting = self._create_meeting(self.cooperation, self._days_ago(1))
        item = self.env["kommune.cooperation.action.item"].create(
            {"event_id": meeting.id, "name": "Protokoll verschicken", "user_id": self.user.id}
        )
        activity = item.activity_id
        meeting.unlink()
        self.assertFalse(item.exists())
        self.assertFalse(activity.exists())

    def test_action_items_follow_their_meeting_to_another_cooperation(self):
        other = self._create_cooperation("Andere Kooperation")
        meeting = self._create_meeting(self.cooperation, self._days_ago(1))
        item = self.env["kommune.cooperation.action.item"].create(
            {"event_id": meeting.id, "name": "Vereinbarung entwerfen", "user_id": self.user.id}
        )
        meeting.cooperation_id = other
        self.assertEqual(item.cooperation_id, other)
        # The to-do goes with the item: the colleague finds it on the right cooperation.
        self.assertEqual(item.activity_id.res_id, other.id)
        self.assertFalse(self.cooperation.activity_ids.filtered(lambda a: a.summary == item.name))
        # Agreed items need a cooperation to be followed up on.
        with self.assertRaises(ValidationError):
            meeting.cooperation_id = False
