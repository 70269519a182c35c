from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kommune_participant_questionnaire import (
    DEFAULT_SELF_FILL_DAYS,
    DEFAULT_SHORT_CONTACT_HOURS,
    SELF_FILL_DAYS_PARAM,
    SHORT_CONTACT_HOURS_PARAM,
)
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

    # Funder reporting
    kommune_short_contact_hours = fields.Float(
        string="Short-Contact Hours",
        config_parameter=SHORT_CONTACT_HOURS_PARAM,
        default=DEFAULT_SHORT_CONTACT_HOURS,
        help="A person who attended fewer hours of sessions in a funding period counts "
        "only in the aggregate of short contacts and is never asked for the "
        "participant questionnaire.",
    )
    kommune_questionnaire_link_days = fields.Integer(
        string="Questionnaire Link Validity (Days)",
        config_parameter=SELF_FILL_DAYS_PARAM,
        default=DEFAULT_SELF_FILL_DAYS,
        help="How long the personal link works with which a participant fills in their "
        "questionnaire themselves.",
    )

    # Data protection
    kommune_invitation_basis = fields.Selection(
        related="company_id.kommune_invitation_basis", readonly=False
    )

    @api.constrains(
        "kommune_training_attendance_threshold",
        "kommune_training_reminder_days",
        "kommune_short_contact_hours",
        "kommune_questionnaire_link_days",
    )
    def _check_kommune_training_settings(self):
        for settings in self:
            if settings.kommune_short_contact_hours < 0:
                raise ValidationError(self.env._("The short-contact hours cannot be negative."))
            if not 1 <= settings.kommune_questionnaire_link_days <= 90:
                raise ValidationError(
                    self.env._("The questionnaire link must be valid for 1 to 90 days.")
                )
            if not 1 <= settings.kommune_training_attendance_threshold <= 100:
                raise ValidationError(
                    self.env._("The attendance for certificates must be between 1 and 100 %.")
                )
            if settings.kommune_training_reminder_days < 0:
                raise ValidationError(
                    self.env._("The reminder cannot be sent a negative number of days before.")
                )
