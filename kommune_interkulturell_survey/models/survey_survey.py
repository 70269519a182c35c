from odoo import fields, models

from .kommune_development_dimension import CHECK_TYPES


class SurveySurvey(models.Model):
    """A survey can be one of the network's self-checks: its completed answers become
    development checks of the organisation that answered."""

    _inherit = "survey.survey"

    kommune_check_type = fields.Selection(
        CHECK_TYPES,
        string="Self-Check",
        index="btree_not_null",
        copy=False,
        help="Makes the survey a self-check of organisational development: each "
        "completed answer sent from an organisation's form is scored per dimension "
        "(one section per dimension) and kept as a development check of the "
        "organisation.",
    )
