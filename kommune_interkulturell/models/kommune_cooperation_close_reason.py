from odoo import api, fields, models

CLOSE_TYPES = [
    ("pause", "Paused"),
    ("end", "Ended"),
]


class KommuneCooperationCloseReason(models.Model):
    """Why a cooperation was paused or ended, like CRM's lost reasons: the network
    learns which obstacles recur across districts."""

    _name = "kommune.cooperation.close.reason"
    _description = "Cooperation Close Reason"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    close_type = fields.Selection(
        CLOSE_TYPES,
        string="Paused or Ended",
        required=True,
        default="end",
        help="Ended cooperations get an end date when closed; paused ones may resume.",
    )
    cooperation_count = fields.Integer(string="Cooperations", compute="_compute_cooperation_count")

    _name_unique = models.UniqueIndex("(name)", "Another close reason already has this name.")

    def _compute_cooperation_count(self):
        counts = dict(
            self.env["kommune.cooperation"]
            .with_context(active_test=False)
            ._read_group([("close_reason_id", "in", self.ids)], ["close_reason_id"], ["__count"])
        )
        for reason in self:
            reason.cooperation_count = counts.get(reason, 0)

    @api.readonly
    def action_open_cooperations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_cooperation_action"
        )
        action["domain"] = [("close_reason_id", "=", self.id)]
        action["context"] = {"active_test": False, "create": False}
        return action
