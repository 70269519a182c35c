from odoo import fields, models


class SurveyQuestion(models.Model):
    """A section of a self-check measures one dimension of organisational
    development; its statements count towards it."""

    _inherit = "survey.question"

    kommune_dimension_id = fields.Many2one(
        "kommune.development.dimension",
        string="Development Dimension",
        index="btree_not_null",
        ondelete="restrict",
        help="On a section of a self-check: the dimension its statements measure. "
        "Each statement is scored by the points of the answer chosen (1 to 4); "
        "statements left out do not count.",
    )
