import base64
import io

from freezegun import freeze_time
from PyPDF2 import PdfReader

from odoo.addons.kommune_interkulturell.tests.common_reporting import (
    AFTER,
    KommuneReportingNetworkCommon,
)
from odoo.addons.kommune_interkulturell.tests.test_reporting_export import read_xlsx
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

REPORT = "kommune_interkulturell.action_report_funding_period_summary"


def give_feedback(survey, points, done=True, test_entry=False):
    """One anonymous answer to a feedback survey: ``points`` per statement (None:
    left out)."""
    answer = survey.sudo()._create_answer(check_attempts=False, test_entry=test_entry)
    statements = survey.question_ids.filtered(lambda q: q.question_type == "simple_choice")
    for question, score in zip(statements, points, strict=False):
        choice = question.suggested_answer_ids.filtered(
            lambda c, score=score: c.answer_score == score
        )
        answer._save_lines(question, choice.id if score is not None else False)
    if done:
        answer._mark_done()
    return answer


@tagged("post_install", "-at_install")
class TestReportingFeedback(KommuneReportingNetworkCommon, HttpCase):
    """Satisfaction in the funder reporting: the feedback of the trainings that ended
    in the period, per quarter and topic, on the period's card, in the XLSX and in the
    PDF summary, as counts and averages only.

    T1 (Q1, Fundraising): answers 4-3-(left out)-4 and 2-2-2-2, 19 points for 7
    statements; T2 (Q2, no topic): 1-2, 3 points for 2; T0 (2030): 4-4-4-4. Not
    counted: an unfinished answer, a test entry, an answer to the template."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        for training in (cls.t0, cls.t1, cls.t2):
            training.action_kommune_create_feedback_survey()
        give_feedback(cls.t1.feedback_survey_id, [4, 3, None, 4])
        give_feedback(cls.t1.feedback_survey_id, [2, 2, 2, 2])
        give_feedback(cls.t1.feedback_survey_id, [1, 1, 1, 1], done=False)
        give_feedback(cls.t1.feedback_survey_id, [1, 1, 1, 1], test_entry=True)
        give_feedback(cls.t2.feedback_survey_id, [1, 2, None, None])
        give_feedback(cls.t0.feedback_survey_id, [4, 4, 4, 4])
        give_feedback(
            cls.env.ref("kommune_interkulturell_survey.survey_training_feedback"), [1, 1, 1, 1]
        )

    def test_card_of_the_period(self):
        period = self.period.with_user(self.user)
        self.assertEqual(period.feedback_answer_count, 3)
        self.assertEqual(period.feedback_rating, 2.44, "22 points for 9 statements")
        earlier = self.period_2030.with_user(self.user)
        self.assertEqual((earlier.feedback_answer_count, earlier.feedback_rating), (1, 4.0))
        # The card opens the trainings, each with its own results, never the answers.
        action = period.action_open_feedback()
        self.assertEqual(action["res_model"], "kommune.training")
        trainings = self.env["kommune.training"].with_user(self.user).search(action["domain"])
        self.assertEqual(trainings, self.t1 | self.t2)
        self.assertEqual(
            [
                (t.feedback_answer_count, round(t.feedback_rating, 2))
                for t in trainings.sorted("date_end")
            ],
            [(2, 2.71), (1, 1.5)],
        )

    def test_anonymous_feedback_is_counted_only(self):
        """Staff see counts and averages; the answers themselves stay with survey's
        users, and the figures carry nothing of a respondent."""
        with self.assertRaises(AccessError):
            self.env["survey.user_input"].with_user(self.user).search([]).read(["partner_id"])
        with freeze_time(AFTER):
            data = self.period.with_user(self.reporter)._get_report_data()
        (section,) = [s for s in data["sections"] if s["key"] == "satisfaction_by_topic"]
        self.assertEqual(
            section["rows"],
            sorted([[self.topic_fundraising.display_name, 2, 2.71], ["No topic", 1, 1.5]]),
        )
        answers = self.t1.feedback_survey_id.sudo().user_input_ids
        self.assertFalse(answers.partner_id or any(answers.mapped("email")))

    def test_indicator_table(self):
        with freeze_time(AFTER):
            wizard = (
                self.env["kommune.reporting.export"]
                .with_user(self.reporter)
                .create({"period_id": self.period.id})
            )
            sheets = read_xlsx(base64.b64decode(wizard.xlsx_file))
        table = {row[0]: row[1:] for row in sheets["Indicators"][2:]}
        self.assertEqual(table["Participants"], [3, 2, 2, 0, 0], "the app's rows stay")
        self.assertEqual(table["Feedback Answers"], [3, 2, 1, 0, 0], "period, then Q1 to Q4")
        self.assertEqual(table["Satisfaction (average, 1 to 4)"], [2.44, 2.71, 1.5, 0, 0])
        self.assertIn(
            [self.topic_fundraising.display_name, 2, 2.71], sheets["Satisfaction by Topic"]
        )
        self.assertIn(["No topic", 1, 1.5], sheets["Satisfaction by Topic"])

    def test_pdf_summary(self):
        with freeze_time(AFTER):
            content, content_type = (
                self.env["ir.actions.report"]
                .with_user(self.reporter)
                .with_context(force_report_rendering=True, lang="en_US")
                ._render_qweb_pdf(REPORT, res_ids=self.period.ids)
            )
        self.assertEqual(content_type, "pdf")
        reader = PdfReader(io.BytesIO(content))
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        self.assertIn("Participants 3 2 2 0 0", text)
        self.assertIn("Feedback Answers 3 2 1 0 0", text)
        self.assertIn("Satisfaction (average, 1 to 4) 2.44 2.71 1.50 0 0", text)
        self.assertIn("Satisfaction by Topic", text)
        self.assertIn(f"{self.topic_fundraising.display_name} 2 2.71", text)

    def test_feedback_figures_query_count(self):
        """One query for the period, its quarters and topics, whatever the volume."""
        period = self.period.with_user(self.user)
        period._get_feedback_figures()
        give_feedback(self.t3.feedback_survey_id or self._survey_of(self.t3), [3, 3, 3, 3])
        self.env.flush_all()
        with self.assertQueryCount(1):
            figures = period._get_feedback_figures()
        self.assertEqual(figures["period"][0], 4)

    def _survey_of(self, training):
        training.action_kommune_create_feedback_survey()
        return training.feedback_survey_id
