from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools.misc import format_date

PRIORITIES = [
    ("0", "Normal"),
    ("1", "Important"),
    ("2", "High"),
    ("3", "Very High"),
]


class KommuneCooperation(models.Model):
    """A cooperation the network brokers between district administrations, migrant
    organisations and labour-market actors: its pipeline from the first contact to a
    lasting cooperation, its members, meetings and the continuous dialogue.

    Meetings are ``calendar.event`` records linked through their ``cooperation_id``
    (see calendar_event.py). "Last contact" is the latest of: a meeting that has taken
    place, a logged note or call, a message or e-mail, a done activity."""

    _name = "kommune.cooperation"
    _description = "Cooperation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------

    def _default_stage_id(self):
        return self.env["kommune.cooperation.stage"].search([("fold", "=", False)], limit=1)

    def _default_kind_id(self):
        return self.env["kommune.cooperation.kind"].search([], limit=1)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Title", required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    color = fields.Integer()
    priority = fields.Selection(PRIORITIES, default="0", index=True)
    tag_ids = fields.Many2many("kommune.cooperation.tag", string="Tags")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        check_company=True,
        index=True,
        tracking=True,
        help="Staff member who keeps the cooperation going; receives the dialogue "
        "follow-up activities.",
    )

    # Pipeline
    district_id = fields.Many2one(
        "kommune.district",
        compute="_compute_district_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="District the cooperation takes place in. Proposed from the first "
        "administration among the members while left empty.",
    )
    kind_id = fields.Many2one(
        "kommune.cooperation.kind",
        required=True,
        default=lambda self: self._default_kind_id(),
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    stage_id = fields.Many2one(
        "kommune.cooperation.stage",
        required=True,
        default=lambda self: self._default_stage_id(),
        group_expand="_read_group_stage_ids",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
    )
    probability = fields.Integer(
        related="stage_id.probability", store=True, aggregator="avg", string="Probability (%)"
    )
    is_won = fields.Boolean(related="stage_id.is_won", string="Consolidated")
    is_closed = fields.Boolean(related="stage_id.fold", string="Paused or Ended")
    date_start = fields.Date(
        string="Start Date",
        default=fields.Date.context_today,
        tracking=True,
        help="When the cooperation started (or the first contact was made).",
    )
    date_end = fields.Date(string="End Date", tracking=True)
    date_closed = fields.Date(
        string="Closed On",
        compute="_compute_date_closed",
        store=True,
        copy=False,
        help="The day the cooperation was paused, ended or archived; empty while it runs. "
        "The funder's figures count it as running until then.",
    )

    # Members
    member_ids = fields.One2many("kommune.cooperation.member", "cooperation_id", string="Members")
    partner_ids = fields.Many2many(
        "res.partner",
        "kommune_cooperation_res_partner_rel",
        "cooperation_id",
        "partner_id",
        string="Organisations",
        compute="_compute_partner_ids",
        store=True,
        help="The member organisations.",
    )
    organization_count = fields.Integer(
        string="Organisations Count", compute="_compute_organization_count"
    )
    # Stored so that the pipeline cards show the members without reading and formatting
    # every organisation; renames, archiving, member and company changes recompute it
    # through the depends (a merge of contacts too: Odoo's wizard writes the contact kept).
    organization_names = fields.Char(
        string="Organisation Names",
        compute="_compute_organization_names",
        store=True,
        help="The active member organisations' names, as the pipeline cards show them: "
        "those shared between companies or of the cooperation's company.",
    )

    # Content
    goals = fields.Html()
    next_steps = fields.Html(string="Agreed Next Steps")
    expected_benefit = fields.Html(
        help="What the participants expect from the cooperation: for the administration, "
        "the organisations and the people they serve."
    )
    actual_benefit = fields.Html(help="What the cooperation brought the participants.")
    people_reached_target = fields.Integer(
        string="People to Reach",
        aggregator="sum",
        help="How many people the cooperation intends to reach.",
    )
    people_reached = fields.Integer(
        aggregator="sum", help="How many people the cooperation has reached so far."
    )
    joint_activity_count = fields.Integer(
        string="Joint Activities",
        aggregator="sum",
        help="Events, consultations or trainings the members ran together.",
    )
    placement_count = fields.Integer(
        string="Placements",
        aggregator="sum",
        help="People placed into work, training or counselling through the cooperation.",
    )

    # Outcome
    close_reason_id = fields.Many2one(
        "kommune.cooperation.close.reason",
        index="btree_not_null",
        tracking=True,
        copy=False,
        ondelete="restrict",
        help="Why the cooperation was paused or ended.",
    )
    outcome_result = fields.Html(string="Result", copy=False)
    outcome_lessons = fields.Html(string="Lessons Learned", copy=False)

    # Meetings
    meeting_ids = fields.One2many("calendar.event", "cooperation_id", string="Meetings")
    meeting_count = fields.Integer(string="Meetings Count", compute="_compute_meeting_stats")
    next_meeting_start = fields.Datetime(string="Next Meeting", compute="_compute_meeting_stats")
    action_item_ids = fields.One2many(
        "kommune.cooperation.action.item", "cooperation_id", string="Action Items"
    )
    follow_up_count = fields.Integer(string="Open Follow-ups", compute="_compute_follow_up_count")
    training_count = fields.Integer(
        string="Related Trainings",
        compute="_compute_training_count",
        help="Trainings in which people of the member organisations took part or are registered.",
    )

    # Continuous dialogue. "Last contact" and the due date are stored: the kanban,
    # the filters and the reports read and group them. "Days since" and "overdue" depend
    # on today, so they are computed from the stored dates on reading (no query).
    date_last_contact = fields.Datetime(
        string="Last Contact",
        compute="_compute_date_last_contact",
        store=True,
        help="Latest meeting that has taken place, logged note or call, message, e-mail "
        "or done activity on the cooperation.",
    )
    days_since_contact = fields.Integer(compute="_compute_days_since_contact")
    dialogue_due_date = fields.Date(
        string="Dialogue Due",
        compute="_compute_dialogue_due_date",
        store=True,
        help="Last contact (or start) plus the dialogue interval of the kind: a live "
        "cooperation without contact or planned meeting after this day is overdue.",
    )
    is_dialogue_overdue = fields.Boolean(
        string="Dialogue Overdue",
        compute="_compute_meeting_stats",
        search="_search_is_dialogue_overdue",
    )
    date_dialogue_reminder = fields.Datetime(
        string="Dialogue Reminder Sent",
        readonly=True,
        copy=False,
        help="When the daily follow-up last reminded the responsible person; no new "
        "reminder until there has been a contact since.",
    )

    _indicators_positive = models.Constraint(
        "CHECK (people_reached_target >= 0 AND people_reached >= 0 "
        "AND joint_activity_count >= 0 AND placement_count >= 0)",
        "The indicators of a cooperation (people reached, joint activities, placements) "
        "cannot be negative.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("member_ids.partner_id")
    def _compute_district_id(self):
        for coop in self:
            # Cooperations live where the administration is: propose its district until
            # one is chosen. Other members often work across districts.
            administrations = coop.member_ids.partner_id.filtered(
                lambda p: p.organization_category == "administration" and p.district_id
            )
            coop.district_id = coop.district_id or administrations[:1].district_id

    @api.depends("stage_id.fold", "active")
    def _compute_date_closed(self):
        # Stamped once, when it stops running: past periods keep counting it, later ones
        # do not, whatever happens to it afterwards.
        today = fields.Date.context_today(self)
        for coop in self:
            running = coop.active and not coop.stage_id.fold
            coop.date_closed = False if running else coop.date_closed or today

    @api.depends("member_ids.partner_id")
    def _compute_partner_ids(self):
        for coop in self:
            coop.partner_ids = coop.member_ids.partner_id

    @api.depends("partner_ids.name", "partner_ids.active", "partner_ids.company_id", "company_id")
    def _compute_organization_names(self):
        # As the organisations' tags did: archived ones are left out. A stored text
        # reaches whoever reads the cooperation, past the contacts' record rules: it
        # names only the organisations every reader of the cooperation may read (shared,
        # or of its company or a parent company); a member moved to another company
        # later stays in the members' list for those who may read it.
        for coop in self:
            companies = coop.company_id.parent_ids
            readable = coop.partner_ids.filtered(
                lambda partner, companies=companies: (
                    partner.active and (not partner.company_id or partner.company_id in companies)
                )
            )
            coop.organization_names = ", ".join(sorted(readable.mapped("name")))

    @api.depends("partner_ids")
    def _compute_organization_count(self):
        for coop in self:
            coop.organization_count = len(coop.partner_ids)

    @api.depends(
        "meeting_ids.start", "meeting_ids.active", "active", "stage_id.fold", "dialogue_due_date"
    )
    def _compute_meeting_stats(self):
        # One pass for the meeting figures and the overdue flag that depends on the next
        # meeting: the pipeline shows both on every card.
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        # sudo: only counts and dates are read, so that private meetings of colleagues
        # count too; their content stays hidden by calendar's own rules.
        starts_by_coop = dict(
            self.env["calendar.event"]
            .sudo()
            ._read_group(
                [("cooperation_id", "in", self._origin.ids)],
                ["cooperation_id"],
                ["start:array_agg"],
            )
        )
        for coop in self:
            starts = starts_by_coop.get(coop._origin, [])
            coop.meeting_count = len(starts)
            coop.next_meeting_start = min((start for start in starts if start > now), default=False)
            coop.is_dialogue_overdue = bool(
                coop.active
                and not coop.stage_id.fold
                and coop.dialogue_due_date
                and coop.dialogue_due_date < today
                and not coop.next_meeting_start
            )

    @api.depends("action_item_ids.is_done")
    def _compute_follow_up_count(self):
        counts = dict(
            self.env["kommune.cooperation.action.item"]._read_group(
                [("cooperation_id", "in", self.ids), ("is_done", "=", False)],
                ["cooperation_id"],
                ["__count"],
            )
        )
        for coop in self:
            coop.follow_up_count = counts.get(coop, 0)

    @api.depends("partner_ids")
    def _compute_training_count(self):
        Registration = self.env["kommune.training.registration"]
        organizations = self.partner_ids
        trainings_by_org = {
            organization: set(training_ids)
            for organization, training_ids in Registration._read_group(
                [("organization_id", "in", organizations.ids), ("state", "!=", "cancelled")],
                ["organization_id"],
                ["training_id:array_agg_distinct"],
            )
        }
        for coop in self:
            training_ids = set().union(
                *(trainings_by_org.get(org, set()) for org in coop.partner_ids)
            )
            coop.training_count = len(training_ids)

    @api.depends("meeting_ids.start", "meeting_ids.active")
    def _compute_date_last_contact(self):
        # Also recomputed explicitly: on every dialogue message (_message_post_after_hook)
        # and by the daily cron, since a planned meeting becomes a contact once its time
        # has come, which no write announces.
        now = fields.Datetime.now()
        coop_ids = self._origin.ids
        last_meetings = dict(
            self.env["calendar.event"]._read_group(
                [("cooperation_id", "in", coop_ids), ("start", "<=", now)],
                ["cooperation_id"],
                ["start:max"],
            )
        )
        Message = self.env["mail.message"]
        last_messages = dict(
            Message._read_group(
                Domain("model", "=", self._name)
                & Domain("res_id", "in", coop_ids)
                & Message._kommune_dialogue_domain(),
                ["res_id"],
                ["date:max"],
            )
        )
        for coop in self:
            dates = [last_meetings.get(coop._origin), last_messages.get(coop._origin.id)]
            coop.date_last_contact = max(filter(None, dates), default=False)

    @api.depends("date_last_contact")
    def _compute_days_since_contact(self):
        today = fields.Date.context_today(self)
        for coop in self:
            last = coop.date_last_contact
            coop.days_since_contact = (
                (today - fields.Date.context_today(coop, last)).days if last else 0
            )

    @api.depends("date_last_contact", "date_start", "create_date", "kind_id.dialogue_interval")
    def _compute_dialogue_due_date(self):
        for coop in self:
            interval = coop.kind_id.dialogue_interval
            reference = coop._get_dialogue_reference_date()
            coop.dialogue_due_date = (
                reference + timedelta(days=interval) if interval and reference else False
            )

    def _search_is_dialogue_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        return [
            ("stage_id.fold", "=", False),
            ("dialogue_due_date", "<", fields.Date.context_today(self)),
            ("meeting_ids", "not any", [("start", ">", fields.Datetime.now())]),
        ]

    # ------------------------------------------------------------
    # GROUPING
    # ------------------------------------------------------------

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # Every stage is a column, empty and folded ones too: the pipeline shows where a
        # cooperation can move, and drag and drop needs the target column. Stages are a
        # handful of configuration records.
        return stages.search([], order=stages._order)  # pylint: disable=no-search-all

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for coop in self:
            if coop.date_start and coop.date_end and coop.date_end < coop.date_start:
                raise ValidationError(
                    self.env._(
                        "The cooperation “%(name)s” cannot end (%(end)s) before it starts "
                        "(%(start)s).",
                        name=coop.name,
                        end=format_date(self.env, coop.date_end),
                        start=format_date(self.env, coop.date_start),
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if vals.get("stage_id") and "close_reason_id" not in vals:
            stage = self.env["kommune.cooperation.stage"].browse(vals["stage_id"])
            if not stage.fold:
                # Back in a live stage: the cooperation resumed, the reason why it was
                # paused or ended no longer holds.
                vals["close_reason_id"] = False
        return super().write(vals)

    def unlink(self):
        # Its meetings name the members' contact persons: left without their cooperation
        # they would become plain events that every employee reads. sudo: colleagues'
        # private and archived meetings go too, once the user may delete the cooperations.
        self.check_access("unlink")
        self.sudo().with_context(active_test=False).meeting_ids.unlink()
        return super().unlink()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_schedule_meeting(self):
        """Open the calendar to plan a meeting of the cooperation, with the members'
        contact persons (or the organisations themselves) as attendees."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("calendar.action_calendar_event")
        partners = self.env.user.partner_id | self._get_meeting_partners()
        action["context"] = {
            "default_cooperation_id": self.id,
            "default_partner_ids": partners.ids,
            "default_name": self.name,
            "search_default_cooperation_id": self.id,
            "default_mode": "week",
            # The calendar opens on the next meeting, else today.
            "initial_date": self.next_meeting_start and self.next_meeting_start.date(),
        }
        return action

    @api.readonly
    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.calendar_event_action_cooperation"
        )
        action["domain"] = [("cooperation_id", "=", self.id)]
        action["context"] = {
            "default_cooperation_id": self.id,
            "default_partner_ids": (self.env.user.partner_id | self._get_meeting_partners()).ids,
            "default_name": self.name,
        }
        action["view_mode"] = "list,calendar,form"
        action["views"] = [(False, "list"), (False, "calendar"), (False, "form")]
        return action

    @api.readonly
    def action_view_organizations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.res_partner_action_organization"
        )
        action["domain"] = [("id", "in", self.partner_ids.ids)]
        action["context"] = {"create": False}
        return action

    @api.readonly
    def action_view_trainings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_training_action"
        )
        action["domain"] = self._get_related_training_domain()
        action["context"] = {"create": False}
        action["view_mode"] = "list,kanban,form"
        action["views"] = [(False, "list"), (False, "kanban"), (False, "form")]
        return action

    @api.readonly
    def action_view_follow_ups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_cooperation_action_item_action"
        )
        action["domain"] = [("cooperation_id", "=", self.id)]
        action["context"] = {"search_default_open": 1, "create": False}
        return action

    # ------------------------------------------------------------
    # MAIL
    # ------------------------------------------------------------

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("kommune_interkulturell.mt_cooperation_stage")
        return super()._track_subtype(init_values)

    def _message_post_after_hook(self, message, msg_values):
        # A logged call, a message, an e-mail or a done activity is a contact: refresh the
        # stored "last contact" (and through it the members' organisations).
        if message._kommune_is_dialogue():
            self._refresh_dialogue()
        return super()._message_post_after_hook(message, msg_values)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_related_training_domain(self):
        """Trainings related to the cooperations: people of a member organisation are
        registered for them (cancelled registrations do not count)."""
        return [
            (
                "registration_ids",
                "any",
                [
                    ("organization_id", "in", self.partner_ids.ids),
                    ("state", "!=", "cancelled"),
                ],
            )
        ]

    def _get_meeting_partners(self):
        """Who is invited to the cooperation's meetings: each member's contact person,
        or the organisation itself when it has none."""
        return self.member_ids.mapped(lambda member: member.contact_id or member.partner_id)

    def _get_dialogue_reference_date(self):
        """The day the dialogue clock starts from: the last contact, else the start."""
        self.ensure_one()
        if self.date_last_contact:
            # The local day, as "days since contact" counts it, not the UTC one.
            return fields.Date.context_today(self, self.date_last_contact)
        return self.date_start or (self.create_date and self.create_date.date())

    def _refresh_dialogue(self):
        """Recompute "last contact" of these cooperations, and what depends on it, at
        the next flush or read. For contacts no dependency announces: messages, and
        planned meetings whose time has come."""
        self.env.add_to_compute(self._fields["date_last_contact"], self)
        self.modified(["date_last_contact"])

    # ------------------------------------------------------------
    # CRONS
    # ------------------------------------------------------------

    @api.model
    def _cron_dialogue_followup(self):
        """Daily: remind the responsible person of each live cooperation that had no
        contact for longer than its kind's interval and has no meeting planned, with one
        follow-up activity. A cooperation gets no second reminder until a contact has
        happened since the first one."""
        now = fields.Datetime.now()
        # Meetings that took place since the last run are contacts now; nothing was
        # written when their time came, so refresh what depends on them. Only live
        # cooperations matter here, which keeps the set small.
        since = self.env.context.get("lastcall") or now - timedelta(days=1)
        past_meetings = self.env["calendar.event"].search(
            [("start", ">=", since - timedelta(days=1)), ("start", "<=", now)]
        )
        live = self.search([("stage_id.fold", "=", False)])
        (live | past_meetings.cooperation_id)._refresh_dialogue()
        attendees = past_meetings.partner_ids
        (attendees | attendees.parent_id)._kommune_refresh_dialogue()

        overdue = self.search([("is_dialogue_overdue", "=", True)], order="id")
        to_remind = overdue.filtered(
            lambda coop: (
                not coop.date_dialogue_reminder
                or (coop.date_last_contact and coop.date_dialogue_reminder < coop.date_last_contact)
            )
        )
        # In committed batches; the activity and the reminder date are written in the
        # same transaction, so a run cut short resumes with those not reminded yet.
        pending = list(to_remind)

        def next_batch(limit):
            return self.browse([coop.id for coop in pending[:limit]])

        def remind(batch):
            del pending[: len(batch)]
            for coop in batch:
                user = coop.user_id or coop.create_uid
                # Written in the language of the person who reads it, not the cron's.
                coop_lang = coop.with_context(lang=user.lang)
                days = (fields.Date.context_today(coop) - coop._get_dialogue_reference_date()).days
                coop.activity_schedule(
                    "kommune_interkulturell.mail_activity_type_cooperation_dialogue",
                    date_deadline=fields.Date.context_today(coop),
                    summary=coop_lang.env._(
                        "No contact for %(days)s days: get back in touch", days=days
                    ),
                    user_id=user.id,
                )
            batch.date_dialogue_reminder = now

        self.env["ir.cron"]._kommune_process_batches(next_batch, remind)
        return to_remind
