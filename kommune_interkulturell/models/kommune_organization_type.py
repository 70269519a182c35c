import ast

from odoo import api, fields, models
from odoo.fields import Domain

ORGANIZATION_CATEGORIES = [
    ("migrant_organization", "Migrant organisation"),
    ("administration", "District administration"),
    ("labour_market", "Labour-market actor"),
    ("other", "Other"),
]


class KommuneOrganizationType(models.Model):
    """What kind of actor an organisation is in the network.

    Types are configurable; their category decides which menu, which form fields and
    which reports an organisation belongs to."""

    _name = "kommune.organization.type"
    _description = "Organisation Type"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    category = fields.Selection(
        ORGANIZATION_CATEGORIES,
        required=True,
        default="other",
        help="Groups types into migrant organisations, district administrations, "
        "labour-market actors and others.",
    )
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    organization_count = fields.Integer(
        string="Organisations", compute="_compute_organization_count"
    )

    _name_unique = models.UniqueIndex("(name)", "Another organisation type already has this name.")

    def _compute_organization_count(self):
        # The network's organisations, as the button's list shows them.
        counts = dict(
            self.env["res.partner"]._read_group(
                [("organization_type_id", "in", self.ids), ("is_company", "=", True)],
                ["organization_type_id"],
                ["__count"],
            )
        )
        for org_type in self:
            org_type.organization_count = counts.get(org_type, 0)

    @api.readonly
    def action_open_organizations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.res_partner_action_organization"
        )
        # Within the action's own domain: organisations, not their people (who share
        # the organisation's type).
        organizations = Domain(ast.literal_eval(action["domain"]))
        action["domain"] = list(organizations & Domain("organization_type_id", "=", self.id))
        action["context"] = {"default_organization_type_id": self.id, "default_is_company": True}
        return action
