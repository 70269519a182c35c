from odoo.addons.kommune_interkulturell.tests.common_training import KommuneTrainingCommon
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import DevelopmentCheckCommon


@tagged("post_install", "-at_install")
class TestTrainingFeedback(DevelopmentCheckCommon, KommuneTrainingCommon):
    """A training asks for feedback with its own copy of the feedback survey, linked
    in the thank-you mail; an external form stays possible. Staff see the results per
    training as counts and an average, survey users the answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reporter = new_test_user(
            cls.env,
            login="ki_feedback_reporter",
            groups="kommune_interkulturell.group_kommune_reporting",
        )

    def _give_feedback(self, survey, points):
        answer = survey.sudo()._create_answer(check_attempts=False)
        for question, score in zip(
            survey.question_ids.filtered(lambda q: q.question_type == "simple_choice"),
            points,
            strict=False,
        ):
            if score is None:
                answer._save_lines(question, False)
                continue
            choice = question.suggested_answer_ids.filtered(
                lambda choice, score=score: choice.answer_score == score
            )
            answer._save_lines(question, choice.id)
        answer._mark_done()
        return answer

    def test_feedback_survey_is_linked_in_the_thank_you_mail(self):
        self.training.with_user(self.user).action_kommune_create_feedback_survey()
        survey = self.training.feedback_survey_id
        self.assertEqual(survey.kommune_training_id, self.training)
        self.assertIn(self.training.name, survey.title)
        self.assertEqual(survey.access_mode, "public")
        self.assertTrue(self.training.feedback_url.endswith(survey.get_start_url()))
        template = self.env.ref("kommune_interkulturell.mail_template_training_thanks")
        registration = self.register(self.persons[0])
        body = template._render_field("body_html", registration.ids)[registration.id]
        self.assertIn(survey.access_token, body)
        # Asking twice keeps the one survey.
        self.assertFalse(self.training.with_user(self.user).action_kommune_create_feedback_survey())

    def test_feedback_survey_named_after_the_training_in_every_language(self):
        # A German-speaking colleague creates it; a participant reading the survey in
        # English sees the training's name too, not the template's title.
        self.training.with_user(self.user).with_context(
            lang="de_DE"
        ).action_kommune_create_feedback_survey()
        survey = self.training.feedback_survey_id
        for lang in ("de_DE", "en_US"):
            self.assertIn(self.training.name, survey.with_context(lang=lang).title, lang)

    def test_external_link_stays_possible(self):
        self.training.with_user(self.user).feedback_url = "https://forms.example.org/x"
        self.assertEqual(self.training.feedback_url, "https://forms.example.org/x")
        template = self.env.ref("kommune_interkulturell.mail_template_training_thanks")
        registration = self.register(self.persons[0])
        body = template._render_field("body_html", registration.ids)[registration.id]
        self.assertIn("https://forms.example.org/x", body)

    def test_results_per_training(self):
        self.training.action_kommune_create_feedback_survey()
        survey = self.training.feedback_survey_id
        self._give_feedback(survey, [4, 3, None, 4])
        self._give_feedback(survey, [2, 2, 2, 2])
        self._give_feedback(
            self.env.ref("kommune_interkulturell_survey.survey_training_feedback"), [1, 1, 1, 1]
        )
        training = self.training.with_user(self.user)
        self.assertEqual(training.feedback_answer_count, 2)
        # Two answers: their average for the Reporting group only.
        self.assertTrue(training.feedback_rating_withheld)
        training = self.training.with_user(self.reporter)
        self.assertAlmostEqual(training.feedback_rating, 19 / 7, places=2)
        training = self.training.with_user(self.user)
        self.assertFalse(
            self.env["kommune.development.check"].search([("survey_id", "=", survey.id)])
        )
        with self.assertRaises(AccessError):
            training.read(["feedback_survey_id"])
        self.assertEqual(
            self.training.with_user(self.manager).action_kommune_open_feedback_results()["url"],
            f"/survey/results/{survey.id}",
        )

    def test_results_of_several_trainings_read_at_once(self):
        """A list of trainings shows each its own feedback, counted in the database
        in a fixed number of queries however many answers there are."""
        other = self.training.copy({"name": "Second Training"})
        self.training.action_kommune_create_feedback_survey()
        other.action_kommune_create_feedback_survey()
        for _index in range(3):
            self._give_feedback(self.training.feedback_survey_id, [4, 4, 4, 4])
        self._give_feedback(other.feedback_survey_id, [1, 2, None, None])
        # The Reporting group, which sees the average of the single answer too.
        trainings = (self.training | other).with_user(self.reporter)
        trainings.invalidate_recordset()
        with self.assertQueryCount(4):
            results = [(t.feedback_answer_count, t.feedback_rating) for t in trainings]
        self.assertEqual(results[0][0], 3)
        self.assertAlmostEqual(results[0][1], 4.0, places=2)
        self.assertEqual(results[1][0], 1)
        self.assertAlmostEqual(results[1][1], 1.5, places=2)

    def test_no_average_of_one_or_two_answers_on_the_training(self):
        """The average of one or two anonymous answers is what those participants
        answered: the training's card says there are too few answers, as the funder's
        files do ("n < 3"). The Reporting group keeps the exact figures, as on the
        period's dashboard; from three answers on everybody sees the average."""
        self.training.action_kommune_create_feedback_survey()
        survey = self.training.feedback_survey_id
        self._give_feedback(survey, [1, 2, 1, 2])
        for user, withheld in ((self.user, True), (self.manager, True), (self.reporter, False)):
            training = self.training.with_user(user)
            training.invalidate_recordset()
            self.assertEqual(training.feedback_answer_count, 1)
            self.assertEqual(training.feedback_rating_withheld, withheld, user.login)
            self.assertEqual(training.feedback_rating, 0.0 if withheld else 1.5, user.login)
            # Nor through the web client's read of the form.
            (values,) = training.web_read({"feedback_rating": {}, "feedback_rating_withheld": {}})
            self.assertEqual(values["feedback_rating"], 0.0 if withheld else 1.5)
        self._give_feedback(survey, [4, 4, 4, 4])
        self.training.invalidate_recordset()
        self.assertTrue(self.training.with_user(self.user).feedback_rating_withheld, "2 answers")
        self._give_feedback(survey, [3, 3, 3, 3])
        training = self.training.with_user(self.user)
        training.invalidate_recordset()
        self.assertFalse(training.feedback_rating_withheld)
        self.assertAlmostEqual(training.feedback_rating, 34 / 12, places=2)
        # The form shows the note instead of the bar.
        arch = self.env["kommune.training"].with_user(self.user).get_views([(False, "form")])
        form = arch["views"]["form"]["arch"]
        self.assertIn("Too few answers", form)
        self.assertIn('invisible="feedback_rating_withheld"', form)

    def test_plain_users_cannot_create_feedback_surveys(self):
        with self.assertRaises(AccessError):
            self.training.with_user(self.plain_user).action_kommune_create_feedback_survey()


