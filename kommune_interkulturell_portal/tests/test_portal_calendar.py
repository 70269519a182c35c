from odoo.tests import Form, tagged

from .common_portal import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalCalendarPrivacy(PortalCommon):
    """A participant learns nothing of the other participants of a session (names,
    addresses, people of other organisations) on any path the calendar opens to them:
    the .ics of "My trainings", the calendar's mails and their .ics, the calendar's
    pages behind its tokens, and its records over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A seat for the other organisation's participant too: all three attend.
        cls.training.seats_max = 3
        if cls.reg_b.state == "waitlist":
            cls.reg_b.with_context(kommune_training_no_mail=True).action_confirm()

    def others(self):
        """What user A must never see: the colleague and the other organisation's
        participant."""
        details = []
        for user in (self.user_a2, self.user_b):
            details += [user.partner_id.name, user.partner_id.email]
        return details

    def assertNamesNobodyElse(self, content):
        for detail in self.others():
            self.assertNotIn(detail, content)

    def test_session_events_list_every_participant(self):
        """The premise of this class: the calendar events of the sessions hold every
        participant as attendee."""
        self.assertLessEqual(
            (self.reg_a | self.reg_a2 | self.reg_b).partner_id,
            self.sessions.calendar_event_id.partner_ids,
        )

    def test_ics_download_names_nobody(self):
        self.login(self.user_a)
        response = self.url_open(f"/my/kommune/trainings/{self.reg_a.id}/calendar.ics")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text.count("BEGIN:VEVENT"), 2)
        self.assertNotIn("ATTENDEE", response.text)
        self.assertNamesNobodyElse(response.text)

    def test_reminder_mail_names_nobody_else(self):
        """The calendar's reminder (an e-mail alarm on the session) reaches a
        participant as the addon's short mail, with an .ics naming nobody."""
        alarm = self.env["calendar.alarm"].create(
            {"name": "1 day", "alarm_type": "email", "duration": 1, "interval": "days"}
        )
        events = self.sessions.calendar_event_id
        events.alarm_ids = alarm
        before = self.env["mail.mail"].search([]).ids
        # What the alarm manager's cron does for an e-mail alarm that is due.
        attendees = events.attendee_ids
        attendees.with_context(calendar_template_ignore_recurrence=True)._notify_attendees(
            alarm.mail_template_id, notify_author=True
        )
        mails = self.env["mail.mail"].search(
            [("id", "not in", before), ("recipient_ids", "in", self.user_a.partner_id.ids)]
        )
        self.assertEqual(len(mails), 2, "one per session")
        for mail in mails:
            self.assertEqual(mail.recipient_ids, self.user_a.partner_id)
            self.assertNamesNobodyElse(mail.subject + mail.body_html)
            for attachment in mail.attachment_ids:
                self.assertNamesNobodyElse(attachment.raw.decode())

    def test_invitation_and_update_mails_name_nobody_else(self):
        """A session added or moved: the calendar's invitation and date change."""
        before = self.env["mail.mail"].search([]).ids
        self.sessions[0].write({"start": "2031-03-03 09:00:00", "stop": "2031-03-03 12:00:00"})
        self.env["kommune.training.session"].create(
            {
                "training_id": self.training.id,
                "start": "2031-03-24 08:00:00",
                "stop": "2031-03-24 11:00:00",
            }
        )
        mails = self.env["mail.mail"].search(
            [("id", "not in", before), ("recipient_ids", "in", self.user_a.partner_id.ids)]
        )
        self.assertEqual(len(mails), 2)
        for mail in mails:
            self.assertNamesNobodyElse(mail.subject + mail.body_html)
            self.assertTrue(mail.attachment_ids)
            for attachment in mail.attachment_ids:
                self.assertNamesNobodyElse(attachment.raw.decode())

    def test_meeting_page_behind_the_token_names_nobody_else(self):
        """Calendar's page of an event (/calendar/meeting/view, opened with the
        attendee's token, e.g. from a calendar app or an old mail) lists every attendee:
        a participant of a session must not see it, logged in or not."""
        event = self.sessions[0].calendar_event_id
        attendee = event.attendee_ids.filtered(
            lambda attendee: attendee.partner_id == self.user_a.partner_id
        )
        url = f"/calendar/meeting/view?token={attendee.access_token}&id={event.id}"
        anonymous = self.url_open(url)
        self.assertNamesNobodyElse(anonymous.text)
        self.login(self.user_a)
        logged_in = self.url_open(url)
        self.assertNamesNobodyElse(logged_in.text)
        self.logout()
        # The links of calendar's mails: they answer the invitation, then show the page.
        for action, state in (("accept", "accepted"), ("decline", "declined")):
            page = self.url_open(
                f"/calendar/meeting/{action}?token={attendee.access_token}&id={event.id}"
            )
            self.assertEqual(page.status_code, 200)
            self.assertNamesNobodyElse(page.text)
            attendee.invalidate_recordset(["state"])
            self.assertEqual(attendee.state, state)

    def test_join_link_of_the_event_names_nobody_else(self):
        """Calendar's join link (the event's own token, part of a Discuss video call's
        address) redirects to the same page."""
        event = self.sessions[0].calendar_event_id
        event.access_token = "0123456789abcdef0123456789abcdef"
        self.login(self.user_a)
        page = self.url_open(f"/calendar/meeting/join?token={event.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("/calendar/meeting/view", page.url)
        self.assertNamesNobodyElse(page.text)

    def test_session_events_over_rpc(self):
        """Over RPC, a participant reads neither the events of their sessions (whose
        attendees are everybody) nor their attendees; the trainer and staff still do."""
        events = self.sessions.calendar_event_id
        self.login(self.user_a)
        found = self.rpc("calendar.event", "search_read", [], ["name", "partner_ids"])
        self.assertFalse({row["id"] for row in found} & set(events.ids))
        self.assertRpcDenied("calendar.event", "read", events.ids, ["partner_ids"])
        self.assertRpcDenied(
            "calendar.event",
            "web_read",
            events.ids,
            {"partner_ids": {"fields": {"display_name": {}}}},
        )
        self.assertRpcDenied("calendar.attendee", "search_read", [], ["common_name"])
        # Staff of the project still read the events with their attendees.
        self.assertTrue(events.with_user(self.staff).read(["partner_ids"]))

    def test_session_rule_follows_upgrades(self):
        """The rule keeping portal users away from session events is a privacy
        guarantee: an upgrade brings its current domain, even where it existed."""
        rule = self.env.ref("kommune_interkulturell.calendar_event_rule_kommune_session_share")
        xmlid = self.env["ir.model.data"].search(
            [("model", "=", "ir.rule"), ("res_id", "=", rule.id)]
        )
        self.assertFalse(xmlid.noupdate)

    def test_staff_mail_to_the_attendees_names_nobody(self):
        """Calendar's "Email" button on an event writes to every attendee with a
        template listing every attendee; on a training session's event, staff write
        without it (what they keep of the proposed text names nobody)."""
        event = self.sessions[0].calendar_event_id.with_user(self.staff)
        action = event.action_open_composer()
        composer = Form(
            self.env["mail.compose.message"].with_user(self.staff).with_context(**action["context"])
        )
        if not composer.body or "Sonnenallee" not in composer.body:
            composer.body = (composer.body or "") + "<p>The room changed: Sonnenallee 101.</p>"
        before = self.env["mail.mail"].search([]).ids
        composer.save().action_send_mail()
        mails = self.env["mail.mail"].search(
            [("id", "not in", before), ("recipient_ids", "in", self.user_a.partner_id.ids)]
        )
        self.assertTrue(mails)
        for mail in mails:
            self.assertIn("Sonnenallee 101", mail.body_html)
            self.assertNamesNobodyElse(mail.body_html)
