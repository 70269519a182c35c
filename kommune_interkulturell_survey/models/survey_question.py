from odoo import fields, models

# The questions that rate (are scored): single-choice questions whose choices all score
# 1 to 4 points, the statements of the shipped feedback survey and self-checks. Another
# choice question (where did you hear of us, several choices) or a text says nothing
# about satisfaction or about a dimension.
RATING_QUESTION_DOMAIN = [
    ("question_type", "=", "simple_choice"),
    (
        "suggested_answer_ids",
        "not any",
        ["|", ("answer_score", "<", 1), ("answer_score", ">", 4)],
    ),
]
# The answers that rate: the choice made on such a question.
RATING_LINE_DOMAIN = [
    ("skipped", "=", False),
    ("suggested_answer_id", "!=", False),
    ("question_id", "any", RATING_QUESTION_DOMAIN),
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
        "statements left out and questions without points (texts, choices without "
        "points, several choices) do not count.",
    )
