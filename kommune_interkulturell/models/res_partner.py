from odoo import api, fields, models
from odoo.exceptions import ValidationError

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
