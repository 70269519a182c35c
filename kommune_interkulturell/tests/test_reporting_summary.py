from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import pdf_text
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
        text = pdf_text(content)
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

    def test_small_special_category_counts_are_hidden(self):
        """One participant said yes to disability: in a file that leaves the app a
        count of 1 to 4 of a special category could name them. The PDF and the XLSX
        (same data) print "< 5"; the Reporting dashboard keeps the exact count."""
        content, _content_type = self.render(self.reporter)
        text = pdf_text(content)
        self.assertIn("Behinderung Ja < 5", text)
        self.assertIn("Behinderung Nicht beantwortet < 5", text)
        self.assertNotIn("Behinderung Ja 1", text)
        self.assertIn("Geschlecht Weiblich 1", text, "other breakdowns stay exact")
        with freeze_time(AFTER):
            period = self.period.with_user(self.reporter)
            data = period._get_report_data()
            exact = period._get_indicators(breakdowns=True)["breakdowns"]
        (breakdowns,) = [s for s in data["sections"] if s["key"] == "breakdowns"]
        special = [row for row in breakdowns["rows"] if row[0] in ("Disability", "Minority")]
        self.assertEqual(
            sorted(map(tuple, special)),
            [("Disability", "Not answered", "< 5"), ("Disability", "Yes", "< 5")]
            + [("Minority", "Not answered", "< 5")],
        )
        self.assertEqual(exact["disability"], {"yes": 1, None: 2})

    def test_single_small_count_hides_a_second_one(self):
        """The total of participants minus the counts shown must not give a hidden
        count away."""
        Period = self.env["kommune.funding.period"]
        self.assertEqual(
            Period._suppress_small_counts({"yes": 2, "no": 40, None: 8}),
            {"yes": "< 5", "no": 40, None: "≥ 5"},
        )
        self.assertEqual(
            Period._suppress_small_counts({"yes": 1, "no": 3, None: 30}),
            {"yes": "< 5", "no": "< 5", None: 30},
        )
        self.assertEqual(
            Period._suppress_small_counts({"yes": 12, "no": 40}), {"yes": 12, "no": 40}
        )

    def test_only_reporting_prints_it(self):
        for user in (self.user, self.manager):
            with self.assertRaises(AccessError):
                self.render(user)
