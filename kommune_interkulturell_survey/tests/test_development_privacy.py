from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import DevelopmentCheckCommon


@tagged("post_install", "-at_install")
class TestDevelopmentPrivacy(DevelopmentCheckCommon):
    """The survey answers of a person are part of their subject access; erasure
    removes their address, name and free text from them and keeps the organisation's
    scores."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.answer = cls._answer(
            cls.survey_mo, cls.mo_person, {cls.dimension["finances"]: [2, 2, 3]}
        )
        cls.check = cls.env["kommune.development.check"].search(
            [("user_input_id", "=", cls.answer.id)]
        )

    def test_subject_access_lists_the_answers_and_checks(self):
        data = (
            self.env["kommune.privacy"].with_user(self.manager)._get_personal_data(self.mo_person)
        )
        text = str(data)
        self.assertIn("survey_answers", text)
        self.assertIn("development_checks", text)
        self.assertIn(self.mo_person.email, text)

    def test_erasure_keeps_the_scores_without_the_person(self):
        action = self.mo_person.with_user(self.manager).action_kommune_anonymize()
        with Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        ) as form:
            form.confirm = True
        form.record.action_anonymize()
        self.assertFalse(self.answer.email)
        self.assertFalse(self.answer.nickname)
        self.assertNotIn("Test Person MO", self.answer.display_name or "")
        self.assertTrue(self.check.exists())
        self.assertAlmostEqual(self.check.score, 7 / 3, places=2)
        self.assertNotEqual(self.check.respondent_id.name, "Test Person MO")


@tagged("post_install", "-at_install")
class TestDevelopmentRetention(DevelopmentCheckCommon):
    """Answering a self-check is the person's activity: a retention rule counting from
    the last activity keeps who answered within its period."""

    def test_a_recent_answer_keeps_the_person(self):
        rule = self.env["kommune.retention.rule"].create(
            {"name": "Test 3 Jahre", "basis": "last_activity", "period_months": 36}
        )
        with freeze_time("2030-11-15 10:00:00"):
            answer = self._answer(
                self.survey_mo, self.mo_person, {self.dimension["finances"]: [2, 2, 3]}
            )
        with freeze_time("2030-12-15 03:00:00"):
            action = rule.with_user(self.manager).action_preview()
        due = self.env["res.partner"].with_context(active_test=False).search(action["domain"])
        self.assertNotIn(self.mo_person, due, "answered a month ago")
        with freeze_time("2034-12-15 03:00:00"):
            action = rule.with_user(self.manager).action_preview()
        due = self.env["res.partner"].with_context(active_test=False).search(action["domain"])
        self.assertIn(self.mo_person, due, "due three years after the answer")
        self.assertTrue(answer.exists())
