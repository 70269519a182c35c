import logging
import re
from collections import Counter
from datetime import timedelta

import lxml.html
import pytz
from markupsafe import Markup
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.sql_db import Cursor
from odoo.tools import SQL, consteq, format_date, format_time
from odoo.tools.misc import hmac

from .kommune_training_registration import SEAT_STATES
from .res_partner import INVITATION_REFUSALS

try:
    import vobject
except ImportError:  # pragma: no cover - vobject is one of Odoo's requirements
    vobject = None

_logger = logging.getLogger(__name__)

TRAINING_FORMATS = [
    ("workshop", "Workshop"),
    ("seminar_series", "Seminar series"),
    ("webinar", "Webinar"),
    ("coaching", "Coaching"),
    ("network_meeting", "Network meeting / Fachtag"),
]

TARGET_AUDIENCES = [
    ("mo_fulltime", "Full-time staff of migrant organisations"),
    ("mo_volunteer", "Volunteers of migrant organisations"),
    ("administration", "Administration staff"),
    ("mixed", "Mixed"),
]

DEFAULT_TZ = "Europe/Berlin"
DEFAULT_ATTENDANCE_THRESHOLD = 80  # percent of the sessions
ATTENDANCE_THRESHOLD_PARAM = "kommune_interkulturell.training_attendance_threshold"
DEFAULT_REMINDER_DAYS = 2
REMINDER_DAYS_PARAM = "kommune_interkulturell.training_reminder_days"
# Thank-you mails go out for trainings that ended within this many days: attendance
# recorded a little late still gets thanked, old trainings are left alone.
THANKS_WINDOW_DAYS = 30

# Mail campaigns (issue 5)
DEFAULT_CANCEL_DEADLINE_DAYS = 2
DEFAULT_CAMPAIGN_LANGS = ["de_DE", "en_US"]
CAMPAIGN_TEMPLATE_XMLID = "kommune_interkulturell.mail_template_training_campaign"
INVITATION_TOKEN_SCOPE = "kommune_interkulturell.training_invitation"
INVITATION_TOKEN_RE = re.compile(r"(\d{1,10})-(\d{1,10})-(\d{1,10})-([0-9a-f]{64})")
INVITATION_TOKEN_MAX_LENGTH = 100

# Why somebody is not invited to a training one by one: the training's own reasons, then
# the rule of every invitation (res.partner).
TRAINING_INVITATION_REFUSALS = [
    ("organization", "An organisation: invite its people"),
    ("registered", "Already registered"),
    ("invited", "Already invited"),
    *INVITATION_REFUSALS,
]


def _xpath_class(css_class, tag="*"):
    """XPath of the elements carrying a CSS class (among others)."""
    return f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')]"


