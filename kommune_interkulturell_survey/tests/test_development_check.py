from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DevelopmentCheckCommon, choice_question


@tagged("post_install", "-at_install")
class TestDevelopmentCheck(DevelopmentCheckCommon):
    """A completed self-check is kept against the organisation: per dimension the
    average of the statements answered, compared with the previous check."""

    def _line(self, check, code):
        return check.line_ids.filtered(lambda line: line.dimension_id == self.dimension[code])

    def test_completed_answer_becomes_a_check_of_the_organisation(self):
        answer = self._answer(
            self.survey_mo, self.mo_person, {self.dimension["finances"]: [1, 2, 3]}
        )
        check = self.env["kommune.development.check"].search([("partner_id", "=", self.mo.id)])
        self.assertEqual(len(check), 1)
        self.assertEqual(check.user_input_id, answer)
        self.assertEqual(check.respondent_id, self.mo_person)
        self.assertEqual(check.check_type, "mo")
        self.assertEqual(len(check.line_ids), 7, "one line per dimension of the check")
        self.assertEqual(self._line(check, "finances").score, 2.0)
        # Completing it again (survey may call it twice) keeps one check.
        answer._mark_done()
        self.assertEqual(
            self.env["kommune.development.check"].search_count([("user_input_id", "=", answer.id)]),
            1,
        )

    def test_statements_left_out_do_not_count(self):
        check = self._check(
            {
                self.dimension["governance"]: [4, None, 2],
                self.dimension["finances"]: [None, None, None],
                self.dimension["staff"]: [1, 1, 1],
            }
        )
        governance = self._line(check, "governance")
        self.assertEqual(governance.score, 3.0, "(4 + 2) / 2, not (4 + 0 + 2) / 3")
        self.assertEqual((governance.answered_count, governance.statement_count), (2, 3))
        finances = self._line(check, "finances")
        self.assertFalse(finances.is_answered)
        self.assertEqual(finances.answered_count, 0)
        self.assertFalse(self._line(check, "labour_market").is_answered, "never reached")
        # Overall: the five statements answered, 4 + 2 + 1 + 1 + 1.
        self.assertEqual(check.answered_count, 5)
        self.assertEqual(check.statement_count, 21)
        self.assertAlmostEqual(check.score, 9 / 5)

    def test_progress_between_two_checks(self):
        with freeze_time("2026-03-01"):
            first = self._check(
                {self.dimension["finances"]: [1, 1, 2], self.dimension["staff"]: [3, 3, 3]}
            )
        with freeze_time("2026-10-01"):
            second = self._check(
                {
                    self.dimension["finances"]: [3, 3, None],
                    self.dimension["staff"]: [2, 2, 2],
                    self.dimension["governance"]: [4, 4, 4],
                }
            )
        self.assertEqual(second.previous_check_id, first)
        self.assertFalse(first.previous_check_id)
        finances = self._line(second, "finances")
        self.assertAlmostEqual(finances.score_previous, 4 / 3, places=2)
        self.assertAlmostEqual(finances.score_change, 3 - 4 / 3, places=2)
        self.assertAlmostEqual(self._line(second, "staff").score_change, -1.0)
        governance = self._line(second, "governance")
        self.assertFalse(governance.has_previous, "not answered the first time: no change")
        self.assertEqual(governance.score_change, 0.0)
        # An administration's check is compared with its own kind only.
        other = self._answer(self.survey_admin, self.mo_person, {}, organization=self.mo)
        admin_check = self.env["kommune.development.check"].search(
            [("user_input_id", "=", other.id)]
        )
        self.assertFalse(admin_check.previous_check_id)

    def test_a_choice_without_points_keeps_the_statement(self):
        """A statement may gain a choice without points later ("cannot say"): it stays
        a statement, so that the checks stored before keep their scores and are still
        compared on it; choosing it counts as leaving the statement out."""
        governance = self.dimension["governance"]
        with freeze_time("2026-03-01"):
            first = self._check({governance: [4, 2, 3]})
        statement = self._statements(self.survey_mo, governance)[0]
        statement.suggested_answer_ids = [
            Command.create({"value": "Cannot say", "answer_score": 0, "sequence": 99})
        ]
        self.env.invalidate_all()
        line = self._line(first, "governance")
        self.assertEqual((line.score, line.answered_count, line.statement_count), (3.0, 3, 3))
        self.assertEqual((first.score, first.statement_count), (3.0, 21))
        with freeze_time("2026-10-01"):
            second = self._check({governance: [1, 4, 4]})
        line = self._line(second, "governance")
        self.assertEqual(
            (line.score, line.answered_count, line.statement_count),
            (3.0, 3, 3),
            "the statement with the new choice still counts: (1 + 4 + 4) / 3",
        )
        self.assertEqual(
            (line.has_previous, line.score_previous, line.score_change), (True, 3.0, 0)
        )
        self.assertEqual(second.statement_count, 21)
        with freeze_time("2027-03-01"):
            third = self._check({governance: [0, 4, 2]})
        line = self._line(third, "governance")
        self.assertEqual(
            (line.score, line.answered_count, line.statement_count),
            (3.0, 2, 3),
            "cannot say: left out, not 0 points",
        )
        self.assertEqual(line.score_change, 0.0)
        self.assertEqual((third.answered_count, third.score), (2, 3.0))

    def test_a_question_scoring_one_answer_is_no_statement(self):
        """Only a question offering the whole scale (1, 2, 3 and 4 points) is a
        statement. A yes (1 point) / no (0 points) or a quiz whose right answer scores
        1 in a section says nothing about the dimension: counted, its 1 point would
        read as the worst rating, lower the score and change the comparison."""
        governance = self.dimension["governance"]
        with freeze_time("2026-03-01"):
            first = self._check({governance: [4, 2, 3]})
        last = self._statements(self.survey_mo, governance)[-1]
        self.env["survey.question"].create(
            [
                choice_question(
                    self.survey_mo,
                    "Does the organisation have a board?",
                    [("Yes", 1), ("No", 0)],
                    sequence=last.sequence,
                ),
                choice_question(
                    self.survey_mo,
                    "Which body decides on the budget of an e.V.?",
                    [("The general assembly", 1), ("The treasurer", 0), ("The funder", 0)],
                    sequence=last.sequence,
                ),
            ]
        )
        self.assertEqual(len(self._statements(self.survey_mo, governance)), 5)
        with freeze_time("2026-10-01"):
            second = self._check({governance: [4, 2, 3, 1, 1]})
        line = self._line(second, "governance")
        self.assertEqual(
            (line.score, line.answered_count, line.statement_count),
            (3.0, 3, 3),
            "the yes and the right answer are no ratings of 1",
        )
        self.assertEqual(
            (line.has_previous, line.score_previous, line.score_change), (True, 3.0, 0.0)
        )
        self.assertEqual(
            (second.score, second.answered_count, second.statement_count), (3.0, 3, 21)
        )
        self.assertEqual(first.statement_count, 21)

    def test_an_answer_sent_without_its_company_still_becomes_a_check(self):
        """An answer sent before the company was kept on it, for an organisation
        shared by all companies: its check goes to the company of the manager who
        sent it, whose managers read its answers."""
        other = self.env["res.company"].create({"name": "Test Other Network"})
        sender = new_test_user(
            self.env,
            login="ki_other_sender",
            groups="kommune_interkulturell.group_kommune_manager",
            company_id=other.id,
            company_ids=[other.id],
        )
        self.mo.company_id = False
        # sudo: as the send wizard does, in the sender's name.
        answer = (
            self.survey_mo.with_user(sender)
            .sudo()
            ._create_answer(partner=self.mo_person, kommune_organization_id=self.mo.id)
        )
        self.assertFalse(answer.kommune_company_id)
        question = self._statements(self.survey_mo, self.dimension["finances"])[:1]
        answer._save_lines(
            question,
            question.suggested_answer_ids.filtered(lambda choice: choice.answer_score == 3).id,
        )
        answer.with_user(self.env.ref("base.public_user")).sudo()._mark_done()
        check = self.env["kommune.development.check"].search([("user_input_id", "=", answer.id)])
        self.assertEqual(check.company_id, other)
        self.assertEqual(answer.kommune_company_id, other)
        self.assertEqual(check.with_user(sender).user_input_id.read(["state"])[0]["state"], "done")
        with self.assertRaises(AccessError):
            answer.with_user(self.manager).read(["state"])

    def test_a_check_of_another_company_is_no_previous_check(self):
        other = self.env["res.company"].create({"name": "Test Other Network"})
        with freeze_time("2026-03-01"):
            first = self._check({self.dimension["finances"]: [1, 1, 1]})
        with freeze_time("2026-06-01"):
            answer = self._answer(
                self.survey_mo,
                self.mo_person,
                {self.dimension["finances"]: [4, 4, 4]},
                company=other,
            )
        elsewhere = self.env["kommune.development.check"].search(
            [("user_input_id", "=", answer.id)]
        )
        self.assertEqual(elsewhere.company_id, other)
        self.assertFalse(elsewhere.previous_check_id)
        with freeze_time("2026-09-01"):
            third = self._check({self.dimension["finances"]: [2, 2, 2]})
        self.assertEqual(third.previous_check_id, first)

    def test_statements_are_the_choices_of_all_sections_of_a_dimension(self):
        """A comment box is no statement; a dimension spread over two sections
        counts the statements of both."""
        finances = self.dimension["finances"]
        Question = self.env["survey.question"]
        page = Question.create(
            {
                "survey_id": self.survey_mo.id,
                "title": "More on finances",
                "is_page": True,
                "question_type": False,
                "sequence": 10000,
                "kommune_dimension_id": finances.id,
            }
        )
        choices = self.survey_mo.question_ids.filtered(
            lambda question: question.question_type == "simple_choice"
        )[0].suggested_answer_ids
        for sequence, question_type in ((10001, "simple_choice"), (10002, "text_box")):
            Question.create(
                {
                    "survey_id": self.survey_mo.id,
                    "title": f"Extra {sequence}",
                    "question_type": question_type,
                    "sequence": sequence,
                    "suggested_answer_ids": [
                        (0, 0, {"value": choice.value, "answer_score": choice.answer_score})
                        for choice in choices
                    ]
                    if question_type == "simple_choice"
                    else [],
                }
            )
        self.assertEqual(len(page.question_ids), 2)
        check = self._check({finances: [3, 3, 3]})
        self.assertEqual(self._line(check, "finances").statement_count, 3 + 1)
        self.assertEqual(self._line(check, "staff").statement_count, 3)

    def test_only_scored_statements_count(self):
        """A dimension's page may ask more than its statements: a choice without points
        (who answered for the organisation), one of several choices or a text says
        nothing about the dimension. Only the statements scored 1 to 4 count, as for
        the feedback; a dimension answered only in unscored questions has no score."""
        Question = self.env["survey.question"]
        governance, finances = self.dimension["governance"], self.dimension["finances"]

        def page_of(dimension, sequence):
            """A further section of the dimension, after the survey's own."""
            return Question.create(
                {
                    "survey_id": self.survey_mo.id,
                    "title": f"More on {dimension.name}",
                    "is_page": True,
                    "question_type": False,
                    "sequence": sequence,
                    "kommune_dimension_id": dimension.id,
                }
            )

        def unscored(question_type, sequence, score=0):
            return Question.create(
                {
                    "survey_id": self.survey_mo.id,
                    "title": f"Unscored {question_type} {sequence}",
                    "question_type": question_type,
                    "sequence": sequence,
                    "suggested_answer_ids": [
                        (0, 0, {"value": "Board", "answer_score": score}),
                        (0, 0, {"value": "Staff", "answer_score": score}),
                    ]
                    if question_type != "text_box"
                    else [],
                }
            )

        governance_page = page_of(governance, 10000)
        role = unscored("simple_choice", 10001)
        wishes = unscored("multiple_choice", 10002, score=4)
        notes = unscored("text_box", 10003)
        finances_page = page_of(finances, 10100)
        finance_role = unscored("simple_choice", 10101)
        self.assertEqual(governance_page.question_ids, role | wishes | notes)
        self.assertEqual(finances_page.question_ids, finance_role)
        user_input = self.survey_mo.sudo()._create_answer(
            partner=self.mo_person,
            kommune_organization_id=self.mo.id,
            kommune_company_id=self.env.company.id,
        )
        for question, score in zip(
            self._statements(self.survey_mo, governance), [4, 2], strict=False
        ):
            choice = question.suggested_answer_ids.filtered(
                lambda choice, score=score: choice.answer_score == score
            )
            user_input._save_lines(question, choice.id)
        user_input._save_lines(role, role.suggested_answer_ids[:1].id)
        user_input._save_lines(wishes, wishes.suggested_answer_ids.ids)
        user_input._save_lines(notes, "We are growing.")
        user_input._save_lines(finance_role, finance_role.suggested_answer_ids[:1].id)
        user_input._mark_done()
        check = self.env["kommune.development.check"].search(
            [("user_input_id", "=", user_input.id)]
        )
        line = self._line(check, "governance")
        self.assertEqual(line.score, 3.0, "(4 + 2) / 2: the unscored answers add nothing")
        self.assertEqual((line.answered_count, line.statement_count), (2, 3))
        finances_line = self._line(check, "finances")
        self.assertFalse(finances_line.is_answered, "an unscored answer is no score of 0")
        self.assertFalse(finances_line.is_weak)
        self.assertEqual((finances_line.answered_count, finances_line.statement_count), (0, 3))
        self.assertEqual((check.answered_count, check.score), (2, 3.0))

    def test_no_check_without_organisation_or_for_test_entries(self):
        Check = self.env["kommune.development.check"]
        before = Check.search_count([])
        test_entry = self.survey_mo.sudo()._create_answer(
            user=self.env.user, test_entry=True, kommune_organization_id=self.mo.id
        )
        test_entry._mark_done()
        anonymous = self.survey_mo.sudo()._create_answer(partner=self.mo_person)
        anonymous._mark_done()
        self.assertEqual(Check.search_count([]), before)

    def test_project_users_read_scores_but_not_answers(self):
        check = self._check({self.dimension["finances"]: [2, 2, 2]})
        as_user = check.with_user(self.user)
        self.assertEqual(as_user.score, 2.0)
        self.assertEqual(as_user.line_ids.mapped("score")[:2], [0.0, 2.0])
        with self.assertRaises(AccessError):
            as_user.read(["user_input_id"])
        with self.assertRaises(AccessError):
            check.user_input_id.with_user(self.user).read(["state"])
        with self.assertRaises(AccessError):
            self.env["survey.user_input.line"].with_user(self.user).search([])
        # Project management reads the answers behind the score.
        self.assertEqual(check.with_user(self.manager).user_input_id.survey_id, self.survey_mo)
        action = check.with_user(self.manager).action_open_answers()
        self.assertEqual(action["res_id"], check.user_input_id.id)

    def test_plain_users_see_no_checks(self):
        self._check({self.dimension["finances"]: [2, 2, 2]})
        for model in ("kommune.development.check", "kommune.development.check.line"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.plain_user).search([])

    def test_project_users_cannot_forge_or_delete_checks(self):
        check = self._check({self.dimension["finances"]: [2, 2, 2]})
        Check = self.env["kommune.development.check"].with_user(self.user)
        with self.assertRaises(AccessError):
            Check.create({"partner_id": self.mo.id, "check_type": "mo"})
        with self.assertRaises(AccessError):
            check.line_ids[:1].with_user(self.user).score = 4
        with self.assertRaises(AccessError):
            check.with_user(self.user).unlink()
