from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .. import _uninstall_hook
from .common import DevelopmentCheckCommon


@tagged("post_install", "-at_install")
class TestDevelopmentAccessRights(DevelopmentCheckCommon):
    """Only the project's users see an organisation's checks, within their companies;
    the vocabulary and the checks themselves are the managers' to change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.check = cls._check({cls.dimension["finances"]: [2, 3, 3]})

    def test_only_project_users_see_an_organisations_checks(self):
        self.assertEqual(self.mo.with_user(self.user).kommune_development_check_ids, self.check)
        with self.assertRaises(AccessError):
            self.mo.with_user(self.plain_user).read(["kommune_development_check_ids"])
        with self.assertRaises(AccessError):
            self.mo.with_user(self.plain_user).read(["kommune_development_check_count"])
        for model in (
            "kommune.development.check",
            "kommune.development.check.line",
            "kommune.development.goal",
            "kommune.development.dimension",
        ):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.plain_user).search([])

    def test_checks_stay_in_their_company(self):
        other = self.env["res.company"].create({"name": "Test Other Network"})
        self.check.company_id = other
        self.assertFalse(
            self.env["kommune.development.check"]
            .with_user(self.user)
            .search([("id", "=", self.check.id)])
        )
        self.assertFalse(
            self.env["kommune.development.check.line"]
            .with_user(self.user)
            .search([("check_id", "=", self.check.id)])
        )

    def test_only_the_companys_managers_read_a_checks_answers(self):
        """Survey's rules let every Survey user read every answer; a self-check's
        answers speak for an organisation and stay with its company's managers."""
        other = self.env["res.company"].create({"name": "Test Other Network"})
        survey_user = new_test_user(
            self.env, login="ki_surveyor", groups="base.group_user,survey.group_survey_user"
        )
        other_manager = new_test_user(
            self.env,
            login="ki_other_manager",
            groups="kommune_interkulturell.group_kommune_manager",
            company_id=other.id,
            company_ids=[other.id],
        )
        answer = self.check.sudo().user_input_id
        for intruder in (survey_user, other_manager):
            for records in (answer, answer.user_input_line_ids):
                with self.assertRaises(AccessError, msg=intruder.login):
                    records.with_user(intruder).read(["survey_id"])
            self.assertFalse(
                self.env["survey.user_input.line"]
                .with_user(intruder)
                .search([("user_input_id", "=", answer.id)])
            )
        self.assertEqual(answer.with_user(self.manager).kommune_organization_id, self.mo)
        self.assertTrue(answer.user_input_line_ids.with_user(self.manager).read(["answer_score"]))
        self.assertEqual(
            self.check.with_user(self.manager).action_open_answers()["res_id"], answer.id
        )
        # Survey's own surveys stay as survey has them.
        survey = self.env["survey.survey"].create({"title": "Canteen"})
        question = self.env["survey.question"].create(
            {"survey_id": survey.id, "title": "Lunch?", "question_type": "text_box"}
        )
        canteen = survey._create_answer(partner=self.mo_person)
        canteen._save_lines(question, "Soup")
        self.assertEqual(canteen.with_user(survey_user).partner_id, self.mo_person)
        self.assertEqual(canteen.user_input_line_ids.with_user(survey_user).value_text_box, "Soup")

    def test_survey_users_are_not_offered_answers_they_cannot_open(self):
        """A project user with Survey rights may not read a check's answers: the
        check's form must not link them (opening the link would fail)."""
        surveyor = new_test_user(
            self.env,
            login="ki_project_surveyor",
            groups="kommune_interkulturell.group_kommune_user,survey.group_survey_user",
        )
        Check = self.env["kommune.development.check"].with_user(surveyor)
        self.assertNotIn("user_input_id", Check.fields_get(["user_input_id"]))
        arch = Check.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("action_open_answers", arch)
        self.assertNotIn("user_input_id", arch)
        with self.assertRaises(AccessError):
            self.check.with_user(surveyor).read(["user_input_id"])
        with self.assertRaises(AccessError):
            self.check.user_input_id.with_user(surveyor).read(["state"])
        # The project managers keep the link, and may follow it.
        ManagerCheck = self.env["kommune.development.check"].with_user(self.manager)
        self.assertIn("user_input_id", ManagerCheck.fields_get(["user_input_id"]))
        arch = ManagerCheck.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_open_answers", arch)
        answer = self.check.with_user(self.manager).user_input_id
        self.assertEqual(answer.read(["state"])[0]["state"], "done")

    def test_uninstall_takes_back_the_survey_rights_of_managers(self):
        """The bridge made project managers Survey users; without it they are not
        (its rules narrowing the answers down would be gone too)."""
        survey_group = self.env.ref("survey.group_survey_user")
        self.assertTrue(self.manager.has_group("survey.group_survey_user"))
        _uninstall_hook(self.env)
        self.assertNotIn(
            survey_group, self.env.ref("kommune_interkulturell.group_kommune_manager").implied_ids
        )
        self.assertFalse(self.manager.has_group("survey.group_survey_user"))

    def test_managers_configure_users_do_not(self):
        dimension = self.dimension["finances"]
        with self.assertRaises(AccessError):
            dimension.with_user(self.user).write({"name": "Geld"})
        with self.assertRaises(AccessError):
            self.env["kommune.development.dimension"].with_user(self.user).create({"name": "X"})
        dimension.with_user(self.manager).topic_ids = self.env.ref(
            "kommune_interkulturell.training_topic_fundraising"
        )
        with self.assertRaises(AccessError):
            self.check.with_user(self.user).write({"date": "2020-01-01"})
        self.check.with_user(self.manager).unlink()
        self.assertFalse(self.check.exists())

    def test_the_daily_work_of_a_plain_project_user(self):
        """Send a check, read the scores, plan a goal: no manager rights needed."""
        check = self.check.with_user(self.user)
        self.assertAlmostEqual(check.line_ids.filtered("is_answered").score, 8 / 3, places=2)
        goal = (
            self.env["kommune.development.goal"]
            .with_user(self.user)
            .create(
                {
                    "check_id": check.id,
                    "dimension_id": self.dimension["finances"].id,
                    "name": "Second signature on payments",
                    "date_deadline": "2027-01-31",
                }
            )
        )
        self.assertTrue(goal.activity_id)
        wizard = (
            self.env["kommune.development.check.send"]
            .with_user(self.user)
            .create({"organization_id": self.mo.id})
        )
        self.assertEqual(wizard.partner_ids, self.mo_person)
        self.assertTrue(self.mo.with_user(self.user).action_kommune_open_development_progress())
