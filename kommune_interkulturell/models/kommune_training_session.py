from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date, format_time

from .kommune_training_registration import SEAT_STATES


class KommuneTrainingSession(models.Model):
    """One date of a training. A session *is* a calendar event (delegation inheritance):
    start, stop, location and attendees live on its ``calendar.event``, so the session
    shows in the calendars of trainers and participants, moving it (here or in the
    calendar) moves the event and the calendar tells the attendees.

    Attendees follow the training: the session's trainers plus every confirmed
    participant (``kommune.training._sync_participants``)."""

    _name = "kommune.training.session"
    _description = "Training Session"
    _inherits = {"calendar.event": "calendar_event_id"}
    _order = "start, id"
    _check_company_auto = True

    calendar_event_id = fields.Many2one(
        "calendar.event",
        required=True,
        ondelete="cascade",
        index=True,
        copy=False,
    )
    training_id = fields.Many2one(
        "kommune.training", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="training_id.company_id", store=True, index=True)
    trainer_ids = fields.Many2many(
        "res.partner",
        "kommune_training_session_trainer_rel",
        "session_id",
        "partner_id",
        string="Trainers",
        compute="_compute_trainer_ids",
        store=True,
        readonly=False,
        check_company=True,
        help="Who leads this session; the training's trainers unless set otherwise. "
        "Changing the training's trainers updates all its sessions.",
    )
    attendance_ids = fields.One2many(
        "kommune.training.attendance",
        "session_id",
        string="Attendance Sheet",
        domain=[("registration_state", "in", ("confirmed", "attended", "absent"))],
    )
    # The signed attendance list: evidence for the funder's audits.
    signed_list = fields.Binary(
        string="Signed Attendance List",
        attachment=True,
        copy=False,
        help="The scan of the attendance list the participants signed; attaching it marks "
        "the session as documented.",
    )
    signed_list_filename = fields.Char(copy=False)
    is_documented = fields.Boolean(
        string="Documented",
        compute="_compute_is_documented",
        store=True,
        help="The signed attendance list is attached.",
    )
    present_count = fields.Integer(string="Present", compute="_compute_attendance_counts")
    participant_count = fields.Integer(string="Participants", compute="_compute_attendance_counts")

    @api.depends("training_id.trainer_ids")
    def _compute_trainer_ids(self):
        for session in self:
            session.trainer_ids = session.training_id.trainer_ids

    @api.depends("signed_list")
    def _compute_is_documented(self):
        for session in self:
            session.is_documented = bool(session.signed_list)

    @api.depends("attendance_ids.present", "attendance_ids.registration_state")
    def _compute_attendance_counts(self):
        present, total = {}, {}
        for session, is_present, count in self.env["kommune.training.attendance"]._read_group(
            [
                ("session_id", "in", self.ids),
                ("registration_state", "in", ("confirmed", "attended", "absent")),
            ],
            ["session_id", "present"],
            ["__count"],
        ):
            total[session.id] = total.get(session.id, 0) + count
            if is_present:
                present[session.id] = count
        for session in self:
            session.present_count = present.get(session.id, 0)
            session.participant_count = total.get(session.id, 0)

    @api.constrains("start", "stop")
    def _check_dates(self):
        for session in self:
            if session.start and session.stop and session.stop <= session.start:
                raise ValidationError(
                    self.env._(
                        "The session “%(session)s” must end after it starts.",
                        session=session.name,
                    )
                )

    @api.onchange("start")
    def _onchange_start(self):
        # Keep the duration when moving the start, as the calendar does; a new session
        # gets the calendar's default duration.
        if not self.start:
            return
        if self._origin.start and self._origin.stop:
            self.stop = self.start + (self._origin.stop - self._origin.start)
        elif not self.stop or self.stop <= self.start:
            hours = self.env["calendar.event"].get_default_duration()
            self.stop = self.start + timedelta(hours=hours)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        training_model_id = self.env["ir.model"]._get_id("kommune.training")
        trainings = self.env["kommune.training"].browse(
            {vals["training_id"] for vals in vals_list if vals.get("training_id")}
        )
        for vals in vals_list:
            training = trainings.browse(vals.get("training_id"))
            if not training:
                continue
            vals.setdefault("name", training.name)
            vals.setdefault("user_id", training.user_id.id)
            vals.setdefault("location", training._get_location())
            if training.online_url:
                vals.setdefault("videocall_location", training.online_url)
            # Trainings are the network's public business: every colleague may see and
            # move the sessions, whatever the organiser's default calendar privacy.
            vals.setdefault("privacy", "public")
            # The event points to its training (the calendar's "open document" button).
            vals["res_model_id"] = training_model_id
            vals["res_id"] = training.id
            # Attendees come from _sync_participants below, not the calendar's default
            # (the current user).
            vals.setdefault("partner_ids", [])
        sessions = super(
            KommuneTrainingSession,
            # The calendar would copy the organiser's and the first attendee's contact
            # details into the description that every participant receives.
            self.with_context(skip_contact_description=True),
        ).create(vals_list)
        # New sessions invite their trainers and the confirmed participants.
        sessions.training_id._sync_participants(notify=True)
        sessions.training_id.registration_ids._update_attendance_state()
        return sessions

    def write(self, vals):
        res = super().write(vals)
        if "trainer_ids" in vals:
            self.training_id._sync_participants(notify=True)
        if "active" in vals:
            self.training_id.registration_ids._update_attendance_state()
        return res

    def unlink(self):
        events = self.calendar_event_id
        trainings = self.training_id
        res = super().unlink()
        # The event would survive its session otherwise (the delegation link only
        # cascades the other way round).
        events.unlink()
        trainings.exists().registration_ids._update_attendance_state()
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        """Take the session out of the calendar (archive its event); it no longer counts
        for attendance."""
        self.filtered("active").write({"active": False})

    def action_restore(self):
        self.with_context(active_test=False).filtered(lambda s: not s.active).write(
            {"active": True}
        )
        self.training_id._sync_participants(notify=True)

    def action_mark_all_present(self):
        """Tick every confirmed participant as present on this session's sheet."""
        self.training_id._sync_participants()
        self.attendance_ids.filtered(lambda attendance: not attendance.present).write(
            {"present": True}
        )

    # ------------------------------------------------------------
    # REPORTS
    # ------------------------------------------------------------

    def _get_attendance_list_values(self):
        """What the signed attendance list prints: the session in the training's time
        zone and one row per seat holder (name and organisation), by name."""
        self.ensure_one()
        training = self.training_id
        tz = training.date_tz or "Europe/Berlin"
        registrations = training.registration_ids.filtered(
            lambda registration: registration.state in SEAT_STATES
        ).sorted(lambda registration: (registration.partner_id.name or "").lower())
        return {
            "date": format_date(
                self.env,
                fields.Datetime.context_timestamp(self.with_context(tz=tz), self.start).date(),
                date_format="long",
            ),
            "time": " – ".join(
                format_time(self.env, moment, tz=tz, time_format="short")
                for moment in (self.start, self.stop)
            ),
            "venue": self.location or "",
            "trainers": ", ".join(self.trainer_ids.mapped("name")),
            "rows": [
                (registration.partner_id.name, registration.organization_id.name or "")
                for registration in registrations
            ],
        }
