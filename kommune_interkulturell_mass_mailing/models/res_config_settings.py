from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kommune_mail_throttle import MAIL_THROTTLE_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kommune_mail_throttle_per_minute = fields.Integer(
        string="Mails per Minute",
        config_parameter=MAIL_THROTTLE_PARAM,
        default=0,
        help="At most this many mails leave the mail queue per minute, for mail providers "
        "that cap sending. 0 means no limit.",
    )

    @api.constrains("kommune_mail_throttle_per_minute")
    def _check_kommune_mail_throttle(self):
        for settings in self:
            if settings.kommune_mail_throttle_per_minute < 0:
                raise ValidationError(
                    self.env._("The mails per minute cannot be negative: enter 0 for no limit.")
                )
