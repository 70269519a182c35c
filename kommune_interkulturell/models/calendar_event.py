try:
    import vobject
except ImportError:  # pragma: no cover - vobject is one of Odoo's requirements
    vobject = None

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import is_html_empty
from odoo.tools.misc import format_date, format_datetime

COOPERATION_MODEL = "kommune.cooperation"
# The documents of the addon's events (training sessions, cooperation meetings, meetings
# planned from a training): their attendees are participants, trainers and the contact
# persons of organisations.
KOMMUNE_EVENT_MODELS = ("kommune.training", COOPERATION_MODEL)


class CalendarEvent(models.Model):
    """Meetings of cooperations, and the events behind training sessions.

    A meeting belongs to a cooperation through a real many2one, ``cooperation_id``, as
    crm links meetings with ``opportunity_id``: the cooperation gets a one2many
    ``meeting_ids`` its stored "last contact" can depend on, the link is indexed, and
    meetings can be searched and grouped by cooperation, district or stage. The generic
    document link of calendar (``res_model``/``res_id``) is kept in sync, so calendar's
    own features work as for any document: the "Meeting" activity on the cooperation,
    the button back to it, meetings planned from its activities.

    Calendar lets every employee read every event. The addon's events name people
    (participants, trainers, contact persons): global record rules on events and
    attendees (security/kommune_interkulturell_security.xml) show them only to the
    project's users of the event's company (``kommune_company_id``), and to whoever
    organises or attends them. Minutes and action items are fields of the project's
    users."""

    _inherit = "calendar.event"

    # ------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields):
        events = self
        if cooperation_id := self.env.context.get("default_cooperation_id"):
            events = self.with_context(
                default_res_model=COOPERATION_MODEL, default_res_id=cooperation_id
            )
        defaults = super(CalendarEvent, events).default_get(fields)
        # Planned from the cooperation's chatter ("Meeting" activity) or its document
        # link: link the cooperation as well.
        if (
            "cooperation_id" in fields
            and not defaults.get("cooperation_id")
            and defaults.get("res_id")
            and defaults.get("res_model_id") == self.env["ir.model"]._get_id(COOPERATION_MODEL)
        ):
            defaults["cooperation_id"] = defaults["res_id"]
        return defaults

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cooperation_id = fields.Many2one(
        COOPERATION_MODEL,
        index="btree_not_null",
        ondelete="set null",
        help="The cooperation this meeting belongs to: it counts as contact for its "
        "dialogue once it has taken place, and its minutes go to the cooperation.",
    )
    cooperation_minutes = fields.Html(
        string="Minutes",
        groups="kommune_interkulturell.group_kommune_user",
        help="What was discussed and agreed. Saving posts the minutes and the action "
        "items to the cooperation's chatter.",
    )
    cooperation_action_item_ids = fields.One2many(
        "kommune.cooperation.action.item",
        "event_id",
        string="Action Items",
        groups="kommune_interkulturell.group_kommune_user",
    )
    kommune_company_id = fields.Many2one(
        "res.company",
        string="Project Company",
        compute="_compute_kommune_company_id",
        search="_search_kommune_company_id",
        help="The company of the training or cooperation the event belongs to: only the "
        "project's users of this company see its attendees, besides the organiser and "
        "the attendees themselves.",
    )

    kommune_is_training_session = fields.Boolean(
        string="Training Session",
        compute="_compute_kommune_is_training_session",
        search="_search_kommune_is_training_session",
        help="The event of a training session: its attendees are participants of "
        "several organisations, so that portal users attending it do not read it.",
    )

    # ------------------------------------------------------------
    # COMPUTE AND SEARCH
    # ------------------------------------------------------------

    def _compute_kommune_is_training_session(self):
        sessions = self._kommune_session_event_ids()
        for event in self:
            event.kommune_is_training_session = event.id in sessions

    def _search_kommune_is_training_session(self, operator, value):
        if operator != "in":
            return NotImplemented
        # sudo: which events are sessions decides who reads them (see the rules of
        # events); on archived sessions too, a cancelled session keeps its people.
        Session = self.env["kommune.training.session"].sudo().with_context(active_test=False)
        events = Session._search([("calendar_event_id", "!=", False)]).subselect(
            "calendar_event_id"
        )
        domain = Domain("id", "in", events)
        if True in value and False in value:
            return Domain.TRUE
        return domain if True in value else ~domain

    def _kommune_session_event_ids(self):
        """The ids of these events that are training sessions' (archived ones too).
        sudo: whether an event is a session decides, whoever reads it (see
        _search_kommune_is_training_session)."""
        sessions = (
            self.env["kommune.training.session"]
            .sudo()
            .with_context(active_test=False)
            .search([("calendar_event_id", "in", self.ids)])
        )
        return set(sessions.calendar_event_id.ids)

    def _compute_kommune_company_id(self):
        # sudo: the company of the training or cooperation decides who sees the event;
        # it is read whatever the user's access to trainings and cooperations.
        sessions = (
            self.env["kommune.training.session"]
            .sudo()
            .with_context(active_test=False)
            .search([("calendar_event_id", "in", self.ids)])
        )
        companies = {session.calendar_event_id.id: session.company_id for session in sessions}
        for event in self:
            company = companies.get(event.id)
            if not company and event.res_model in KOMMUNE_EVENT_MODELS and event.res_id:
                # sudo: see above.
                company = self.env[event.res_model].sudo().browse(event.res_id).exists().company_id
            event.kommune_company_id = company

    def _search_kommune_company_id(self, operator, value):
        if operator != "in":
            return NotImplemented
        company_ids = [company_id for company_id in value if company_id]
        domain = Domain.FALSE
        if company_ids:
            domain |= self._kommune_event_domain([("company_id", "in", company_ids)])
        if False in value:
            domain |= ~self._kommune_event_domain([])
        return domain

    @api.model
    def _kommune_event_domain(self, document_domain):
        """The events of training sessions, and of trainings and cooperations matching
        ``document_domain``.

        Evaluated inside the record rules of events: the subqueries run with sudo (the
        rules of sessions include the rules of their events, which would recurse) and
        on archived records too (a cancelled session keeps its people)."""
        Session = self.env["kommune.training.session"].sudo().with_context(active_test=False)
        domain = Domain("id", "in", Session._search(document_domain).subselect("calendar_event_id"))
        for model in KOMMUNE_EVENT_MODELS:
            # sudo: see the docstring.
            documents = self.env[model].sudo().with_context(active_test=False)
            domain |= Domain("res_model", "=", model) & Domain(
                "res_id", "in", documents._search(document_domain).subselect()
            )
        return domain

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        model_id = self.env["ir.model"]._get_id(COOPERATION_MODEL)
        context = self.env.context
        for vals in vals_list:
            if cooperation_id := vals.get("cooperation_id", context.get("default_cooperation_id")):
                vals.setdefault("res_model_id", model_id)
                vals.setdefault("res_id", cooperation_id)
                continue
            # Planned from the cooperation's chatter: calendar fills the document link
            # from these defaults only later, in its own create.
            res_model = vals.get("res_model") or context.get("default_res_model")
            res_model_id = vals.get("res_model_id") or context.get("default_res_model_id")
            res_id = vals.get("res_id") or context.get("default_res_id")
            if res_id and (res_model == COOPERATION_MODEL or res_model_id == model_id):
                vals["cooperation_id"] = res_id
        events = super().create(vals_list)

        linked = events.filtered("cooperation_id")
        if linked:
            linked._kommune_log_on_cooperation()
            now = fields.Datetime.now()
            over = linked.filtered(lambda event: event.stop and event.stop <= now)
            if over and not self.env.context.get("orig_activity_ids"):
                # A meeting entered after it took place is history, not a to-do:
                # calendar's automatic "Meeting" activity would only show as overdue.
                over.activity_ids.unlink()
            linked.filtered(
                lambda event: (
                    not is_html_empty(event.cooperation_minutes)
                    or event.cooperation_action_item_ids
                )
            )._kommune_post_minutes()
        return events

    def write(self, vals):
        if "cooperation_id" in vals:
            vals = dict(vals)
            if vals["cooperation_id"]:
                vals["res_model_id"] = self.env["ir.model"]._get_id(COOPERATION_MODEL)
                vals["res_id"] = vals["cooperation_id"]
            else:
                unlinked = self.filtered(lambda event: event.res_model == COOPERATION_MODEL)
                if unlinked:
                    super(CalendarEvent, unlinked).write({"res_model_id": False, "res_id": False})
        result = super().write(vals)
        if "cooperation_id" in vals:
            # The agreed items belong to the meeting's cooperation: they move with it,
            # and cannot stay behind without one.
            items = self.cooperation_action_item_ids
            items._check_assignee()
            items._sync_activities()
        if vals.keys() & {"cooperation_minutes", "cooperation_action_item_ids"}:
            self.filtered("cooperation_id")._kommune_post_minutes()
        return result

    def unlink(self):
        # Action items cascade with their meeting in the database; unlink them through
        # the ORM first so that their open to-dos go too. sudo: whoever may delete the
        # meeting deletes its items anyway, also without access to them.
        self.sudo().cooperation_action_item_ids.unlink()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_training_session(self):
        # sudo: whoever deletes the event, even without access to trainings, must not
        # leave a training with a session that has no date.
        sessions = (
            self.env["kommune.training.session"]
            .sudo()
            .with_context(active_test=False)
            .search([("calendar_event_id", "in", self.ids)])
        )
        if sessions:
            session = sessions[0]
            raise UserError(
                self.env._(
                    "“%(event)s” is a session of the training “%(training)s”: cancel or "
                    "delete it in the training.",
                    event=session.name,
                    training=session.training_id.name,
                )
            )

    # ------------------------------------------------------------
    # ACTIVITIES
    # ------------------------------------------------------------

    @api.model
    def _get_activity_excluded_models(self):
        # Sessions are calendar events linked to their training; a "Meeting" activity
        # per session would bury the training's real to-dos on the kanban cards.
        return super()._get_activity_excluded_models() + ["kommune.training"]

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def action_open_composer(self):
        """Calendar's "Email" button proposes a template that lists every attendee, to
        every attendee: on a training session's event, staff write without it (the
        participants are people of several organisations)."""
        action = super().action_open_composer()
        if self._kommune_session_event_ids():
            action["context"] = dict(action["context"], default_template_id=False)
        return action

    def _get_ics_file(self):
        """The .ics of a training session names no attendee: every participant
        receives it and must not learn the others' names and addresses."""
        files = super()._get_ics_file()
        for event_id in self.browse(list(files))._kommune_session_event_ids():
            calendar = vobject.readOne(files[event_id].decode())
            for vevent in calendar.vevent_list:
                vevent.contents.pop("attendee", None)
            files[event_id] = calendar.serialize().encode()
        return files

    def _kommune_format_start(self):
        self.ensure_one()
        if self.allday:
            return format_date(self.env, self.start_date)
        return format_datetime(self.env, self.start, dt_format="short")

    def _kommune_log_on_cooperation(self):
        """Log each new meeting in its cooperation's chatter. A log (not a note): it
        records a plan and is no contact in itself."""
        for event in self:
            event.cooperation_id._message_log(
                body=self.env._(
                    "Meeting %(meeting)s on %(date)s.",
                    meeting=event._get_html_link(),
                    date=event._kommune_format_start(),
                )
            )

    def _kommune_post_minutes(self):
        """Post the minutes and the action items to the cooperation's chatter, where
        the followers read them. They carry their own subtype: writing minutes records a
        contact that already happened, it is no new one."""
        for event in self:
            items = event.cooperation_action_item_ids
            if is_html_empty(event.cooperation_minutes) and not items:
                continue
            event.cooperation_id.message_post_with_source(
                "kommune_interkulturell.cooperation_minutes_message",
                render_values={
                    "event": event,
                    "event_link": event._get_html_link(),
                    "event_date": event._kommune_format_start(),
                    "items": items,
                },
                message_type="comment",
                subtype_xmlid="kommune_interkulturell.mt_cooperation_minutes",
            )
