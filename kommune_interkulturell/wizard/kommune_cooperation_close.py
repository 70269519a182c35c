from odoo import fields, models
from odoo.tools import is_html_empty


class KommuneCooperationClose(models.TransientModel):
    """Pause or end cooperations with a reason, their result and lessons learned, like
    CRM's "Mark as lost": the cooperations move to a folded stage."""

    _name = "kommune.cooperation.close"
    _description = "Pause or End a Cooperation"

    def _default_stage_id(self):
        return self.env["kommune.cooperation.stage"].search(
            [("fold", "=", True), ("is_won", "=", False)], limit=1
        )

    cooperation_ids = fields.Many2many("kommune.cooperation", string="Cooperations", required=True)
    close_reason_id = fields.Many2one(
        "kommune.cooperation.close.reason", string="Reason", required=True
    )
    close_type = fields.Selection(related="close_reason_id.close_type")
    stage_id = fields.Many2one(
        "kommune.cooperation.stage",
        string="Move to Stage",
        required=True,
        default=lambda self: self._default_stage_id(),
        domain="[('fold', '=', True)]",
    )
    date_end = fields.Date(
        string="End Date",
        default=fields.Date.context_today,
        help="Set on ended cooperations that have no end date yet.",
    )
    outcome_result = fields.Html(string="Result")
    outcome_lessons = fields.Html(string="Lessons Learned")

    def action_apply(self):
        self.ensure_one()
        values = {"stage_id": self.stage_id.id, "close_reason_id": self.close_reason_id.id}
        if not is_html_empty(self.outcome_result):
            values["outcome_result"] = self.outcome_result
        if not is_html_empty(self.outcome_lessons):
            values["outcome_lessons"] = self.outcome_lessons
        self.cooperation_ids.write(values)
        if self.close_type == "end" and self.date_end:
            self.cooperation_ids.filtered(lambda coop: not coop.date_end).date_end = self.date_end
        return {"type": "ir.actions.act_window_close"}
