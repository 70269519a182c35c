from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KommuneTrainingAttendance(models.Model):
    """One line of a session's attendance sheet: was this participant there?

    Lines are created for every confirmed participant and every session (see
    ``kommune.training._sync_participants``); staff only tick who was present."""

    _name = "kommune.training.attendance"
    _description = "Training Attendance"
    _order = "session_id, partner_id, id"
    _check_company_auto = True

    session_id = fields.Many2one(
        "kommune.training.session",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    registration_id = fields.Many2one(
        "kommune.training.registration",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    training_id = fields.Many2one(related="registration_id.training_id", store=True, index=True)
    company_id = fields.Many2one(related="registration_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="registration_id.partner_id", store=True, string="Participant"
    )
    organization_id = fields.Many2one(related="registration_id.organization_id")
    registration_state = fields.Selection(
        related="registration_id.state", string="Registration Status"
    )
    present = fields.Boolean()

    _session_registration_unique = models.UniqueIndex(
        "(session_id, registration_id)",
        "A participant appears only once on the attendance sheet of a session.",
    )

    @api.constrains("session_id", "registration_id")
    def _check_same_training(self):
        for attendance in self:
            if attendance.session_id.training_id != attendance.registration_id.training_id:
                raise ValidationError(
                    self.env._(
                        "%(participant)s is not registered for the training of session "
                        "“%(session)s”.",
                        participant=attendance.partner_id.name,
                        session=attendance.session_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.filtered("present").registration_id._update_attendance_state()
        return attendances

    def write(self, vals):
        res = super().write(vals)
        if "present" in vals:
            self.registration_id._update_attendance_state()
        return res
