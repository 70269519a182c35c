from odoo import fields, models

WEAK_THRESHOLD_PARAM = "kommune_interkulturell_survey.weak_threshold"
WEAK_THRESHOLD_DEFAULT = 2.5


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kommune_development_weak_threshold = fields.Float(
        string="Weak Dimension Below",
        config_parameter=WEAK_THRESHOLD_PARAM,
        default=WEAK_THRESHOLD_DEFAULT,
        help="A dimension of a self-check scoring below this average (1 to 4) is weak: "
        "the check recommends upcoming trainings on the dimension's topics.",
    )
