"""Calendar's page of an event behind an attendee's token (/calendar/meeting/view, and
its accept and decline links, which end on it) lists every attendee. A participant of a
training session sees only themselves there: the others are people of other
organisations, whose names are none of their business."""

from odoo import http
from odoo.addons.calendar.controllers.main import CalendarController
from odoo.fields import Command
from odoo.http import request


class KommuneCalendarController(CalendarController):
    @http.route()
    def view_meeting(self, token, id, **kwargs):  # noqa: A002 - calendar's own signature
        # Calendar names the event's parameter "id", as the links in its mails do, and its
        # accept and decline routes pass it positionally.
        event_id = id
        if not str(event_id).isdigit() or request.env.user._is_internal():
            return super().view_meeting(token, id, **kwargs)
        # sudo: as calendar's own page, the attendee is found by their token only.
        attendee = (
            request.env["calendar.attendee"]
            .sudo()
            .search([("access_token", "=", token), ("event_id", "=", int(event_id))], limit=1)
        )
        if not attendee or not attendee._kommune_get_session_participants():
            return super().view_meeting(token, id, **kwargs)
        lang = attendee.partner_id.lang or request.env.lang
        event = attendee.event_id.with_context(tz=attendee.partner_id.tz, lang=lang)
        # The page shows the event as calendar renders it, with this attendee alone: a
        # new record on the event, nothing written.
        shown = event.new({"attendee_ids": [Command.set(attendee.ids)]}, origin=event)
        company = event.user_id.company_id or event.create_uid.company_id
        content = (
            request.env["ir.ui.view"]
            .with_context(lang=lang)
            ._render_template(
                "calendar.invitation_page_anonymous",
                {"company": company, "event": shown, "attendee": attendee},
            )
        )
        return request.make_response(content, headers=[("Content-Type", "text/html")])
