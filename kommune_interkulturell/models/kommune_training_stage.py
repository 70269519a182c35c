from odoo import fields, models


class KommuneTrainingStage(models.Model):
    """Pipeline of a training from planning to its end, shown as kanban columns.

    Stages are configurable. A stage flagged as cancelled calls the training off: its
    sessions leave the calendar and nobody can register any more."""

    _name = "kommune.training.stage"
    _description = "Training Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Show this column folded in the kanban view, e.g. for finished trainings.",
    )
    is_cancel = fields.Boolean(
        string="Cancelled Stage",
        help="Trainings moved into this stage are called off: their sessions are removed "
        "from the calendar and no one can register or be confirmed any more.",
    )
    description = fields.Text(translate=True, help="Shown as tooltip on the kanban column.")
