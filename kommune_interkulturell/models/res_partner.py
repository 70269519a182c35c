from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from .kommune_consent_purpose import PURPOSE_INVITATION

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

    # ==================================================================
    # DATA PROTECTION (DSGVO): consents and who may be invited
    # ==================================================================

    kommune_consent_ids = fields.One2many(
        "kommune.consent",
        "partner_id",
        string="Consents",
        groups="kommune_interkulturell.group_kommune_user",
    )
    kommune_consent_count = fields.Integer(
        string="Consents in Force",
        compute="_compute_kommune_consent_count",
        groups="kommune_interkulturell.group_kommune_user",
    )
    kommune_invitation_allowed = fields.Boolean(
        string="May Be Invited",
        compute="_compute_kommune_invitation_allowed",
        search="_search_kommune_invitation_allowed",
        groups="kommune_interkulturell.group_kommune_user",
        help="The network's invitations and newsletters may reach this contact: a "
        "consent to invitations is in force, or, where the company relies on legitimate "
        "interest, it is an organisation of the network that did not object.",
    )

    def _compute_kommune_consent_count(self):
        counts = dict(
            self.env["kommune.consent"]._read_group(
                [("partner_id", "in", self._origin.ids), ("state", "=", "given")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.kommune_consent_count = counts.get(partner._origin, 0)

    def _compute_kommune_invitation_allowed(self):
        allowed = self.browse()
        if self._origin.ids:
            allowed = self.with_context(active_test=False).search(
                Domain("id", "in", self._origin.ids) & self._kommune_invitation_domain()
            )
        for partner in self:
            partner.kommune_invitation_allowed = partner._origin in allowed

    def _search_kommune_invitation_allowed(self, operator, value):
        if operator != "in":
            return NotImplemented
        return self._kommune_invitation_domain()

    # ------------------------------------------------------------------
    # Consents: the domains campaigns and registrations rely on
    # ------------------------------------------------------------------

    @api.model
    def _kommune_consent_domain(self, purpose_code, company=None, legal_bases=None):
        """Partners with a consent in force for the purpose of this technical code (see
        kommune.consent.purpose) given to ``company``.

        :param str purpose_code: e.g. ``"invitation"``, ``"training"``, ``"photo"``
        :param company: ``res.company``; the current company when omitted
        :param legal_bases: only these legal bases, e.g. ``["consent"]``
        :return: a ``Domain`` on res.partner
        """
        company = company or self.env.company
        consent = (
            Domain("purpose_id.code", "=", purpose_code)
            & Domain("company_id", "=", company.id)
            & Domain("state", "=", "given")
        )
        if legal_bases:
            consent &= Domain("legal_basis", "in", list(legal_bases))
        return Domain("kommune_consent_ids", "any", consent)

    @api.model
    def _kommune_invitation_domain(self, company=None):
        """Partners the network's invitations and newsletters may reach, by the setting
        ``kommune_invitation_basis`` of ``company`` (the current company when omitted):

        - opt-in required: a consent (legal basis "consent") to invitations is in force;
        - legitimate interest: in addition, organisations of the network (their
          functional address, e.g. info@) unless they objected, i.e. have a withdrawn
          invitation record and none in force. People always need their consent.

        Blacklisted addresses and opt-outs are the mailing's business (Odoo's mass
        mailing excludes them); this domain decides the legal basis only.

        :return: a ``Domain`` on res.partner
        """
        company = company or self.env.company
        opted_in = self._kommune_consent_domain(
            PURPOSE_INVITATION, company, legal_bases=["consent"]
        )
        if company.kommune_invitation_basis != "legitimate_interest":
            return opted_in
        organization = Domain("is_company", "=", True) & Domain("organization_type_id", "!=", False)
        in_force = self._kommune_consent_domain(PURPOSE_INVITATION, company)
        objected = Domain(
            "kommune_consent_ids",
            "any",
            Domain("purpose_id.code", "=", PURPOSE_INVITATION)
            & Domain("company_id", "=", company.id)
            & Domain("state", "=", "withdrawn"),
        )
        return opted_in | (organization & (in_force | ~objected))

    def action_kommune_open_consents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_consent_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
