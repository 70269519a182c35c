from odoo import fields, models

# The questions that rate (are scored): single-choice questions offering the whole
# scale of four, choices worth 1, 2, 3 and 4 points, the statements of the shipped
# feedback survey and self-checks. A statement may also offer a choice without points
# ("cannot say"), added later too: it stays a statement, so that the answers given
# before still count as they did. Any other choice question says nothing about
# satisfaction or about a dimension: where did you hear of us, a yes (1 point) / no
# (0 points), a quiz whose right answer scores, several choices, a text. Counted as a
# statement, its 1 point would read as the worst rating of the scale.
RATING_SCALE = (1, 2, 3, 4)
RATING_QUESTION_DOMAIN = [
    ("question_type", "=", "simple_choice"),
    ("suggested_answer_ids", "not any", [("answer_score", "not in", [0, *RATING_SCALE])]),
    *(("suggested_answer_ids", "any", [("answer_score", "=", points)]) for points in RATING_SCALE),
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
