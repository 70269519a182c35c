from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kommune_mail_throttle import MAIL_THROTTLE_PARAM
from .kommune_training import (
    ATTENDANCE_THRESHOLD_PARAM,
    DEFAULT_ATTENDANCE_THRESHOLD,
    DEFAULT_REMINDER_DAYS,
    REMINDER_DAYS_PARAM,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------
    # Trainings
    # ------------------------------------------------------------
    kommune_training_attendance_threshold = fields.Integer(
        string="Attendance for Certificates (%)",
        config_parameter=ATTENDANCE_THRESHOLD_PARAM,
        default=DEFAULT_ATTENDANCE_THRESHOLD,
        help="A participant counts as attended (and gets a certificate) once present at "
        "this share of a training's sessions.",
    )
    kommune_training_reminder_days = fields.Integer(
        string="Reminder Days Before Training",
        config_parameter=REMINDER_DAYS_PARAM,
        default=DEFAULT_REMINDER_DAYS,
        help="Confirmed participants get a reminder this many days before the first session.",
    )

    @api.constrains("kommune_training_attendance_threshold", "kommune_training_reminder_days")
    def _check_kommune_training_settings(self):
        for settings in self:
            if not 1 <= settings.kommune_training_attendance_threshold <= 100:
                raise ValidationError(
                    self.env._("The attendance for certificates must be between 1 and 100 %.")
                )
            if settings.kommune_training_reminder_days < 0:
                raise ValidationError(
                    self.env._("The reminder cannot be sent a negative number of days before.")
                )

    # ------------------------------------------------------------
    # Mail campaigns
    # ------------------------------------------------------------
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

    # ------------------------------------------------------------
    # Data protection
    # ------------------------------------------------------------
    kommune_invitation_basis = fields.Selection(
        related="company_id.kommune_invitation_basis", readonly=False
    )
