import logging
from collections import Counter, defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date, format_time

from .kommune_consent_mixin import INVITATION_REFUSALS
from .kommune_training_registration import SEAT_STATES

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

# Why somebody is not invited to a training one by one: the training's own reasons, then
# the rule of every invitation (kommune.consent.mixin).
TRAINING_INVITATION_REFUSALS = [
    ("organization", "An organisation: invite its people"),
    ("registered", "Already registered"),
    ("invited", "Already invited"),
    *INVITATION_REFUSALS,
]


class KommuneTraining(models.Model):
    """A training (Qualifizierung, Schulung) for the staff of migrant organisations or
    district administrations: planned through stages, held in sessions that are calendar
    events, filled through registrations with a waitlist, documented by attendance and
    certificates.

    Seats are decided under a row lock on the training (see ``_lock_seats``), so two users
    confirming at the same moment can never overbook it; the public registration form
    decides them in a short transaction of its own (the bridge to mass mailing's
    ``_register_participant_public``)."""

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

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

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

    @api.readonly
    def action_open_registrations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_training_registration_action"
        )
        action["domain"] = [("training_id", "=", self.id)]
        action["context"] = {"default_training_id": self.id, "search_default_filter_active": 1}
        return action

    @api.readonly
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

    @api.readonly
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
        data. At READ COMMITTED (the public registration of the bridge to mass mailing)
        the lock is granted once the other transaction ends, and the row may have changed
        meanwhile: the trainings are read again after the lock. NO KEY UPDATE still lets other
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

    def _register_participant(
        self, partner, source="manual", confirm=True, *, seats_locked=False, **vals
    ):
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
        :param bool seats_locked: the caller took the training's row lock in this
            transaction already (see _lock_seats) and read the training after it
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
        if not seats_locked:
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
            # Under the lock taken above: the seats are counted again, not locked again.
            registration._take_seat(seats_locked=True)
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
            invited.with_context(kommune_schedule_without_online=True)._send_training_mail(
                "kommune_interkulturell.mail_template_training_invitation"
            )
        return invited

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
            # Sessions whose attendees change alike (the same attendees before and
            # after) are written together, in one write of the calendar. With notify,
            # each event is written alone, as before: the calendar's invitations go
            # out event by event.
            changes = defaultdict(lambda: self.env["calendar.event"])
            for session in sessions:
                wanted = session.trainer_ids | holders.partner_id
                if wanted != session.partner_ids:
                    key = (wanted, session if notify else session.partner_ids)
                    changes[key] |= session.calendar_event_id
            for (wanted, _alike), events in changes.items():
                if not notify:
                    events = events.with_context(no_mail_to_attendees=True)
                events.write({"partner_ids": [fields.Command.set(wanted.ids)]})
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
        when a mail template renders).

        With the context key ``kommune_schedule_without_online`` (invitations) an
        online session has no place: its video conference is for the participants,
        and an invitation reaches people who hold no seat, or is forwarded."""
        self.ensure_one()
        tz = pytz.timezone(self.date_tz or DEFAULT_TZ)
        without_online = self.env.context.get("kommune_schedule_without_online")
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
                    "location": session.location
                    or (not without_online and session.videocall_location)
                    or "",
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
    # CRONS
    # ------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self):
        """Remind confirmed participants N days before the first session, once.

        In committed batches: the reminder is queued and the registration marked in the
        same transaction, so a run cut short resumes with those not reminded yet."""
        now = fields.Datetime.now()
        Registration = self.env["kommune.training.registration"]
        # Covered by the consent to training administration only: who withdrew it
        # is not written to (their registration stays until staff cancel it).
        domain = [
            ("state", "=", "confirmed"),
            ("consent", "=", True),
            ("reminder_sent_date", "=", False),
            ("training_id.stage_id.is_cancel", "=", False),
            ("training_id.date_begin", ">", now),
            ("training_id.date_begin", "<=", now + timedelta(days=self._get_reminder_days())),
        ]

        def remind(registrations):
            registrations._send_training_mail(
                "kommune_interkulturell.mail_template_training_reminder"
            )
            registrations.write({"reminder_sent_date": now})

        count = self.env["ir.cron"]._kommune_process_batches(
            lambda limit: Registration.search(domain, order="id", limit=limit), remind
        )
        _logger.info("Training reminders sent to %s participants", count)

    @api.model
    def _cron_close_trainings(self):
        """After the last session: settle attendance, then thank who attended, once,
        in committed batches as the reminders."""
        now = fields.Datetime.now()
        trainings = self.search(
            [
                ("stage_id.is_cancel", "=", False),
                ("date_end", "<", now),
                ("date_end", ">=", now - timedelta(days=THANKS_WINDOW_DAYS)),
            ]
        )
        # Settling is idempotent: a resumed run settles again and changes nothing.
        trainings.registration_ids._update_attendance_state()
        Registration = self.env["kommune.training.registration"]
        domain = [
            ("training_id", "in", trainings.ids),
            ("state", "=", "attended"),
            ("consent", "=", True),
            ("thanks_sent_date", "=", False),
        ]

        def thank(registrations):
            registrations._send_training_mail(
                "kommune_interkulturell.mail_template_training_thanks"
            )
            registrations.write({"thanks_sent_date": now})

        count = self.env["ir.cron"]._kommune_process_batches(
            lambda limit: Registration.search(domain, order="id", limit=limit), thank
        )
        _logger.info("Thank-you mails sent to %s participants", count)
