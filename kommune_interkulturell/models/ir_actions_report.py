from odoo import models
from odoo.tools.pdf import merge_pdf

# Reports rendered one record per wkhtmltopdf call, then merged into one PDF.
ONE_RECORD_PER_CALL_REPORTS = (
    "kommune_interkulturell.report_training_certificate",
    "kommune_interkulturell.report_training_attendance_list",
)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """Print certificates in batch as one PDF on Debian's wkhtmltopdf 0.12.6.

        That build (unpatched Qt) cannot render several records in one call, so each
        certificate is rendered on its own and the PDFs are merged with Odoo's helper."""
        report = self._get_report(report_ref)
        if (
            report.report_name not in ONE_RECORD_PER_CALL_REPORTS
            or not isinstance(res_ids, (list, tuple))
            or len(res_ids) < 2
        ):
            return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        documents = []
        for res_id in res_ids:
            content, content_type = super()._render_qweb_pdf(
                report_ref, res_ids=[res_id], data=dict(data or {})
            )
            if content_type != "pdf":
                # Test mode renders HTML for all records at once; nothing to merge.
                return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
            documents.append(content)
        return merge_pdf(documents), "pdf"
