from odoo import fields, models


class ResPartner(models.Model):
    """An organisation's self-checks: sending them to its contact persons and the
    checks completed, with their progress."""

    _inherit = "res.partner"

    kommune_development_check_ids = fields.One2many(
        "kommune.development.check",
        "partner_id",
        string="Self-Checks",
        groups="kommune_interkulturell.group_kommune_user",
    )
    kommune_development_check_count = fields.Integer(
        string="Self-Check Count",
        compute="_compute_kommune_development_check_count",
        groups="kommune_interkulturell.group_kommune_user",
    )

    def _compute_kommune_development_check_count(self):
        counts = dict(
            self.env["kommune.development.check"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.kommune_development_check_count = counts.get(partner, 0)

    def action_kommune_send_development_check(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Self-Check"),
            "res_model": "kommune.development.check.send",
            "view_mode": "form",
            "target": "new",
            "context": {"default_organization_id": self.id},
        }

    def action_kommune_open_development_checks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell_survey.kommune_development_check_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_kommune_open_development_progress(self):
        """The organisation's scores per dimension over time, as a line graph."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell_survey.kommune_development_check_line_action_progress"
        )
        action["domain"] = [("partner_id", "=", self.id), ("is_answered", "=", True)]
        action["name"] = self.env._("Progress of %(organization)s", organization=self.name)
        return action
