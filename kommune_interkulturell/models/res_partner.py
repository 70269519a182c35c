from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
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

# Migrant organisations founded before this year are very unlikely; it catches typos
# such as "201" or "2109" without pretending to know the history of every association.
FOUNDING_YEAR_MIN = 1850


class ResPartner(models.Model):
    """The network's directory on Odoo's contacts: organisations by type and district,
    what migrant organisations and administrations do, the people and their role; the
    dialogue with them (last contact, cooperations) and the trainings they attended,
    with the smart buttons that open them.

    The contact's consents and the rule of who may be invited are kommune.consent.mixin;
    subject access, erasure and the last activity are kommune.privacy; the columns of
    the import templates kommune.partner.import.mixin; likely duplicates
    kommune.partner.duplicate.mixin."""

    _name = "res.partner"
    _inherit = [
        "res.partner",
        "kommune.consent.mixin",
        "kommune.partner.import.mixin",
        "kommune.partner.duplicate.mixin",
    ]

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # Network membership (organisations; persons inherit them, see _commercial_fields)
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

    # Migrant organisations
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

    # District administrations
    administration_unit = fields.Char(
        string="Administrative Unit",
        help="Office or department, e.g. 'Büro der Integrationsbeauftragten'.",
    )
    administration_responsibility = fields.Text(
        string="Responsibility",
        help="What the unit is responsible for, in a few words.",
    )

    # Persons
    network_role = fields.Selection(
        NETWORK_ROLES,
        string="Role in Organisation",
        help="Whether the person works full-time or as a volunteer for their "
        "organisation, manages it, or is administration staff.",
    )

    # Cooperations and the continuous dialogue
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

    # Trainings: a person's registrations; an organisation's people's registrations (for
    # whom they took part) and the trainings attended
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

    # Data protection (see kommune.privacy)
    kommune_anonymized_date = fields.Datetime(
        string="Anonymised On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="kommune_interkulturell.group_kommune_user",
        help="When the person's data was erased. Their registrations and attendance "
        "remain as anonymous rows for the statistics.",
    )
    kommune_last_activity_date = fields.Datetime(
        string="Last Activity",
        compute="_compute_kommune_last_activity_date",
        groups="kommune_interkulturell.group_kommune_manager",
        help="Latest trace of the person in the network: registration or training, "
        "consent, meeting, message, action item or cooperation contact. Retention rules "
        "count from this date.",
    )

    _staff_fulltime_count_positive = models.Constraint(
        "CHECK (staff_fulltime_count IS NULL OR staff_fulltime_count >= 0)",
        "The number of full-time staff cannot be negative.",
    )
    _staff_volunteer_count_positive = models.Constraint(
        "CHECK (staff_volunteer_count IS NULL OR staff_volunteer_count >= 0)",
        "The number of volunteers cannot be negative.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

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

    def _compute_kommune_last_activity_date(self):
        activity = self.env["kommune.privacy"]._get_last_activity(self._origin)
        for partner in self:
            partner.kommune_last_activity_date = activity.get(partner._origin.id, False)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

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

    def write(self, vals):
        if "email" in vals:
            # A personal questionnaire link went to the old address: it must not stay
            # usable by whoever reads that mailbox now. sudo: whoever changes the address
            # (the person on the portal too) ends the link, whatever they may read.
            moved = self.filtered(lambda partner: partner.email != vals["email"])
            if moved:
                self.env["kommune.participant.questionnaire"].sudo().search(
                    [("partner_id", "in", moved.ids), ("self_fill_expiry", "!=", False)]
                )._revoke_self_fill_link()
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.readonly
    def action_open_cooperations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_cooperation_action"
        )
        action["domain"] = [("partner_ids", "in", self.ids)]
        action["context"] = {"default_member_ids": [Command.create({"partner_id": self.id})]}
        return action

    @api.readonly
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

    @api.readonly
    def action_kommune_open_consents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_consent_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_kommune_personal_data(self):
        """Open the subject access dialog: what the network holds about the person, as
        JSON download and readable PDF."""
        self.ensure_one()
        self.env["kommune.privacy"]._check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Personal Data of %(person)s", person=self.display_name),
            "res_model": "kommune.personal.data.export",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_kommune_anonymize(self):
        """Open the erasure dialog: it asks for confirmation before anything happens."""
        privacy = self.env["kommune.privacy"]
        privacy._check_manager()
        privacy._check_anonymizable(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Erase Personal Data"),
            "res_model": "kommune.partner.anonymize",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _kommune_find_or_create_signup_person(self, values, company, **extra):
        """The person of a public form (sign-up, catalogue registration) with the
        validated address ``values["email"]`` (normalised), and whether they were
        created now.

        Only contacts ``company`` may use are looked up (its own and those of no
        company): the form records a consent of ``company``, which a contact of another
        company cannot hold, and another company's contacts are none of its business.

        An existing contact is only read (an archived one too: an unconfirmed sign-up
        created it); public input never overwrites it. A new one gets the form's name,
        address and language (``values``) and ``extra``, and stays archived, out of every
        list and audience, until the person confirms."""
        partner = self.with_context(active_test=False).search(
            [
                ("email_normalized", "=", values["email"]),
                ("is_company", "=", False),
                ("company_id", "in", [False, company.id]),
            ],
            order="active desc, id",
            limit=1,
        )
        if partner:
            return partner, False
        partner = self.create(
            {
                "name": values["name"],
                "email": values["email"],
                "lang": values["lang"],
                **extra,
                "active": False,
            }
        )
        return partner, True

    @api.model
    def get_import_templates(self):
        return super().get_import_templates() + self._kommune_import_templates()

    @api.model
    def _commercial_fields(self):
        # Persons belong to the network through their organisation: syncing these
        # fields lets every search, group-by and audience work on persons directly.
        return super()._commercial_fields() + [
            "organization_type_id",
            "district_id",
            "active_district_ids",
        ]

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
