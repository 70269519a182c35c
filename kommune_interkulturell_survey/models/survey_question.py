from odoo import fields, models

# The answers that rate: the choice of a single-choice question whose choices all score
# 1 to 4 points, the statements of the shipped feedback survey. Another choice question
# (where did you hear of us, several choices) says nothing about satisfaction.
RATING_LINE_DOMAIN = [
    ("skipped", "=", False),
    ("suggested_answer_id", "!=", False),
    ("question_id.question_type", "=", "simple_choice"),
    (
        "question_id.suggested_answer_ids",
        "not any",
        ["|", ("answer_score", "<", 1), ("answer_score", ">", 4)],
    ),
]


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
