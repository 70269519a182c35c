from odoo import api, fields, models
from odoo.tools import format_datetime


class ReportPersonalData(models.AbstractModel):
    """The readable PDF of a subject access: managers only, also when the report is
    asked for by its URL."""

    _name = "report.kommune_interkulturell.report_personal_data"
    _description = "Personal Data (Subject Access)"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        privacy = self.env["kommune.privacy"]
        privacy._check_manager()
        return {
            "doc_ids": partners.ids,
            "doc_model": partners._name,
            "docs": partners,
            "sections_by_partner": {
                partner.id: privacy._get_personal_data(partner) for partner in partners
            },
            "exported_on": format_datetime(self.env, fields.Datetime.now()),
        }
