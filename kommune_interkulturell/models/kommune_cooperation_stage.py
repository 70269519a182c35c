from odoo import fields, models


class KommuneCooperationStage(models.Model):
    """A step of the cooperation pipeline, from the first contact to a lasting cooperation.

    Folded stages hold paused or ended cooperations: they are no longer "live", and the
    dialogue follow-up leaves them alone. The "won" stage marks cooperations that have
    become part of the district's routine (verstetigt)."""

    _name = "kommune.cooperation.stage"
    _description = "Cooperation Stage"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Order of the stages in the pipeline.")
    fold = fields.Boolean(
        string="Folded in Pipeline",
        help="Paused or ended cooperations: folded in the kanban view, not live any more, "
        "no dialogue follow-up.",
    )
    is_won = fields.Boolean(
        string="Consolidated Stage",
        help="Cooperations in this stage have become lasting: the pipeline counts them as "
        "a success.",
    )
    probability = fields.Integer(
        default=10,
        aggregator="avg",
        help="How likely a cooperation in this stage becomes lasting, in percent (0-100).",
    )
    requirements = fields.Text(
        translate=True,
        help="What a cooperation needs to reach this stage; shown as a tooltip in the pipeline.",
    )

    _probability_range = models.Constraint(
        "CHECK (probability >= 0 AND probability <= 100)",
        "The probability of a stage must be between 0 and 100 percent.",
    )
