import io

from freezegun import freeze_time
from PyPDF2 import PdfReader

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common_reporting import AFTER, KommuneReportingNetworkCommon

REPORT = "kommune_interkulturell.action_report_funding_period_summary"


@tagged("post_install", "-at_install")
class TestReportingSummary(KommuneReportingNetworkCommon, HttpCase):
    """The period's PDF summary for the funder's report, rendered for real (in an
    HttpCase: wkhtmltopdf fetches the report's assets from the test server): the
    fixture's exact figures per period and quarter, the breakdowns and the
    cooperations, in German, the same numbers as the XLSX; for Reporting only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")

    def render(self, user):
        with freeze_time(AFTER):
            return (
                self.env["ir.actions.report"]
                .with_user(user)
                .with_context(force_report_rendering=True, lang="de_DE")
                ._render_qweb_pdf(REPORT, res_ids=self.period.ids)
            )

    def test_pdf_has_the_figures(self):
        content, content_type = self.render(self.reporter)
        self.assertEqual(content_type, "pdf")
        reader = PdfReader(io.BytesIO(content))
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        self.assertIn("Test Periode 2031", text)
        self.assertIn("2031-Q1 2031-Q2 2031-Q3 2031-Q4", text)
        # The fixture's figures, period then Q1 to Q4 (as in the XLSX's test).
        self.assertIn("Teilnehmende 3 2 2 0 0", text)
        self.assertIn("Kurzkontakte 2 1 2 0 0", text)
        self.assertIn("Teilnehmendenstunden 41 21 20 0 0", text)
        self.assertIn("Bescheinigungen 6 2 4 0 0", text)
        # The breakdowns, special categories included for Reporting.
        self.assertIn("Teilnehmende nach", text)
        self.assertIn("Geschlecht Weiblich 1", text)
        self.assertIn("Geschlecht Nicht beantwortet 1", text)
        self.assertIn(
            f"{self.stage.with_context(lang='de_DE').name} {self.district_spandau.name} 1", text
        )
        # Every row of the XLSX's data, number for number.
        with freeze_time(AFTER):
            data = (
                self.period.with_user(self.reporter).with_context(lang="de_DE")._get_report_data()
            )
        for label, values in data["indicators"]:
            cells = " ".join(str(self.period._format_report_number(value)) for value in values)
            self.assertIn(f"{label} {cells}", text)

    def test_only_reporting_prints_it(self):
        for user in (self.user, self.manager):
            with self.assertRaises(AccessError):
                self.render(user)
