from odoo.tests import tagged, warmup

from .common import DevelopmentCheckCommon


@tagged("post_install", "-at_install")
class TestDevelopmentPerformance(DevelopmentCheckCommon):
    """Completing a self-check (the public survey's last page) scores it without a
    query per statement or dimension."""

    @warmup
    def test_completing_a_check(self):
        scores = {dimension: [3, 2, 4] for dimension in self.dimension.values()}
        answer = self.survey_mo.sudo()._create_answer(
            partner=self.mo_person,
            kommune_organization_id=self.mo.id,
            kommune_company_id=self.env.company.id,
        )
        for dimension, points in scores.items():
            for question, score in zip(
                self._statements(self.survey_mo, dimension), points, strict=True
            ):
                choice = question.suggested_answer_ids.filtered(
                    lambda choice, score=score: choice.answer_score == score
                )
                answer._save_lines(question, choice.id)
        self.env.flush_all()
        with self.assertQueryCount(__system__=QUERIES):
            answer._mark_done()
            self.env.flush_all()
        check = self.env["kommune.development.check"].search([("user_input_id", "=", answer.id)])
        self.assertEqual(check.answered_count, 21)


# Measured: 13 (survey's own completion included); a query per statement would be 21 more.
QUERIES = 14
