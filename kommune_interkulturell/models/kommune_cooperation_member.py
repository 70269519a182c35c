from odoo import api, fields, models
from odoo.exceptions import ValidationError

MEMBER_ROLES = [
    ("initiating_administration", "Initiating administration"),
    ("administration", "Participating administration"),
    ("partner_mo", "Partner MO"),
    ("labour_market", "Labour-market actor"),
    ("coordination", "Network coordination"),
    ("other", "Other partner"),
]

# The role an organisation usually has, by the category of its type.
CATEGORY_ROLES = {
    "administration": "administration",
    "migrant_organization": "partner_mo",
    "labour_market": "labour_market",
}


class KommuneCooperationMember(models.Model):
    """An organisation taking part in a cooperation, its role and its contact person.

    The cooperation's district, stage and last contact are stored here too: the
    "Dialogue" report reads members (who is in touch, where, how recently)."""

    _name = "kommune.cooperation.member"
    _description = "Cooperation Member"
    _order = "cooperation_id, sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cooperation_id = fields.Many2one(
        "kommune.cooperation", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="cooperation_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Organisation",
        required=True,
        index=True,
        check_company=True,
        # An organisation that takes part in cooperations is history: archive it rather
        # than delete it.
        ondelete="restrict",
        domain="[('is_company', '=', True)]",
    )
    role = fields.Selection(
        MEMBER_ROLES,
        compute="_compute_role",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="What the organisation does in the cooperation; proposed from its type.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        compute="_compute_contact_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]",
        help="The person the network talks to; invited to the cooperation's meetings.",
    )
    contact_email = fields.Char(related="contact_id.email", string="Email")
    contact_phone = fields.Char(related="contact_id.phone", string="Phone")
    contribution = fields.Text(help="What the organisation brings into the cooperation.")

    # Reporting: stored copies of the cooperation's and the organisation's data.
    district_id = fields.Many2one(related="cooperation_id.district_id", store=True, index=True)
    kind_id = fields.Many2one(related="cooperation_id.kind_id", store=True)
    stage_id = fields.Many2one(related="cooperation_id.stage_id", store=True, index=True)
    organization_category = fields.Selection(
        related="partner_id.organization_category", store=True, string="Type Category"
    )
    date_last_contact = fields.Datetime(
        related="cooperation_id.date_last_contact", store=True, string="Last Contact"
    )
    days_since_contact = fields.Integer(
        related="cooperation_id.days_since_contact", string="Days Since Contact"
    )
    is_dialogue_overdue = fields.Boolean(
        related="cooperation_id.is_dialogue_overdue", string="Dialogue Overdue"
    )

    _partner_unique = models.UniqueIndex(
        "(cooperation_id, partner_id)",
        "This organisation is already a member of the cooperation.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_role(self):
        for member in self:
            category = member.partner_id.organization_category
            role = CATEGORY_ROLES.get(category, "other")
            if role == "administration":
                # The first administration is usually the one that asked for the
                # cooperation; later ones join it.
                others = member.cooperation_id.member_ids - member
                if "initiating_administration" not in others.mapped("role"):
                    role = "initiating_administration"
            member.role = role

    @api.depends("partner_id")
    def _compute_contact_id(self):
        for member in self:
            organisation = member.partner_id
            if member.contact_id and member.contact_id.parent_id == organisation:
                member.contact_id = member.contact_id
                continue
            persons = organisation.child_ids.filtered(
                lambda p: not p.is_company and p.type == "contact"
            )
            # Propose the management if there is one: it speaks for the organisation.
            member.contact_id = (
                persons.filtered(lambda p: p.network_role == "management") or persons
            )[:1]

    @api.depends("partner_id")
    def _compute_display_name(self):
        for member in self:
            member.display_name = member.partner_id.display_name or ""

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("partner_id", "contact_id")
    def _check_contact_id(self):
        for member in self:
            if member.contact_id and member.contact_id.parent_id != member.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(person)s is not a contact person of %(organisation)s: choose a "
                        "person of the organisation, or add them to it first.",
                        person=member.contact_id.display_name,
                        organisation=member.partner_id.display_name,
                    )
                )