class KommuneTraining(models.Model):
    """A training (Qualifizierung, Schulung) for the staff of migrant organisations or
    district administrations: planned through stages, held in sessions that are calendar
    events, filled through registrations with a waitlist, documented by attendance and
    certificates.

    Seats are decided under a row lock on the training (see ``_lock_seats``), so two users
    confirming at the same moment can never overbook it; the public registration form
    decides them in a short transaction of its own (see ``_register_participant_public``)."""

    _name = "kommune.training"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Training"
    _order = "priority desc, date_begin, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------

    def _default_stage_id(self):
        return self.env["kommune.training.stage"].search([("is_cancel", "=", False)], limit=1)

    def _default_language_ids(self):
        return self.env.ref("kommune_interkulturell.language_de", raise_if_not_found=False)

    def _default_date_tz(self):
        return self.env.user.tz or DEFAULT_TZ

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Title", required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        check_company=True,
        help="Staff member who plans the training; organiser of its calendar events.",
    )
    stage_id = fields.Many2one(
        "kommune.training.stage",
        default=lambda self: self._default_stage_id(),
        group_expand="_read_group_stage_ids",
        ondelete="restrict",
        index=True,
        tracking=True,
        copy=False,
    )
    is_cancelled = fields.Boolean(related="stage_id.is_cancel")
    color = fields.Integer()
    priority = fields.Selection([("0", "Normal"), ("1", "Important")], default="0")
    tag_ids = fields.Many2many("kommune.training.tag", string="Tags")
    description = fields.Html(help="Contents, aims and methods of the training.")

    # What and for whom
    topic_id = fields.Many2one(
        "kommune.training.topic", tracking=True, index="btree_not_null", ondelete="restrict"
    )
    format = fields.Selection(TRAINING_FORMATS, required=True, default="workshop", tracking=True)
    target_audience = fields.Selection(
        TARGET_AUDIENCES,
        string="Target Group",
        default="mixed",
        help="Who the training is meant for.",
    )
    language_ids = fields.Many2many(
        "kommune.language",
        "kommune_language_kommune_training_rel",
        "training_id",
        "language_id",
        string="Languages",
        default=lambda self: self._default_language_ids(),
        help="Languages the training is held in.",
    )

    # Where and by whom
    district_id = fields.Many2one(
        "kommune.district", index="btree_not_null", tracking=True, ondelete="restrict"
    )
    venue_id = fields.Many2one(
        "res.partner",
        check_company=True,
        help="Where the sessions take place, e.g. the rooms of a migrant organisation. "
        "Leave empty for online trainings.",
    )
    online_url = fields.Char(
        string="Online Link", help="Video conference link of online or hybrid trainings."
    )
    trainer_ids = fields.Many2many(
        "res.partner",
        "kommune_training_trainer_rel",
        "training_id",
        "partner_id",
        string="Trainers",
        check_company=True,
        help="Staff members or external trainers; they are invited to every session.",
    )
    date_tz = fields.Selection(
        _tz_get,
        string="Timezone",
        required=True,
        default=lambda self: self._default_date_tz(),
        help="Timezone in which dates appear in mails and certificates.",
    )
    signatory_id = fields.Many2one(
        "res.users",
        string="Certificates Signed By",
        compute="_compute_signatory_id",
        store=True,
        readonly=False,
        domain="[('share', '=', False)]",
        check_company=True,
        help="Whose name and job position appear under the certificates; the "
        "responsible by default.",
    )
    feedback_url = fields.Char(
        string="Feedback Form",
        help="Link to a feedback survey; the thank-you mail after the training offers it.",
    )

    # Sessions (dates derive from them)
    session_ids = fields.One2many("kommune.training.session", "training_id", string="Sessions")
    session_count = fields.Integer(
        string="Number of Sessions", compute="_compute_session_dates", store=True
    )
    date_begin = fields.Datetime(
        string="Start", compute="_compute_session_dates", store=True, index=True
    )
    date_end = fields.Datetime(string="End", compute="_compute_session_dates", store=True)
    is_finished = fields.Boolean(compute="_compute_is_finished", help="The last session is over.")
    duration_hours = fields.Float(
        string="Hours",
        compute="_compute_session_dates",
        store=True,
        help="Total duration of all sessions, in hours.",
    )

    # Registrations and seats
    registration_ids = fields.One2many(
        "kommune.training.registration", "training_id", string="Registrations"
    )
    seats_max = fields.Integer(
        string="Seats",
        tracking=True,
        help="Maximum number of confirmed participants; further confirmations go to the "
        "waitlist. 0 means unlimited.",
    )
    seats_taken = fields.Integer(
        compute="_compute_registration_counts",
        store=True,
        help="Confirmed participants, including those who already attended or missed it.",
    )
    seats_available = fields.Integer(
        compute="_compute_seats_available",
        store=True,
        help="Free seats; 0 when the seats are unlimited.",
    )
    registration_count = fields.Integer(
        string="Active Registrations",
        compute="_compute_registration_counts",
        store=True,
        help="Registrations that are not cancelled, invitations included.",
    )
    registered_count = fields.Integer(
        string="Registered",
        compute="_compute_registration_counts",
        store=True,
        help="People who registered (confirmed or not yet), without invitations and the waitlist.",
    )
    waiting_count = fields.Integer(
        string="On Waitlist", compute="_compute_registration_counts", store=True
    )
    attended_count = fields.Integer(
        string="Attended", compute="_compute_registration_counts", store=True
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    _seats_max_positive = models.Constraint(
        "CHECK (seats_max >= 0)",
        "The number of seats cannot be negative: enter 0 for unlimited seats.",
    )
    # Last line of defence behind the row lock: whatever path writes registration
    # states, the database refuses to store more seat holders than seats.
    _seats_not_overbooked = models.Constraint(
        "CHECK (seats_max = 0 OR seats_taken <= seats_max)",
        "A training cannot have more confirmed participants than seats.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends(
        "session_ids.start", "session_ids.stop", "session_ids.duration", "session_ids.active"
    )
    def _compute_session_dates(self):
        for training in self:
            sessions = training.session_ids.filtered("active")
            training.session_count = len(sessions)
            training.date_begin = min(sessions.mapped("start")) if sessions else False
            training.date_end = max(sessions.mapped("stop")) if sessions else False
            # The calendar keeps each event's length in hours (calendar.event.duration).
            training.duration_hours = sum(sessions.mapped("duration"))

    @api.depends("date_end")
    def _compute_is_finished(self):
        now = fields.Datetime.now()
        for training in self:
            training.is_finished = bool(training.date_end) and training.date_end < now

    @api.depends("registration_ids.state")
    def _compute_registration_counts(self):
        counts = {}
        real_ids = [training_id for training_id in self._origin.ids if training_id]
        if real_ids:
            for training, state, count in self.env["kommune.training.registration"]._read_group(
                [("training_id", "in", real_ids)], ["training_id", "state"], ["__count"]
            ):
                counts.setdefault(training.id, Counter())[state] = count
        for training in self:
            if training.id:
                by_state = counts.get(training.id, Counter())
            else:  # a training being created in a form: count its lines in memory
                by_state = Counter(training.registration_ids.mapped("state"))
            training.seats_taken = sum(by_state[state] for state in SEAT_STATES)
            training.waiting_count = by_state["waitlist"]
            training.attended_count = by_state["attended"]
            training.registered_count = training.seats_taken + by_state["registered"]
            training.registration_count = sum(by_state.values()) - by_state["cancelled"]

    @api.depends("user_id")
    def _compute_signatory_id(self):
        for training in self.filtered(lambda training: not training.signatory_id):
            training.signatory_id = training.user_id

    @api.depends("seats_max", "seats_taken")
    def _compute_seats_available(self):
        for training in self:
            training.seats_available = (
                max(training.seats_max - training.seats_taken, 0) if training.seats_max else 0
            )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # Every stage is a column, also when empty: planning at a glance. The stage
        # table is small configuration, hence the search without limit.
        return stages.search([], order=stages._order)  # pylint: disable=no-search-all

    @api.constrains("seats_max")
    def _check_seats_max(self):
        for training in self:
            if training.seats_max < 0:
                raise ValidationError(
                    self.env._(
                        "The number of seats of “%(training)s” cannot be negative: enter 0 "
                        "for unlimited seats.",
                        training=training.name,
                    )
                )
            if training.seats_max and training.seats_taken > training.seats_max:
                raise ValidationError(
                    self.env._(
                        "“%(training)s” already has %(taken)s confirmed participants: the "
                        "seats cannot be reduced to %(seats)s. Cancel registrations first.",
                        training=training.name,
                        taken=training.seats_taken,
                        seats=training.seats_max,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        was_cancelled = self.filtered("is_cancelled") if "stage_id" in vals else self.browse()
        seats_before = (
            {training: training.seats_max for training in self} if "seats_max" in vals else {}
        )
        res = super().write(vals)
        if "stage_id" in vals:
            called_off = self.filtered("is_cancelled") - was_cancelled
            called_off._cancel_sessions()
            called_off._notify_cancellation()
        if "seats_max" in vals:
            # More seats (or none limited any more): the waitlist moves up at once.
            self.filtered(
                lambda training: (
                    not training.seats_max or training.seats_max > seats_before[training]
                )
            )._promote_waitlist()
        if "user_id" in vals:
            # The responsible organises the sessions' calendar events.
            for training in self:
                training.with_context(active_test=False).session_ids.write(
                    {"user_id": training.user_id.id}
                )
        if "trainer_ids" in vals:
            self._sync_participants(notify=True)
        return res

    def unlink(self):
        # Sessions are calendar events: delete the events with them, not only the rows
        # the database cascade would remove.
        self.with_context(active_test=False).session_ids.unlink()
        return super().unlink()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        stage = self.env["kommune.training.stage"].search([("is_cancel", "=", True)], limit=1)
        if not stage:
            raise UserError(
                self.env._("Configure a stage for cancelled trainings to cancel a training.")
            )
        self.write({"stage_id": stage.id})

    def action_open_registrations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_training_registration_action"
        )
        action["domain"] = [("training_id", "=", self.id)]
        action["context"] = {"default_training_id": self.id, "search_default_filter_active": 1}
        return action

    def action_open_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_training_session_action"
        )
        action["domain"] = [("training_id", "=", self.id)]
        action["context"] = {"default_training_id": self.id, "default_name": self.name}
        action["view_mode"] = "list,calendar,form"
        action["views"] = [(False, "list"), (False, "calendar"), (False, "form")]
        return action

    def action_invite(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invite to %(training)s", training=self.name),
            "res_model": "kommune.training.invite",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_training_id": self.id},
        }

    def action_print_certificates(self):
        """One PDF with the certificates of everyone who attended."""
        self.ensure_one()
        attended = self.registration_ids.filtered(lambda r: r.state == "attended")
        if not attended:
            raise UserError(
                self.env._(
                    "Nobody has attended “%(training)s” yet: certificates are issued to "
                    "participants with the status Attended.",
                    training=self.name,
                )
            )
        # config=False: the certificate has its own letterhead, no need to send the
        # user through the company's document layout configurator first.
        return self.env.ref(
            "kommune_interkulturell.action_report_training_certificate"
        ).report_action(attended, config=False)

    def action_open_calendar(self):
        """The sessions as the network's calendar shows them, starting at the first one."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("calendar.action_calendar_event")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {
            "initial_date": self.date_begin and fields.Datetime.to_string(self.date_begin),
            "create": False,
        }
        return action

    # ------------------------------------------------------------
    # SEATS
    # ------------------------------------------------------------

    def _lock_seats(self):
        """Wait for and take the write lock on these trainings' rows.

        Every decision about seats (confirm, waitlist, promote) runs after this lock, so
        concurrent decisions on a training are serialized. Under PostgreSQL's REPEATABLE
        READ a transaction that waited for a concurrent one which changed the seats gets a
        serialization failure here (every seat change rewrites the stored counts of this
        row), and Odoo retries the whole request: it then counts the seats again on fresh
        data. At READ COMMITTED (``_register_participant_public``) the lock is granted
        once the other transaction ends, and the row may have changed meanwhile: the
        trainings are read again after the lock. NO KEY UPDATE still lets other
        transactions insert registrations pointing at the training meanwhile."""
        trainings = self.browse(training_id for training_id in self.ids if training_id)
        if trainings:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM kommune_training WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                    tuple(trainings.ids),
                )
            )
            # What was read before the lock may be older than the row now.
            trainings.invalidate_recordset()

    def _count_seat_holders(self):
        """Seat holders per training id, read from the database (after the lock)."""
        return Counter(
            {
                training.id: count
                for training, count in self.env["kommune.training.registration"]._read_group(
                    [("training_id", "in", self.ids), ("state", "in", SEAT_STATES)],
                    ["training_id"],
                    ["__count"],
                )
            }
        )

    def _promote_waitlist(self):
        """Move waiting people up into free seats, first come first served, and tell them.

        :return: the promoted registrations
        """
        Registration = self.env["kommune.training.registration"]
        # Nobody moves up into a training that was called off or is already over.
        trainings = self.filtered(
            lambda training: not training.is_cancelled and not training.is_finished
        )
        if not trainings:
            return Registration
        trainings._lock_seats()
        taken = trainings._count_seat_holders()
        promoted = Registration
        for training in trainings:
            free = training.seats_max - taken[training.id] if training.seats_max else None
            if free is not None and free <= 0:
                continue
            # Consent may have been withdrawn while waiting: such people stay waiting.
            promoted |= Registration.search(
                [
                    ("training_id", "=", training.id),
                    ("state", "=", "waitlist"),
                    ("consent", "=", True),
                ],
                order="date_waitlist, id",
                limit=free,
            )
        if promoted:
            promoted.write({"state": "confirmed"})
            promoted._notify_promotion()
        return promoted

    def _register_participant(self, partner, source="manual", confirm=True, **vals):
        """Register a person for this training: the one entry point for every channel
        (staff, invitations, the public registration form).

        Idempotent: a person has at most one registration per training; calling again
        updates it instead of creating another. An invited or cancelled registration
        becomes "registered" again. With ``confirm`` and a given consent, the registration
        takes a free seat or joins the waitlist, under the training's row lock; confirmed
        or waiting registrations stay as they are.

        :param partner: the person (``res.partner``) to register
        :param str source: ``manual``, ``invitation`` or ``web``; kept from the first
            registration when the person registers again
        :param bool confirm: take a seat (or a waitlist place) when consent is given
        :param vals: further registration values, e.g. ``consent=True``,
            ``consent_date``, ``organization_id``, ``note``
        :return: the ``kommune.training.registration``
        """
        self.ensure_one()
        partner.ensure_one()
        if "state" in vals:
            raise ValueError("_register_participant decides the state itself")
        if partner.is_company:
            raise UserError(
                self.env._(
                    "%(organization)s is an organisation: register one of its people.",
                    organization=partner.display_name,
                )
            )
        # The lock also serializes two submissions of the same person: the second one
        # finds the registration of the first instead of failing on the unique index.
        self._lock_seats()
        if self.is_cancelled:
            raise UserError(
                self.env._(
                    "“%(training)s” has been cancelled: nobody can register any more.",
                    training=self.name,
                )
            )
        Registration = self.env["kommune.training.registration"]
        registration = Registration.search(
            [("training_id", "=", self.id), ("partner_id", "=", partner.id)], limit=1
        )
        if registration:
            if vals:
                registration.write(vals)
            if registration.state in ("invited", "cancelled"):
                registration.state = "registered"
        else:
            registration = Registration.create(
                {"training_id": self.id, "partner_id": partner.id, "source": source, **vals}
            )
        if confirm and registration.state == "registered" and registration.consent:
            registration._take_seat()
        return registration

    def _invite_participants(self, partners, send_mail=True):
        """Invite persons: one "invited" registration each, plus the invitation mail.
        Only who may be invited is (see _get_invitation_refusals): people already
        registered or invited keep their registration, cancelled ones are invited
        again.

        :param bool send_mail: mail the invitation; without (invited by phone, say)
            the person still needs the legal basis and must not have opted out
        :return: the invited registrations
        """
        self.ensure_one()
        if self.is_cancelled:
            raise UserError(
                self.env._(
                    "“%(training)s” has been cancelled: nobody can be invited any more.",
                    training=self.name,
                )
            )
        refused = self._get_invitation_refusals(partners, send_mail=send_mail)
        persons = partners.filtered(lambda partner: partner not in refused)
        registrations = self.registration_ids
        reinvited = registrations.filtered(
            lambda registration: (
                registration.partner_id in persons and registration.state == "cancelled"
            )
        )
        reinvited.write({"state": "invited"})
        invited = reinvited | self.env["kommune.training.registration"].create(
            [
                {
                    "training_id": self.id,
                    "partner_id": person.id,
                    "state": "invited",
                    "source": "invitation",
                }
                for person in persons - registrations.partner_id
            ]
        )
        if send_mail:
            invited._send_training_mail("kommune_interkulturell.mail_template_training_invitation")
        return invited

    # ------------------------------------------------------------
    # SESSIONS AND PARTICIPANTS
    # ------------------------------------------------------------

    def _cancel_sessions(self):
        """Calling a training off takes its sessions out of the calendar."""
        self.session_ids.action_cancel()

    def _notify_cancellation(self):
        """Tell everybody who expects to come (registered, confirmed, on the waitlist)
        that the training is called off, in their language. Trainings already over
        are only archived, nobody is told.

        :return: the queued ``mail.mail`` records
        """
        registrations = self.filtered(lambda training: not training.is_finished).mapped(
            "registration_ids"
        )
        return registrations.filtered(
            lambda registration: registration.state in ("registered", "confirmed", "waitlist")
        )._send_training_mail("kommune_interkulturell.mail_template_training_cancelled")

    def _sync_participants(self, notify=False):
        """Make every session follow the seat holders: its calendar attendees are the
        session's trainers plus the confirmed participants, and its attendance sheet
        lists every confirmed participant.

        Attendees added or removed by hand in the calendar are set right again at the
        next sync: the registrations are the source of truth.

        :param bool notify: let the calendar send its invitation to new attendees. Off
            when registrations change: participants get the training's confirmation
            mail, with all sessions as .ics, instead of one calendar mail per session.
        """
        Attendance = self.env["kommune.training.attendance"]
        attendance_vals = []
        for training in self:
            holders = training.registration_ids.filtered(
                lambda registration: registration.state in SEAT_STATES
            )
            sessions = training.session_ids
            for session in sessions:
                wanted = session.trainer_ids | holders.partner_id
                if wanted != session.partner_ids:
                    event = session.calendar_event_id
                    if not notify:
                        event = event.with_context(no_mail_to_attendees=True)
                    event.write({"partner_ids": [fields.Command.set(wanted.ids)]})
            existing = {
                (attendance.session_id.id, attendance.registration_id.id)
                for attendance in sessions.attendance_ids
            }
            attendance_vals += [
                {"session_id": session.id, "registration_id": registration.id}
                for session in sessions
                for registration in holders
                if (session.id, registration.id) not in existing
            ]
        if attendance_vals:
            Attendance.create(attendance_vals)

    def _get_location(self):
        """The venue as one line for calendar events, e.g. "Salam e.V., Sonnenallee 101,
        12045 Berlin"."""
        self.ensure_one()
        venue = self.venue_id
        if not venue:
            return False
        address = ", ".join(part for part in (venue.street, venue.street2) if part)
        city = " ".join(part for part in (venue.zip, venue.city) if part)
        return ", ".join(part for part in (venue.name, address, city) if part)

    def _get_schedule(self):
        """The sessions as lines for mails and certificates: date, time and place in
        the training's timezone and the language of the environment (the recipient's
        when a mail template renders)."""
        self.ensure_one()
        tz = pytz.timezone(self.date_tz or DEFAULT_TZ)
        lines = []
        for session in self.session_ids:
            start = pytz.utc.localize(session.start).astimezone(tz)
            stop = pytz.utc.localize(session.stop).astimezone(tz)
            start_time = format_time(self.env, start.time(), time_format="short")
            stop_time = format_time(self.env, stop.time(), time_format="short")
            lines.append(
                {
                    "date": format_date(self.env, start.date(), date_format="full"),
                    "time": f"{start_time} – {stop_time}",
                    "location": session.location or session.videocall_location or "",
                }
            )
        return lines

    def _get_date_range(self):
        """The training's first and last day, e.g. for certificates; localized like
        _get_schedule."""
        self.ensure_one()
        if not self.date_begin:
            return ""
        tz = pytz.timezone(self.date_tz or DEFAULT_TZ)
        begin = pytz.utc.localize(self.date_begin).astimezone(tz).date()
        end = pytz.utc.localize(self.date_end).astimezone(tz).date()
        first = format_date(self.env, begin, date_format="long")
        if begin == end:
            return first
        return f"{first} – {format_date(self.env, end, date_format='long')}"

    def _get_sessions_ics(self):
        """All sessions as one iCalendar file for the confirmation mail.

        The calendar builds each event (calendar.event._get_ics_file); the attendee
        lines are dropped, since every participant receives the file and must not learn
        the others' e-mail addresses. Stable UIDs let calendar apps update a date that
        moved instead of adding it twice."""
        self.ensure_one()
        events = self.session_ids.calendar_event_id
        files = events._get_ics_file() if vobject else {}
        if not files:
            return b""
        # sudo: the database UUID is a technical setting, read only to name the events.
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        calendar = vobject.iCalendar()
        for session in self.session_ids:
            data = files.get(session.calendar_event_id.id)
            if not data:
                continue
            for vevent in vobject.readOne(data.decode()).vevent_list:
                vevent.contents.pop("attendee", None)
                vevent.uid.value = f"kommune-training-session-{session.id}-{db_uuid}"
                calendar.add(vevent)
        return calendar.serialize().encode()

    # ------------------------------------------------------------
    # CRONS
    # ------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self):
        """Remind confirmed participants N days before the first session, once."""
        now = fields.Datetime.now()
        registrations = self.env["kommune.training.registration"].search(
            [
                ("state", "=", "confirmed"),
                ("reminder_sent_date", "=", False),
                ("training_id.stage_id.is_cancel", "=", False),
                ("training_id.date_begin", ">", now),
                ("training_id.date_begin", "<=", now + timedelta(days=self._get_reminder_days())),
            ]
        )
        registrations._send_training_mail("kommune_interkulturell.mail_template_training_reminder")
        registrations.write({"reminder_sent_date": now})
        _logger.info("Training reminders sent to %s participants", len(registrations))

    @api.model
    def _cron_close_trainings(self):
        """After the last session: settle attendance, then thank who attended, once."""
        now = fields.Datetime.now()
        trainings = self.search(
            [
                ("stage_id.is_cancel", "=", False),
                ("date_end", "<", now),
                ("date_end", ">=", now - timedelta(days=THANKS_WINDOW_DAYS)),
            ]
        )
        trainings.registration_ids._update_attendance_state()
        registrations = trainings.registration_ids.filtered(
            lambda registration: (
                registration.state == "attended" and not registration.thanks_sent_date
            )
        )
        registrations._send_training_mail("kommune_interkulturell.mail_template_training_thanks")
        registrations.write({"thanks_sent_date": now})
        _logger.info("Thank-you mails sent to %s participants", len(registrations))

    # ------------------------------------------------------------
    # SETTINGS
    # ------------------------------------------------------------

    @api.model
    def _get_reminder_days(self):
        """How many days before the first session the reminder goes out."""
        # sudo: see _get_attendance_threshold
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(REMINDER_DAYS_PARAM, DEFAULT_REMINDER_DAYS)
        )
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return DEFAULT_REMINDER_DAYS

    @api.model
    def _get_attendance_threshold(self):
        """Share of sessions (percent, 1-100) a participant must attend."""
        # sudo: every user of the project reads this setting; ir.config_parameter is
        # readable by administrators only.
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(ATTENDANCE_THRESHOLD_PARAM, DEFAULT_ATTENDANCE_THRESHOLD)
        )
        try:
            return min(max(int(value), 1), 100)
        except (TypeError, ValueError):
            return DEFAULT_ATTENDANCE_THRESHOLD

    # ------------------------------------------------------------
    # MAIL CAMPAIGNS (issue 5): registration deadline, personal
    # invitation links, campaigns with one mailing per language
    # ------------------------------------------------------------

    registration_deadline = fields.Datetime(
        tracking=True,
        copy=False,
        help="The personal registration links of invitations close then. Leave empty to "
        "accept registrations until the first session starts.",
    )
    date_registration_close = fields.Datetime(
        string="Registration Closes",
        compute="_compute_date_registration_close",
        store=True,
        help="The registration deadline, or else the start of the first session.",
    )
    cancel_deadline_days = fields.Integer(
        string="Online Cancellation (Days Before)",
        default=DEFAULT_CANCEL_DEADLINE_DAYS,
        help="Participants can cancel through their personal link until this many days "
        "before the first session; their seat then goes to the waitlist.",
    )
    campaign_ids = fields.One2many(
        "utm.campaign",
        "training_id",
        string="Campaigns",
        groups="mass_mailing.group_mass_mailing_user",
    )
    campaign_count = fields.Integer(
        string="Number of Campaigns",
        compute="_compute_campaign_count",
        groups="mass_mailing.group_mass_mailing_user",
    )
    campaign_registration_count = fields.Integer(
        string="Registrations from Campaigns",
        compute="_compute_campaign_registration_count",
        help="Registrations made through the personal link of a campaign mail.",
    )

    _cancel_deadline_days_positive = models.Constraint(
        "CHECK (cancel_deadline_days >= 0)",
        "The online cancellation cannot end a negative number of days before the training.",
    )

    @api.depends("registration_deadline", "date_begin")
    def _compute_date_registration_close(self):
        for training in self:
            training.date_registration_close = training.registration_deadline or training.date_begin

    def _compute_campaign_count(self):
        counts = dict(
            self.env["utm.campaign"]._read_group(
                [("training_id", "in", self.ids)], ["training_id"], ["__count"]
            )
        )
        for training in self:
            training.campaign_count = counts.get(training._origin, 0)

    def _compute_campaign_registration_count(self):
        counts = dict(
            self.env["kommune.training.registration"]._read_group(
                [("training_id", "in", self.ids), ("campaign_id", "!=", False)],
                ["training_id"],
                ["__count"],
            )
        )
        for training in self:
            training.campaign_registration_count = counts.get(training._origin, 0)

    def action_open_campaigns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.utm_campaign_action_training"
        )
        action["domain"] = [("training_id", "=", self.id)]
        action["context"] = {"default_training_id": self.id, "create": False}
        return action

    def action_open_campaign_registrations(self):
        """Registrations that came from the campaigns, per campaign over time."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_training_registration_action_campaign"
        )
        action["domain"] = [("training_id", "=", self.id), ("campaign_id", "!=", False)]
        return action

    def action_invite_campaign(self):
        """The "Invite" wizard: an audience from the network, then a mail campaign."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invite to %(training)s", training=self.name),
            "res_model": "kommune.campaign.invite",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_training_id": self.id},
        }

    # Registration and cancellation through the personal link

    def _is_registration_open(self):
        """Whether the personal links still accept registrations."""
        self.ensure_one()
        if self.is_cancelled or self.is_finished:
            return False
        close = self.date_registration_close
        return not close or fields.Datetime.now() < close

    def _get_cancel_deadline(self):
        """Until when participants may cancel online (False: no sessions yet, no limit)."""
        self.ensure_one()
        if not self.date_begin:
            return False
        return self.date_begin - timedelta(days=self.cancel_deadline_days)

    def _can_cancel_online(self):
        self.ensure_one()
        if self.is_cancelled or self.is_finished:
            return False
        deadline = self._get_cancel_deadline()
        return not deadline or fields.Datetime.now() < deadline

    def _register_participant_public(self, partner, partner_vals=None, **vals):
        """Register a person through a public form (their personal link): what
        ``_register_participant`` does, and the data the person gave about themselves
        (``partner_vals``), in a short transaction of its own at READ COMMITTED,
        committed at once.

        A public request must not end in an error because others register at the same
        moment. In the request's own transaction (REPEATABLE READ), a registration that
        waited for the seat lock while another one changed the seats fails and the whole
        request is retried (see ``_lock_seats``); with many people at once a request can
        lose every retry. At READ COMMITTED it waits for the lock and then reads the
        training and its seats as committed: no failure, and still no overbooking (the
        lock, the counts read after it and the CHECK constraint). Whether the training
        still takes registrations is checked again after the wait.

        The caller's transaction must hold no lock this one needs (it would wait for
        itself): it must not have written anything yet. Having begun before this one
        committed, it sees the registration only in a transaction begun afterwards.

        :param partner: the person (``res.partner``), who registers themselves
        :param dict partner_vals: values to write on the person, e.g. a phone number
        :param vals: as for ``_register_participant``
        :return: the id of the registration, or None when the training no longer takes
            registrations
        """
        self.ensure_one()
        partner.ensure_one()
        # A cursor of its own, committed when the block ends; the test cursor (tests)
        # shares the test's transaction instead, as in kommune.rate.limit._hit.
        with self.env.registry.cursor() as cr:
            if isinstance(cr, Cursor):
                # The next cursor on this connection sets Odoo's level again.
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            training = self.with_env(self.env(cr=cr))
            training._lock_seats()
            if not training._is_registration_open():
                return None
            partner = partner.with_env(training.env)
            if partner_vals:
                partner.write(partner_vals)
            return training._register_participant(partner, **vals).id

    def _format_datetime_local(self, value):
        """A date and time in the training's timezone and the environment's language."""
        self.ensure_one()
        if not value:
            return ""
        local = pytz.utc.localize(value).astimezone(pytz.timezone(self.date_tz or DEFAULT_TZ))
        day = format_date(self.env, local.date(), date_format="long")
        return f"{day}, {format_time(self.env, local.time(), time_format='short')}"

    # Personal links: <training>-<person>-<mailing>-<signature>. The signature is an HMAC
    # keyed with the database secret over all three ids, so a link cannot be forged or
    # moved to another person, training or mailing; the mailing (0 for none) tells which
    # campaign a registration came from. Validity is not in the token: a link works while
    # the training accepts registrations or cancellations (see the controller).

    def _get_invitation_token(self, partner, mailing=None):
        self.ensure_one()
        partner.ensure_one()
        mailing_id = mailing.id if mailing else 0
        signature = hmac(
            self.env(su=True), INVITATION_TOKEN_SCOPE, (self.id, partner.id, mailing_id)
        )
        return f"{self.id}-{partner.id}-{mailing_id}-{signature}"

    @api.model
    def _get_invitation_from_token(self, token):
        """The training, person and mailing a personal link stands for.

        Anything that is not a link signed by this database (malformed, altered, made for
        somebody else, person or training deleted) gives ``None`` - the same answer for
        every case, compared in constant time, so that nothing can be learnt from it.

        :return: ``(training, partner, mailing)`` in the caller's environment, or None
        """
        if not isinstance(token, str) or len(token) > INVITATION_TOKEN_MAX_LENGTH:
            return None
        match = INVITATION_TOKEN_RE.fullmatch(token)
        if not match:
            return None
        training_id, partner_id, mailing_id = (int(value) for value in match.groups()[:3])
        expected = hmac(
            self.env(su=True), INVITATION_TOKEN_SCOPE, (training_id, partner_id, mailing_id)
        )
        if not consteq(expected, match.group(4)):
            return None
        training = self.browse(training_id).exists()
        partner = self.env["res.partner"].browse(partner_id).exists()
        if not training or not partner or not partner.active or partner.is_company:
            return None
        mailing = self.env["mailing.mailing"].browse(mailing_id).exists()
        if mailing.training_id != training:
            mailing = mailing.browse()
        return training, partner, mailing

    def _get_invitation_url(self, partner, mailing=None):
        self.ensure_one()
        token = self._get_invitation_token(partner, mailing)
        return f"{self.get_base_url()}/kommune/invitation/{token}"

    def _get_invitation_preview_url(self):
        """The registration page as staff see it (test mails, previews): no personal link."""
        self.ensure_one()
        return f"{self.get_base_url()}/kommune/invitation/preview/{self.id}"

    # Audience and campaign

    def _get_unregistered_domain(self):
        """People not registered for this training: an invitation would find their
        registration. Invited people who did not answer and cancelled registrations are
        no registrations here (invited again)."""
        self.ensure_one()
        return Domain(
            "training_registration_ids",
            "not any",
            [("training_id", "=", self.id), ("state", "not in", ("invited", "cancelled"))],
        )

    def _get_invitation_recipient_domain(self, audience_domain):
        """The persons of ``audience_domain`` who get the campaign: not registered, and
        invitable by the training's company (res.partner._kommune_invitable_domain)."""
        self.ensure_one()
        return (
            Domain(audience_domain)
            & self._get_unregistered_domain()
            & self.env["res.partner"]._kommune_invitable_domain(self.company_id)
        )

    def _get_invitation_refusals(self, partners, send_mail=True):
        """Why some of ``partners`` cannot be invited to this training one by one: an
        organisation (registrations are for persons), a registration already there, or
        the rule of every invitation (res.partner._kommune_get_invitation_refusals; the
        address counts only when the invitation is mailed).

        :return: ``{partner: reason}`` for those left out (reasons: see
            TRAINING_INVITATION_REFUSALS)
        """
        self.ensure_one()
        organizations = partners.filtered("is_company")
        refusals = dict.fromkeys(organizations, "organization")
        states = {
            registration.partner_id.id: registration.state for registration in self.registration_ids
        }
        for partner in partners - organizations:
            state = states.get(partner.id)
            if state == "invited":
                refusals[partner] = "invited"
            elif state and state != "cancelled":
                refusals[partner] = "registered"
        persons = partners.filtered(lambda partner: partner not in refusals)
        refusals.update(persons._kommune_get_invitation_refusals(self.company_id, mail=send_mail))
        return refusals

    @api.model
    def _get_invitation_langs(self, lang_codes=None):
        """The languages of a campaign, the fallback (for every other language) first.

        German and English texts ship; by default a campaign speaks those of them that
        are installed, German first - the network's language."""
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        wanted = lang_codes or DEFAULT_CAMPAIGN_LANGS
        langs = sorted(
            (code for code in dict.fromkeys(wanted) if code in installed),
            key=lambda code: (
                DEFAULT_CAMPAIGN_LANGS.index(code)
                if code in DEFAULT_CAMPAIGN_LANGS
                else len(DEFAULT_CAMPAIGN_LANGS)
            ),
        )
        return langs or [self.env.lang if self.env.lang in installed else installed[0]]

    @api.model
    def _get_invitation_lang_domains(self, recipient_domain, langs):
        """Split a campaign's recipients by language: one domain per language; the first
        language also takes everybody whose language has no text of its own."""
        fallback, *others = langs
        domains = {fallback: recipient_domain & Domain("lang", "not in", others)}
        for lang in others:
            domains[lang] = recipient_domain & Domain("lang", "=", lang)
        return domains

    def _render_invitation_mail(self, lang):
        """Subject and mailing body of the invitation in ``lang``.

        The text comes from the mail template "Training: Campaign Invitation" (editable,
        translated), rendered now with the training's dates, venue and description. Two
        parts stay dynamic for the mailing, which renders them again for each recipient:
        the element with the class ``o_kommune_recipient_name`` becomes their name, the
        link with the class ``o_kommune_invitation_link`` their personal registration link
        (res.partner.training_invitation_link).
        """
        self.ensure_one()
        template = self.env.ref(CAMPAIGN_TEMPLATE_XMLID)
        subject = template._render_field("subject", self.ids, set_lang=lang)[self.id]
        body = template._render_field("body_html", self.ids, set_lang=lang)[self.id]
        root = lxml.html.fragment_fromstring(body or "<p></p>", create_parent="div")
        # Only whitelisted expressions (t-out of a field or of the link) keep the mailing
        # editable by staff who are no mail template editors (see res.partner).
        for node in root.xpath(_xpath_class("o_kommune_recipient_name")):
            node.tag = "t"
            node.attrib.clear()
            node.set("t-out", "object.name")
        links = root.xpath(_xpath_class("o_kommune_invitation_link", tag="a"))
        if not links:
            # A template edited without the link still invites with one.
            paragraph = lxml.html.Element("p")
            paragraph.append(lxml.html.Element("a"))
            root.append(paragraph)
            links = paragraph.getchildren()
        for link in links:
            tail = link.tail
            link.clear()
            link.tag = "t"
            link.set("t-out", self.env["res.partner"].TRAINING_INVITATION_LINK_EXPRESSION)
            link.tail = tail
        return subject, Markup(lxml.html.tostring(root, encoding="unicode"))

    def _get_invitation_email_from(self):
        self.ensure_one()
        email_from = (
            self.user_id.email_formatted
            or self.company_id.email_formatted
            or self.env.user.email_formatted
        )
        if not email_from:
            raise UserError(
                self.env._(
                    "Invitations need a sender: give the responsible of “%(training)s” or "
                    "the company an e-mail address.",
                    training=self.name,
                )
            )
        return email_from

    def _create_invitation_campaign(self, audience_domain, lang_codes=None, title=None):
        """Create the invitation campaign of this training for an audience: one
        ``utm.campaign`` reporting as one, with one draft mailing per language on the
        persons (``res.partner``) of the audience who get invitations.

        Mailings stay drafts (review, test, send from the campaign); languages without
        recipients get none.

        :param audience_domain: domain on ``res.partner`` (see kommune.campaign.invite)
        :param lang_codes: languages of the campaign, fallback first (default: German and
            English, as installed)
        :param str title: the campaign's name
        :return: the ``utm.campaign``
        """
        self.ensure_one()
        if self.is_cancelled or self.is_finished:
            raise UserError(
                self.env._(
                    "“%(training)s” is over or has been called off: nobody can be invited "
                    "any more.",
                    training=self.name,
                )
            )
        Partner = self.env["res.partner"]
        langs = self._get_invitation_langs(lang_codes)
        domains = self._get_invitation_lang_domains(
            self._get_invitation_recipient_domain(audience_domain), langs
        )
        domains = {lang: domain for lang, domain in domains.items() if Partner.search_count(domain)}
        if not domains:
            raise UserError(
                self.env._(
                    "Nobody in this audience can be invited to “%(training)s”: everyone is "
                    "already registered, has no e-mail address, does not want invitations "
                    "or has not consented to them.",
                    training=self.name,
                )
            )
        campaign = self.env["utm.campaign"].create(
            {
                "title": title or self.env._("Invitation: %(training)s", training=self.name),
                "training_id": self.id,
                "user_id": self.env.user.id,
            }
        )
        email_from = self._get_invitation_email_from()
        lang_names = dict(self.env["res.lang"].get_installed())
        partner_model_id = self.env["ir.model"]._get_id("res.partner")
        mailing_vals = []
        for lang, domain in domains.items():
            subject, body = self._render_invitation_mail(lang)
            mailing_vals.append(
                {
                    "name": f"{campaign.title} ({lang_names.get(lang, lang)})",
                    "subject": subject,
                    "body_arch": body,
                    "body_html": body,
                    "mailing_model_id": partner_model_id,
                    "mailing_domain": repr(list(domain)),
                    "campaign_id": campaign.id,
                    "training_id": self.id,
                    "campaign_lang": lang,
                    "email_from": email_from,
                    "reply_to_mode": "new",
                    "reply_to": email_from,
                    "user_id": self.env.user.id,
                }
            )
        self.env["mailing.mailing"].create(mailing_vals)
        return campaign