@tagged("post_install", "-at_install")
class TestTrainingFeedbackAnonymity(HttpCase):
    """Feedback on a training is anonymous, also for people logged in to the portal:
    survey would keep their partner, address and name on the answer."""

    def test_a_logged_in_respondent_stays_anonymous(self):
        survey = self.env.ref("kommune_interkulturell_survey.survey_training_feedback")
        new_test_user(
            self.env,
            login="ki_portal_feedback",
            name="Pia Portal",
            email="pia.portal@example.org",
            groups="base.group_portal",
        )
        Answer = self.env["survey.user_input"]
        before = Answer.search([("survey_id", "=", survey.id)])
        self.authenticate("ki_portal_feedback", "ki_portal_feedback")
        response = self.url_open(f"/survey/start/{survey.access_token}")
        answer = Answer.search([("survey_id", "=", survey.id)]) - before
        self.assertEqual(len(answer), 1)
        self.assertFalse(answer.partner_id)
        self.assertFalse(answer.email)
        self.assertFalse(answer.nickname)
        # The respondent still gets the feedback's pages, not survey's "wrong user".
        self.assertEqual(response.status_code, 200)
        self.assertIn(answer.access_token, response.text)
        response = self.url_open(f"/survey/{survey.access_token}/{answer.access_token}")
        self.assertIn(answer.access_token, response.text)
