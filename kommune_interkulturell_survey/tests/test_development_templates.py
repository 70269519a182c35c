from odoo.tests import tagged

from .common import DevelopmentCheckCommon


@tagged("post_install", "-at_install")
class TestDevelopmentTemplates(DevelopmentCheckCommon):
    """The two self-checks ship as surveys: one section per dimension, statements of
    four answers scored 1 to 4 that may be left out, answered only by invitation."""

    def test_professionalisation_check_covers_the_mo_dimensions(self):
        self.assertEqual(self.survey_mo.kommune_check_type, "mo")
        self.assertEqual(
            self.survey_mo.page_ids.kommune_dimension_id,
            self.env["kommune.development.dimension"].search([("check_type", "=", "mo")]),
        )
        self.assertEqual(
            set(self.survey_mo.page_ids.kommune_dimension_id.mapped("name")),
            {
                "Governance and board",
                "Finances and funding",
                "Staff and volunteers",
                "Project management",
                "Networking and cooperation",
                "Public relations",
                "Labour-market expertise",
            },
        )

    def test_intercultural_opening_check_covers_the_administration_dimensions(self):
        dimensions = self.survey_admin.page_ids.kommune_dimension_id
        self.assertEqual(self.survey_admin.kommune_check_type, "administration")
        self.assertEqual(set(dimensions.mapped("check_type")), {"administration"})
        self.assertEqual(len(dimensions), 4)
        self.assertIn("Staff (incl. PartMigG 2021)", dimensions.mapped("name"))

    def test_every_statement_scores_one_to_four_and_may_be_left_out(self):
        for survey in self.survey_mo | self.survey_admin:
            self.assertEqual(survey.access_mode, "token", "only the personal link answers")
            self.assertTrue(survey.question_ids)
            for question in survey.question_ids:
                self.assertEqual(question.question_type, "simple_choice", question.title)
                self.assertFalse(question.constr_mandatory, question.title)
                self.assertTrue(question.page_id.kommune_dimension_id, question.title)
                self.assertEqual(
                    question.suggested_answer_ids.sorted("sequence").mapped("answer_score"),
                    [1, 2, 3, 4],
                    question.title,
                )

    def test_every_dimension_leads_to_training_topics(self):
        dimensions = self.env["kommune.development.dimension"].search([])
        self.assertFalse(dimensions.filtered(lambda dimension: not dimension.topic_ids))
