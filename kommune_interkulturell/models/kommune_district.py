import ast
import re

from odoo import api, fields, models
from odoo.fields import Domain

# "1", "01", "1.0" or "01 Mitte": the official number, optionally followed by the name.
DISTRICT_NUMBER_RE = re.compile(r"\s*(\d{1,2})(?:\.0)?(?:\s+(\S.*?))?\s*")


class KommuneDistrict(models.Model):
    """A district (Bezirk) the network works in.

    The twelve Berlin districts ship as data with their official numbers 01-12; users
    may add others, e.g. Brandenburg districts around Berlin."""

    _name = "kommune.district"
    _description = "District"
    _order = "sequence, code, name, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True)
    code = fields.Char(
        help="Official district number, e.g. 01 for Berlin-Mitte.",
    )
    sequence = fields.Integer(default=10)
    state_id = fields.Many2one(
        "res.country.state",
        string="Federal State",
        help="Federal state the district belongs to, e.g. Berlin or Brandenburg.",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)
    organization_count = fields.Integer(
        string="Organisations", compute="_compute_organization_count"
    )

    _code_unique = models.UniqueIndex(
        "(code) WHERE code IS NOT NULL", "Another district already has this number."
    )
    _name_unique = models.UniqueIndex("(name)", "Another district already has this name.")

    @api.depends("code")
    def _compute_display_name(self):
        for district in self:
            district.display_name = (
                f"{district.code} {district.name}" if district.code else district.name
            )

    @api.model
    def _search_display_name(self, operator, value):
        # Spreadsheets turn the official number 01 into 1 (or 1.0), and exports write
        # the display name "01 Mitte": find the district by its number however it was
        # written, as well as by name.
        domain = super()._search_display_name(operator, value)
        if operator in ("in", "=", "ilike", "=ilike"):
            values = [value] if isinstance(value, str) else value
            for match in filter(None, map(DISTRICT_NUMBER_RE.fullmatch, map(str, values))):
                number, name = match.groups()
                by_number = Domain("code", "=", number.zfill(2))
                if name:
                    by_number &= Domain("name", "=ilike", name)
                domain |= by_number
        return domain

    def _compute_organization_count(self):
        # The network's organisations, as the button's list shows them.
        counts = dict(
            self.env["res.partner"]._read_group(
                [
                    ("district_id", "in", self.ids),
                    ("is_company", "=", True),
                    ("organization_type_id", "!=", False),
                ],
                ["district_id"],
                ["__count"],
            )
        )
        for district in self:
            district.organization_count = counts.get(district, 0)

    @api.readonly
    def action_open_organizations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.res_partner_action_organization"
        )
        # Within the action's own domain: organisations, not their people (who share
        # the organisation's district).
        organizations = Domain(ast.literal_eval(action["domain"]))
        action["domain"] = list(organizations & Domain("district_id", "=", self.id))
        action["context"] = {"default_district_id": self.id, "default_is_company": True}
        return action
