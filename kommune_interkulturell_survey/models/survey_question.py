from odoo import fields, models

# The questions that rate (are scored): single-choice questions whose choices score 1
# to 4 points, the statements of the shipped feedback survey and self-checks. A statement
# may also offer a choice without points ("cannot say"), added later too: it stays a
# statement, so that the answers given before still count as they did. Another choice
# question (where did you hear of us, several choices, no choice with points) or a text
# says nothing about satisfaction or about a dimension.
RATING_QUESTION_DOMAIN = [
    ("question_type", "=", "simple_choice"),
    (
        "suggested_answer_ids",
        "not any",
        [
            "|",
            "|",
            ("answer_score", "<", 0),
            ("answer_score", ">", 4),
            "&",
            ("answer_score", ">", 0),
            ("answer_score", "<", 1),
        ],
    ),
    ("suggested_answer_ids", "any", [("answer_score", ">=", 1)]),
]
# The answers that rate: a choice with points made on such a question; the choice
# without points counts as the statement left out.
RATING_LINE_DOMAIN = [
    ("skipped", "=", False),
    ("suggested_answer_id", "any", [("answer_score", ">=", 1)]),
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
