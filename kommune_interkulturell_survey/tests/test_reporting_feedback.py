import base64
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.addons.kommune_interkulturell.models.kommune_funding_period import (
    KommuneFundingPeriod,
)
from odoo.addons.kommune_interkulturell.tests.common import pdf_text
from odoo.addons.kommune_interkulturell.tests.common_reporting import (
    AFTER,
    KommuneReportingNetworkCommon,
)
from odoo.addons.kommune_interkulturell.tests.test_reporting_export import read_xlsx
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import choice_question

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
        period = self.period.with_user(self.reporter)
        self.assertEqual(period.feedback_answer_count, 3)
        self.assertEqual(period.feedback_rating, 2.44, "22 points for 9 statements")
        earlier = self.period_2030.with_user(self.reporter)
        self.assertEqual((earlier.feedback_answer_count, earlier.feedback_rating), (1, 4.0))
        # Staff outside Reporting: the period of one answer would show it; the other
        # has 3 answers, but from trainings of 2 and 1, whose averages the period's
        # would give away against each other.
        for record in (self.period, self.period_2030):
            record = record.with_user(self.user)
            self.assertEqual((record.feedback_rating_withheld, record.feedback_rating), (True, 0.0))
            self.assertEqual(record.read(["feedback_rating"])[0]["feedback_rating"], 0.0)
        self.assertEqual(self.period.with_user(self.user).feedback_answer_count, 3)
        period = self.period.with_user(self.user)
        # The card opens the trainings, each with its own results, never the answers.
        action = period.action_open_feedback()
        self.assertEqual(action["res_model"], "kommune.training")
        trainings = self.env["kommune.training"].with_user(self.user).search(action["domain"])
        self.assertEqual(trainings, self.t1 | self.t2)
        # Two answers and one: their averages for the Reporting group only.
        self.assertEqual(
            [
                (t.feedback_answer_count, t.feedback_rating_withheld)
                for t in trainings.sorted("date_end")
            ],
            [(2, True), (1, True)],
        )
        trainings = trainings.with_user(self.reporter)
        self.assertEqual(
            [
                (t.feedback_answer_count, round(t.feedback_rating, 2))
                for t in trainings.sorted("date_end")
            ],
            [(2, 2.71), (1, 1.5)],
        )

    def test_card_shown_when_every_training_has_three_answers(self):
        give_feedback(self.t1.feedback_survey_id, [4, 4, 4, 4])
        for _i in range(2):
            give_feedback(self.t2.feedback_survey_id, [3, 3, 3, 3])
        self.env.invalidate_all()
        exact = self.period.with_user(self.reporter)
        shown = self.period.with_user(self.user)
        self.assertEqual(shown.feedback_answer_count, 6)
        self.assertFalse(shown.feedback_rating_withheld)
        self.assertEqual(shown.feedback_rating, exact.feedback_rating)
        self.assertEqual(round(shown.feedback_rating, 2), round(62 / 21, 2))
        self.assertTrue(self.period_2030.with_user(self.user).feedback_rating_withheld)

    def test_anonymous_feedback_is_counted_only(self):
        """Staff see counts and averages; the answers themselves stay with survey's
        users, and the figures carry nothing of a respondent."""
        with self.assertRaises(AccessError):
            self.env["survey.user_input"].with_user(self.user).search([]).read(["partner_id"])
        with freeze_time(AFTER):
            data = self.period.with_user(self.reporter)._get_report_data()
        (section,) = [s for s in data["sections"] if s["key"] == "satisfaction_by_topic"]
        # Averages of fewer than three answers would be the respondents' own rating:
        # the funder's files give the count only; the exact figures stay in the app.
        self.assertEqual(
            section["rows"],
            sorted([[self.topic_fundraising.display_name, 2, "n < 3"], ["No topic", 1, "n < 3"]]),
        )
        topics = self.period.with_user(self.reporter)._get_feedback_figures()["topics"]
        self.assertEqual(
            {topic: (answers, round(rating, 2)) for topic, (answers, rating) in topics.items()},
            {self.topic_fundraising.id: (2, 2.71), None: (1, 1.5)},
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
        # Q1 and Q2 have two answers and one: the count, not the average.
        self.assertEqual(table["Satisfaction (average, 1 to 4)"], [2.44, "n < 3", "n < 3", 0, 0])
        self.assertIn(
            [self.topic_fundraising.display_name, 2, "n < 3"], sheets["Satisfaction by Topic"]
        )
        self.assertIn(["No topic", 1, "n < 3"], sheets["Satisfaction by Topic"])
        quarters = self.period._get_feedback_figures()["quarters"]
        self.assertEqual(
            {label: (answers, round(rating, 2)) for label, (answers, rating) in quarters.items()},
            {"2031-Q1": (2, 2.71), "2031-Q2": (1, 1.5)},
            "the exact figures behind the table",
        )

    def test_pdf_summary(self):
        with freeze_time(AFTER):
            content, content_type = (
                self.env["ir.actions.report"]
                .with_user(self.reporter)
                .with_context(force_report_rendering=True, lang="en_US")
                ._render_qweb_pdf(REPORT, res_ids=self.period.ids)
            )
        self.assertEqual(content_type, "pdf")
        text = pdf_text(content)
        self.assertIn("Participants 3 2 2 0 0", text)
        self.assertIn("Feedback Answers 3 2 1 0 0", text)
        self.assertIn("Satisfaction (average, 1 to 4) 2.44 n < 3 n < 3 0 0", text)
        self.assertIn("Satisfaction by Topic", text)
        self.assertIn(f"{self.topic_fundraising.display_name} 2 n < 3", text)
        self.assertNotIn("2.71", text)

    def test_feedback_figures_query_count(self):
        """One query for the period, its quarters and topics, whatever the volume."""
        period = self.period.with_user(self.user)
        period._get_feedback_figures()
        give_feedback(self.t3.feedback_survey_id or self._survey_of(self.t3), [3, 3, 3, 3])
        self.env.flush_all()
        with self.assertQueryCount(1):
            figures = period._get_feedback_figures()
        self.assertEqual(figures["period"][0], 4)

    def test_only_rating_statements_count(self):
        """A feedback survey may ask more than the statements: a choice without points
        (where did you hear of the training) or one of several choices says nothing
        about satisfaction and leaves the figures as they were."""
        Question = self.env["survey.question"].sudo()
        survey = self.t1.feedback_survey_id.sudo()
        channel = Question.create(
            choice_question(
                survey,
                "Where did you hear of the training?",
                [("Newsletter", None), ("Colleagues", None)],
            )
        )
        wishes = Question.create(
            choice_question(
                survey,
                "Which follow-ups would you like?",
                [("Coaching", 4), ("Network meeting", 4)],
                question_type="multiple_choice",
            )
        )
        for answer in survey.user_input_ids.filtered(lambda a: a.state == "done"):
            answer._save_lines(channel, channel.suggested_answer_ids[:1].id)
            answer._save_lines(wishes, wishes.suggested_answer_ids.ids)
        self.env.invalidate_all()
        period = self.period.with_user(self.reporter)
        self.assertEqual(period.feedback_answer_count, 3)
        self.assertEqual(period.feedback_rating, 2.44, "22 points for 9 statements")
        self.assertEqual(round(self.t1.with_user(self.reporter).feedback_rating, 2), 2.71)

    def test_a_choice_without_points_keeps_the_statement(self):
        """A feedback statement may gain a choice without points later ("cannot
        say"): the answers given before still count as they did, and choosing it
        counts as leaving the statement out."""
        survey = self.t1.feedback_survey_id.sudo()
        statement = survey.question_ids.filtered(lambda q: q.question_type == "simple_choice")[0]
        statement.suggested_answer_ids = [
            Command.create({"value": "Cannot say", "answer_score": 0, "sequence": 99})
        ]
        self.env.invalidate_all()
        period = self.period.with_user(self.reporter)
        training = self.t1.with_user(self.reporter)
        self.assertEqual((period.feedback_answer_count, period.feedback_rating), (3, 2.44))
        self.assertEqual(round(training.feedback_rating, 2), 2.71, "19 points for 7")
        give_feedback(survey, [0, 4, 4, 4])
        self.env.invalidate_all()
        self.assertEqual(training.feedback_answer_count, 3)
        self.assertEqual(round(training.feedback_rating, 2), 3.1, "31 points for 10")
        self.assertEqual(period.feedback_rating, 2.83, "34 points for 12")

    def test_a_question_scoring_one_answer_is_no_statement(self):
        """Only a question offering the whole scale (1, 2, 3 and 4 points) is a
        statement. A yes (1 point) / no (0 points) or a quiz whose right answer scores
        1 says nothing about satisfaction: counted, its 1 point would read as the worst
        rating and change the figures already reported for the period."""
        Question = self.env["survey.question"].sudo()
        survey = self.t1.feedback_survey_id.sudo()
        questions = Question.create(
            [
                choice_question(
                    survey, "Would you recommend the training?", [("Yes", 1), ("No", 0)]
                ),
                choice_question(
                    survey,
                    "Since when must a Berlin district have a migration council?",
                    [("2021", 1), ("2010", 0), ("Never", 0)],
                ),
            ]
        )
        for answer in survey.user_input_ids.filtered(lambda a: a.state == "done"):
            for question in questions:
                answer._save_lines(question, question.suggested_answer_ids[:1].id)
        self.env.invalidate_all()
        period = self.period.with_user(self.reporter)
        self.assertEqual((period.feedback_answer_count, period.feedback_rating), (3, 2.44))
        self.assertEqual(round(self.t1.with_user(self.reporter).feedback_rating, 2), 2.71)
        topics = period._get_feedback_figures()["topics"]
        self.assertEqual(round(topics[self.topic_fundraising.id][1], 2), 2.71)

    def test_no_average_of_one_rating_among_answers_without_any(self):
        """The threshold of three counts the answers that rate a statement: of three
        answers, two all "cannot say", the average is the third person's own, hidden
        from staff outside Reporting as the average of one answer is, and "n < 3" in
        the funder's files."""
        give_feedback(self.t1.feedback_survey_id, [3, 3, 3, 3])
        survey = self.t2.feedback_survey_id.sudo()
        for statement in survey.question_ids.filtered(lambda q: q.question_type == "simple_choice"):
            statement.suggested_answer_ids = [
                Command.create({"value": "Cannot say", "answer_score": 0, "sequence": 99})
            ]
        for _i in range(2):
            give_feedback(survey, [0, 0, 0, 0])
        self.env.invalidate_all()
        for user, withheld in ((self.user, True), (self.reporter, False)):
            training = self.t2.with_user(user)
            self.assertEqual(training.feedback_answer_count, 3, user.login)
            self.assertEqual(
                (training.feedback_rating_withheld, training.feedback_rating),
                (withheld, 0.0 if withheld else 1.5),
                user.login,
            )
            # Its period would give it away against the other training's average.
            period = self.period.with_user(user)
            self.assertEqual(period.feedback_answer_count, 6, user.login)
            self.assertEqual(period.feedback_rating_withheld, withheld, user.login)
            self.assertEqual(
                period.feedback_rating, 0.0 if withheld else round(34 / 13, 2), user.login
            )
        self.assertFalse(self.t1.with_user(self.user).feedback_rating_withheld)
        with freeze_time(AFTER):
            data = self.period.with_user(self.reporter)._get_report_data()
        indicators = dict(data["indicators"])
        self.assertEqual(indicators["Feedback Answers"], [6, 3, 3, 0, 0])
        self.assertEqual(
            indicators["Satisfaction (average, 1 to 4)"],
            [round(34 / 13, 2), round(31 / 11, 2), "n < 3", 0, 0],
        )
        (section,) = [s for s in data["sections"] if s["key"] == "satisfaction_by_topic"]
        self.assertIn(["No topic", 3, "n < 3"], section["rows"])

    def test_card_figures_of_many_periods_in_one_query(self):
        """The period list computes the card of every period at once."""
        Period = self.env["kommune.funding.period"].with_user(self.user)

        def count(ids):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Period.browse(ids).mapped("feedback_rating")
            return self.cr.sql_log_count - before

        count([self.period.id])  # warm-up
        self.assertEqual(count([self.period.id, self.period_2030.id]), count([self.period.id]))

    def test_report_data_adds_its_queries_only(self):
        """The satisfaction costs the funder's files one query (the feedback of the
        period, its quarters and topics) and one for the names of the topics, however
        many; a period without feedback the one query only. Counted beside the app's
        own queries (the app's tests count those), so that neither hides the other."""
        Topic = self.env["kommune.training.topic"]
        self.t2.topic_id = Topic.create({"name": "Test Thema Zwei"})
        # Two topics of trainings without participants: no breakdown of the app shows
        # (and reads) them, only the bridge's table.
        self.t3.topic_id = Topic.create({"name": "Test Thema Drei"})
        t4 = self.make_training(
            "Test T4",
            datetime(2031, 8, 4, 8, 0),
            [2],
            topic_id=Topic.create({"name": "Test Thema Vier"}).id,
        )
        for training in (self.t3, t4):
            give_feedback(self._survey_of(training), [3, 3, 3, 3])
        empty = self.env["kommune.funding.period"].create(
            {"name": "Test Periode 2034", "date_start": "2034-01-01", "date_end": "2034-12-31"}
        )

        def count(function):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            function()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        for record, topics, queries in ((self.period, 4, 2), (empty, 0, 1)):
            period = record.with_user(self.reporter)

            def own(period=period):
                return KommuneFundingPeriod._get_report_data(period)

            with freeze_time(AFTER), self.subTest(period=record.name):
                data = period._get_report_data()
                (section,) = [s for s in data["sections"] if s["key"] == "satisfaction_by_topic"]
                self.assertEqual(len(section["rows"]), topics)
                count(own)  # what is read once whatever the period (the user, the rules)
                self.assertEqual(count(period._get_report_data) - count(own), queries)

    def _survey_of(self, training):
        training.action_kommune_create_feedback_survey()
        return training.feedback_survey_id
