from odoo import api, models
from odoo.exceptions import AccessError


class ReportKommuneFundingPeriodSummary(models.AbstractModel):
    """The PDF summary of a period is an export for the funder like the XLSX: only
    the Reporting group prints it (a report's groups only hide its menu entry)."""

    _name = "report.kommune_interkulturell.report_funding_period_summary"
    _description = "Funding Period: Summary for the Funder"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.user.has_group("kommune_interkulturell.group_kommune_reporting"):
            raise AccessError(
                self.env._("Only the Reporting group prints the summary for the funder.")
            )
        periods = self.env["kommune.funding.period"].browse(docids)
        periods.check_access("read")
        return {
            "doc_ids": periods.ids,
            "doc_model": periods._name,
            "docs": periods,
        }
