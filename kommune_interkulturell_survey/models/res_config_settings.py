from odoo import api, fields, models
from odoo.exceptions import ValidationError

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

    @api.constrains("kommune_development_weak_threshold")
    def _check_kommune_development_weak_threshold(self):
        # Outside the scale every answered dimension, or none, would be weak.
        for settings in self:
            if not 1 <= settings.kommune_development_weak_threshold <= 4:
                raise ValidationError(
                    self.env._("The threshold of a weak dimension must be between 1 and 4.")
                )
