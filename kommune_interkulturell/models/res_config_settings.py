from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kommune_training import (
    ATTENDANCE_THRESHOLD_PARAM,
    DEFAULT_ATTENDANCE_THRESHOLD,
    DEFAULT_REMINDER_DAYS,
    REMINDER_DAYS_PARAM,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Trainings
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

    # Data protection
    kommune_invitation_basis = fields.Selection(
        related="company_id.kommune_invitation_basis", readonly=False
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
