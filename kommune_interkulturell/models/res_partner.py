from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain

NETWORK_ROLES = [
    ("fulltime", "Full-time staff"),
    ("volunteer", "Volunteer"),
    ("management", "Management"),
    ("administration", "Administration staff"),
]

LEGAL_FORMS = [
    ("registered_association", "Registered association (e.V.)"),
    ("non_profit_company", "Non-profit limited company (gGmbH)"),
    ("foundation", "Foundation"),
    ("civil_partnership", "Civil-law partnership (GbR)"),
    ("unregistered", "Unregistered initiative"),
    ("public_body", "Public body"),
    ("other", "Other"),
]

# The button of the personal registration link in invitation mails (inline: mail clients
# ignore style sheets).
INVITATION_LINK_STYLE = (
    "display: inline-block; background-color: #875A7B; color: #ffffff; padding: 10px 18px; "
    "border-radius: 4px; text-decoration: none; font-weight: bold;"
)

# Migrant organisations founded before this year are very unlikely; it catches typos
# such as "201" or "2109" without pretending to know the history of every association.
FOUNDING_YEAR_MIN = 1850


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Network membership (organisations; persons inherit them, see
    # _commercial_fields)
    # ------------------------------------------------------------------
    organization_type_id = fields.Many2one(
        "kommune.organization.type",
        string="Organisation Type",
        index="btree_not_null",
        tracking=True,
        help="What kind of actor this organisation is in the network. Persons take "
        "the type of their organisation.",
    )
    organization_category = fields.Selection(
        string="Type Category",
        related="organization_type_id.category",
        store=True,
        index="btree_not_null",
    )
    district_id = fields.Many2one(
        "kommune.district",
        string="Main District",
        index="btree_not_null",
        tracking=True,
        help="The district where the organisation is based.",
    )
    active_district_ids = fields.Many2many(
        "kommune.district",
        "kommune_district_res_partner_active_rel",
        "partner_id",
        "district_id",
        string="Active in Districts",
        help="Further districts the organisation works in.",
    )

    # ------------------------------------------------------------------
    # Migrant organisations
    # ------------------------------------------------------------------
    community_ids = fields.Many2many(
        "kommune.community",
        string="Communities Served",
    )
    served_language_ids = fields.Many2many(
        "kommune.language",
        "kommune_language_res_partner_served_rel",
        "partner_id",
        "language_id",
        string="Languages Served",
    )
    activity_area_ids = fields.Many2many(
        "kommune.activity.area",
        string="Fields of Activity",
    )
    target_group_ids = fields.Many2many(
        "kommune.target.group",
        string="Target Groups",
    )
    legal_form = fields.Selection(LEGAL_FORMS)
    founding_year = fields.Integer(help="Year the organisation was founded, e.g. 2012.")
    staff_fulltime_count = fields.Integer(
        string="Full-time Staff",
        aggregator="sum",
        help="Number of paid full-time and part-time staff.",
    )
    staff_volunteer_count = fields.Integer(
        string="Volunteers",
        aggregator="sum",
        help="Number of people who regularly volunteer for the organisation.",
    )

    # ------------------------------------------------------------------
    # District administrations
    # ------------------------------------------------------------------
    administration_unit = fields.Char(
        string="Administrative Unit",
        help="Office or department, e.g. 'Büro der Integrationsbeauftragten'.",
    )
    administration_responsibility = fields.Text(
        string="Responsibility",
        help="What the unit is responsible for, in a few words.",
    )

    # ------------------------------------------------------------------
    # Persons
    # ------------------------------------------------------------------
    network_role = fields.Selection(
        NETWORK_ROLES,
        string="Role in Organisation",
        help="Whether the person works full-time or as a volunteer for their "
        "organisation, manages it, or is administration staff.",
    )

    _staff_fulltime_count_positive = models.Constraint(
        "CHECK (staff_fulltime_count IS NULL OR staff_fulltime_count >= 0)",
        "The number of full-time staff cannot be negative.",
    )
    _staff_volunteer_count_positive = models.Constraint(
        "CHECK (staff_volunteer_count IS NULL OR staff_volunteer_count >= 0)",
        "The number of volunteers cannot be negative.",
    )

    @api.constrains("founding_year")
    def _check_founding_year(self):
        this_year = fields.Date.context_today(self).year
        for partner in self:
            year = partner.founding_year
            if year and not FOUNDING_YEAR_MIN <= year <= this_year:
                raise ValidationError(
                    self.env._(
                        "The founding year %(year)s of %(name)s is not plausible: "
                        "enter a year between %(min)s and %(max)s.",
                        year=year,
                        name=partner.display_name,
                        min=FOUNDING_YEAR_MIN,
                        max=this_year,
                    )
                )

    @api.model
    def _commercial_fields(self):
        # Persons belong to the network through their organisation: syncing these
        # fields lets every search, group-by and audience work on persons directly.
        return super()._commercial_fields() + [
            "organization_type_id",
            "district_id",
            "active_district_ids",
        ]

    # ------------------------------------------------------------------
    # Cooperations and the continuous dialogue
    # ------------------------------------------------------------------
    cooperation_member_ids = fields.One2many(
        "kommune.cooperation.member",
        "partner_id",
        string="Cooperation Memberships",
        groups="kommune_interkulturell.group_kommune_user",
    )
    cooperation_count = fields.Integer(
        string="Cooperations",
        compute="_compute_cooperation_count",
        groups="kommune_interkulturell.group_kommune_user",
    )
    date_last_contact = fields.Datetime(
        string="Last Contact",
        compute="_compute_date_last_contact",
        store=True,
        help="Latest contact with the organisation or its people: a meeting they "
        "attended, a logged note or call, a message, e-mail or done activity on them, or "
        "the last contact of a cooperation the organisation is a member of.",
    )
    days_since_contact = fields.Integer(compute="_compute_days_since_contact")

    def _compute_cooperation_count(self):
        counts = dict(
            self.env["kommune.cooperation.member"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.cooperation_count = counts.get(partner, 0)

    @api.depends(
        "organization_type_id",
        "cooperation_member_ids.cooperation_id.date_last_contact",
        "meeting_ids.start",
        "meeting_ids.active",
        "child_ids.meeting_ids.start",
    )
    def _compute_date_last_contact(self):
        # Also recomputed explicitly: on every dialogue message posted on the partner or
        # one of its people, and by the daily dialogue cron for meetings whose time came.
        # Only the network's organisations and people: colleagues, customers and other
        # contacts attend meetings too, but their dialogue is nobody's concern here.
        network = self.filtered("organization_type_id")
        (self - network).date_last_contact = False
        families = {partner: partner._origin | partner._origin.child_ids for partner in network}
        family_ids = list({pid for family in families.values() for pid in family.ids})
        now = fields.Datetime.now()
        last_meetings = dict(
            self.env["calendar.event"]._read_group(
                [("partner_ids", "in", family_ids), ("start", "<=", now)],
                ["partner_ids"],
                ["start:max"],
            )
        )
        Message = self.env["mail.message"]
        last_messages = dict(
            Message._read_group(
                Domain("model", "=", "res.partner")
                & Domain("res_id", "in", family_ids)
                & Message._kommune_dialogue_domain(),
                ["res_id"],
                ["date:max"],
            )
        )
        for partner, family in families.items():
            dates = partner.cooperation_member_ids.cooperation_id.mapped("date_last_contact")
            for member in family:
                dates += [last_meetings.get(member), last_messages.get(member.id)]
            partner.date_last_contact = max(filter(None, dates), default=False)

    @api.depends("date_last_contact")
    def _compute_days_since_contact(self):
        today = fields.Date.context_today(self)
        for partner in self:
            last = partner.date_last_contact
            partner.days_since_contact = (
                (today - fields.Date.context_today(partner, last)).days if last else 0
            )

    def _message_post_after_hook(self, message, msg_values):
        # A call logged on a person is a contact with their organisation too.
        if message._kommune_is_dialogue():
            self._kommune_refresh_dialogue()
        return super()._message_post_after_hook(message, msg_values)

    def _kommune_refresh_dialogue(self):
        """Recompute "last contact" of these partners and their organisations at the
        next flush or read (see kommune.cooperation._refresh_dialogue)."""
        partners = self | self.parent_id
        self.env.add_to_compute(self._fields["date_last_contact"], partners)
        partners.modified(["date_last_contact"])

    def action_open_cooperations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_cooperation_action"
        )
        action["domain"] = [("partner_ids", "in", self.ids)]
        action["context"] = {"default_member_ids": [Command.create({"partner_id": self.id})]}
        return action

    # ------------------------------------------------------------------
    # Trainings: a person's registrations; an organisation's people's
    # registrations (for whom they took part) and the trainings attended
    # ------------------------------------------------------------------
    training_registration_ids = fields.One2many(
        "kommune.training.registration",
        "partner_id",
        string="Training Registrations",
        groups="kommune_interkulturell.group_kommune_user",
    )
    organization_training_registration_ids = fields.One2many(
        "kommune.training.registration",
        "organization_id",
        string="Training Registrations of the Organisation",
        groups="kommune_interkulturell.group_kommune_user",
    )
    training_attended_count = fields.Integer(
        string="Trainings Attended",
        compute="_compute_training_attended_count",
        groups="kommune_interkulturell.group_kommune_user",
        help="Trainings the person attended; for an organisation, the trainings its "
        "people attended for it.",
    )

    def _compute_training_attended_count(self):
        # Two grouped queries for the whole batch, persons and organisations apart.
        Registration = self.env["kommune.training.registration"]
        organizations = self.filtered("is_company")
        persons = self - organizations
        counts = {}
        for field, partners in (("partner_id", persons), ("organization_id", organizations)):
            if partners.ids:
                counts.update(
                    Registration._read_group(
                        [(field, "in", partners.ids), ("state", "=", "attended")],
                        [field],
                        ["training_id:count_distinct"],
                    )
                )
        for partner in self:
            partner.training_attended_count = counts.get(partner._origin, 0)

    def action_open_attended_trainings(self):
        """The trainings the person, or the organisation's people, attended."""
        self.ensure_one()
        field = "organization_id" if self.is_company else "partner_id"
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_training_action"
        )
        action.update(
            {
                "name": self.env._("Trainings attended: %(name)s", name=self.display_name),
                "domain": [
                    ("registration_ids", "any", [(field, "=", self.id), ("state", "=", "attended")])
                ],
                "context": {"active_test": False},
                "view_mode": "list,kanban,form",
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
            }
        )
        return action

    # ------------------------------------------------------------------
    # Mail campaigns (issue 5): the opt-out from the network's invitations.
    # Odoo's mass mailing keeps opt-outs for mailing-list contacts only; persons
    # (res.partner) get their own, respected by every mailing on contacts through
    # the mass-mailing hook _mailing_get_opt_out_list below.
    # ------------------------------------------------------------------
    invitation_opt_out = fields.Boolean(
        string="No Invitations",
        tracking=True,
        copy=False,
        help="The person asked not to receive the network's invitation campaigns any "
        "more, e.g. through the unsubscribe link of a campaign. Every mailing to contacts "
        "skips their e-mail address. Only managers can take it back.",
    )
    invitation_opt_out_date = fields.Datetime(
        string="No Invitations Since",
        compute="_compute_invitation_opt_out_date",
        store=True,
        precompute=True,
        copy=False,
    )

    # The hook below looks the few opted-out persons up among all partners.
    _invitation_opt_out_index = models.Index("(id) WHERE invitation_opt_out IS TRUE")

    @api.depends("invitation_opt_out")
    def _compute_invitation_opt_out_date(self):
        for partner in self:
            if not partner.invitation_opt_out:
                partner.invitation_opt_out_date = False
            elif not partner.invitation_opt_out_date:
                partner.invitation_opt_out_date = fields.Datetime.now()

    def write(self, vals):
        if "invitation_opt_out" in vals and not vals["invitation_opt_out"]:
            self._check_invitation_opt_out_withdrawal()
        return super().write(vals)

    def _check_invitation_opt_out_withdrawal(self):
        """An opt-out is the person's own decision (an objection in the sense of the GDPR):
        only managers may record that someone wants invitations again."""
        if self.env.su or self.env.user.has_group("kommune_interkulturell.group_kommune_manager"):
            return
        opted_out = self.filtered("invitation_opt_out")
        if opted_out:
            raise AccessError(
                self.env._(
                    "%(names)s asked not to receive invitations. Only a manager of Kommune "
                    "Interkulturell can take an opt-out back, e.g. when the person asks to be "
                    "invited again.",
                    names=", ".join(opted_out.mapped("display_name")),
                )
            )

    @api.model
    def _mailing_get_opt_out_list(self, mailing):
        """Mass-mailing hook (see mailing.mailing._get_opt_out_list): the normalized e-mail
        addresses that must not receive ``mailing``. Odoo cancels their traces as opt-out.

        The opt-out follows the address, archived persons included: whoever shares it
        (e.g. a second contact created for the same person) is not mailed either."""
        parent = getattr(super(), "_mailing_get_opt_out_list", None)
        opt_out = set(parent(mailing)) if parent else set()
        opted_out = self.with_context(active_test=False).search_fetch(
            [("invitation_opt_out", "=", True), ("email_normalized", "!=", False)],
            ["email_normalized"],
        )
        opt_out.update(opted_out.mapped("email_normalized"))
        return opt_out

    def _set_invitation_opt_out(self, reason=None):
        """Record the person's own opt-out (idempotent) and say on their chatter why, in
        their name."""
        partners = self.filtered(lambda partner: not partner.invitation_opt_out)
        partners.write({"invitation_opt_out": True})
        if reason:
            for partner in partners:
                partner.message_post(
                    body=reason, subtype_xmlid="mail.mt_note", author_id=partner.id
                )
        return partners

    # The personal registration link in invitation mailings: a field, so that mailings
    # reach it with a plain field path. Odoo lets only mail template editors write code
    # into templates (restricted rendering, the default); others may use whitelisted
    # field paths, which Odoo renders without evaluating code. The path is whitelisted
    # for contacts below, so that staff write and edit their campaigns.
    training_invitation_link = fields.Html(
        string="Registration Link",
        compute="_compute_training_invitation_link",
        sanitize=False,  # built here from a URL and a label, both escaped
        groups="mass_mailing.group_mass_mailing_user",
        help="Technical: the personal registration link as invitation mailings render it.",
    )
    TRAINING_INVITATION_LINK_EXPRESSION = "object.training_invitation_link"

    @api.depends_context("kommune_mailing_id", "kommune_preview_mailing_id", "lang")
    def _compute_training_invitation_link(self):
        """The "Register now" button of an invitation mailing, for each person.

        A real send knows the mailing (``kommune_mailing_id``, see mailing.mailing.
        _get_mass_mailing_context): the link is the person's own, signed for them, the
        mailing's training and the mailing. Test mails, "view in browser" and previews
        render for any contact (``kommune_preview_mailing_id``): they link to the staff
        preview of the page, never to somebody's personal link."""
        Mailing = self.env["mailing.mailing"]
        mailing = Mailing.browse(self.env.context.get("kommune_mailing_id")).exists()
        preview = Mailing.browse(self.env.context.get("kommune_preview_mailing_id")).exists()
        label = self.env._("Register now")
        for partner in self:
            if mailing.training_id and partner._origin:
                url = mailing.training_id._get_invitation_url(partner._origin, mailing)
            elif preview.training_id:
                url = preview.training_id._get_invitation_preview_url()
            else:
                partner.training_invitation_link = False
                continue
            partner.training_invitation_link = Markup('<a href="%s" style="%s">%s</a>') % (
                url,
                INVITATION_LINK_STYLE,
                label,
            )

    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + (self.TRAINING_INVITATION_LINK_EXPRESSION,)
