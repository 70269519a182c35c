from odoo import api, models
from odoo.exceptions import UserError


class ReportKommuneTrainingCertificate(models.AbstractModel):
    """Certificates only for people who attended: printing one for anybody else from
    the registrations' Print menu would certify what did not happen."""

    _name = "report.kommune_interkulturell.report_training_certificate"
    _description = "Certificate of Attendance"

    @api.model
    def _get_report_values(self, docids, data=None):
        registrations = self.env["kommune.training.registration"].browse(docids)
        not_attended = registrations.filtered(lambda registration: registration.state != "attended")
        if not_attended:
            raise UserError(
                self.env._(
                    "Certificates are only issued to participants who attended. Not "
                    "attended: %(names)s",
                    names=", ".join(not_attended.mapped("display_name")),
                )
            )
        return {
            "doc_ids": registrations.ids,
            "doc_model": registrations._name,
            "docs": registrations,
        }
