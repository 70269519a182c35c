import ast

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DevelopmentCheckCommon


@tagged("post_install", "-at_install")
class TestDevelopmentProgress(DevelopmentCheckCommon):
    """Project users follow an organisation's progress per dimension over time and
    compare districts and organisation types."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_mo = cls.env["res.partner"].create(
            {
                "name": "Test MO Spandau e.V.",
                "is_company": True,
                "organization_type_id": cls.type_mo.id,
                "district_id": cls.district_spandau.id,
            }
        )
        cls.other_person = cls.env["res.partner"].create(
            {"name": "Test Sami Spandau", "parent_id": cls.other_mo.id}
        )
        finances = cls.dimension["finances"]
        with freeze_time("2026-02-01"):
            cls._check({finances: [1, 1, 1]})
            cls._check({finances: [2, 2, None]}, partner=cls.other_person)
        with freeze_time("2026-09-01"):
            cls._check({finances: [3, 3, 3]})

    def test_progress_of_an_organisation_over_time(self):
        action = self.mo.with_user(self.user).action_kommune_open_development_progress()
        self.assertEqual(action["view_mode"].split(",")[0], "graph")
        Line = self.env[action["res_model"]].with_user(self.user)
        groups = Line._read_group(
            action["domain"] + [("dimension_id", "=", self.dimension["finances"].id)],
            ["date:month"],
            ["score:avg"],
        )
        self.assertEqual([score for _month, score in groups], [1.0, 3.0])
        self.assertEqual(self.mo.with_user(self.user).kommune_development_check_count, 2)

    def test_scores_by_district_and_organisation_type(self):
        Line = self.env["kommune.development.check.line"].with_user(self.user)
        domain = [("is_answered", "=", True), ("date", "<", "2026-03-01")]
        by_district = dict(Line._read_group(domain, ["district_id"], ["score:avg"]))
        self.assertEqual(by_district, {self.district_neukoelln: 1.0, self.district_spandau: 2.0})
        by_type = dict(Line._read_group(domain, ["organization_type_id"], ["score:avg"]))
        self.assertEqual(by_type, {self.type_mo: 1.5})

    def test_analysis_leaves_out_dimensions_nobody_answered(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell_survey.kommune_development_check_line_action"
        )
        lines = (
            self.env["kommune.development.check.line"]
            .with_user(self.user)
            .search(
                ast.literal_eval(action["domain"])
                + [("partner_id", "in", (self.mo | self.other_mo).ids)]
            )
        )
        self.assertEqual(lines.dimension_id, self.dimension["finances"])

    def test_views_load_for_project_users(self):
        Line = self.env["kommune.development.check.line"].with_user(self.user)
        views = Line.get_views(
            [(False, "graph"), (False, "pivot"), (False, "list"), (False, "search")]
        )
        self.assertIn("dimension_id", views["views"]["graph"]["arch"])
        form = self.env["res.partner"].with_user(self.user).get_views([(False, "form")])
        self.assertIn("action_kommune_send_development_check", form["views"]["form"]["arch"])
