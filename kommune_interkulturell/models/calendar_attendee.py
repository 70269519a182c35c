from odoo import models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def _notify_attendees(self, mail_template, notify_author=False, force_send=False):
        """The participants of a training session get the addon's own mail instead of
        the calendar's invitation, date change or reminder: those list every attendee,
        names and addresses, to every participant, across organisations. The .ics of
        the session names nobody either (see calendar.event._get_ics_file). Trainers
        keep the calendar's mails."""
        if self.env.context.get("no_mail_to_attendees"):
            # Nobody is told (the calendar sends nothing then): no need to know who is
            # a participant.
            return super()._notify_attendees(mail_template, notify_author, force_send)
        participants = self._kommune_get_session_participants()
        template = self.env.ref(
            "kommune_interkulturell.mail_template_training_session_attendee",
            raise_if_not_found=False,
        )
        if not participants or not mail_template or not template:
            return super()._notify_attendees(mail_template, notify_author, force_send)
        super(CalendarAttendee, self - participants)._notify_attendees(
            mail_template, notify_author, force_send
        )
        return super(CalendarAttendee, participants)._notify_attendees(
            template, notify_author, force_send
        )

    def _kommune_get_session_participants(self):
        """The attendees of training sessions who do not train them."""
        # sudo: the session of the event and its trainers decide, whoever changed the
        # event (the calendar sends its mails with sudo too).
        sessions = (
            self.env["kommune.training.session"]
            .sudo()
            .with_context(active_test=False)
            .search([("calendar_event_id", "in", self.event_id.ids)])
        )
        trainers = {session.calendar_event_id.id: session.trainer_ids for session in sessions}
        return self.filtered(
            lambda attendee: (
                attendee.event_id.id in trainers
                and attendee.partner_id not in trainers[attendee.event_id.id]
            )
        )
