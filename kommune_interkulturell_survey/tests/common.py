from odoo import Command
from odoo.addons.kommune_interkulturell.tests.common import KommuneCommon
from odoo.tests import new_test_user


def choice_question(survey, title, choices, question_type="simple_choice", **values):
    """The values of a choice question of ``survey``; ``choices``: ``(label, points)``
    pairs, points None for a choice saved without any."""
    return {
        "survey_id": survey.id,
        "title": title,
        "question_type": question_type,
        "suggested_answer_ids": [
            Command.create({"value": label, **({} if points is None else {"answer_score": points})})
            for label, points in choices
        ],
        **values,
    }


class DevelopmentCheckCommon(KommuneCommon):
    """The two shipped self-checks, a plain internal user beside the project's users,
    and helpers that answer a check as the person would through the survey."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_user = new_test_user(
            cls.env, login="ki_plain", name="Paul Plain", groups="base.group_user"
        )
        cls.survey_mo = cls.env.ref("kommune_interkulturell_survey.survey_development_check_mo")
        cls.survey_admin = cls.env.ref(
            "kommune_interkulturell_survey.survey_development_check_administration"
        )
        cls.dimension = {
            code: cls.env.ref(f"kommune_interkulturell_survey.development_dimension_{code}")
            for code in (
                "governance",
                "finances",
                "staff",
                "project_management",
                "networking",
                "public_relations",
                "labour_market",
            )
        }

    @classmethod
    def _statements(cls, survey, dimension):
        page = survey.page_ids.filtered(lambda page: page.kommune_dimension_id == dimension)
        return page.question_ids

    @classmethod
    def _check(cls, scores, partner=None):
        """The development check of an answer to the Professionalisation Check."""
        answer = cls._answer(cls.survey_mo, partner or cls.mo_person, scores)
        return cls.env["kommune.development.check"].search([("user_input_id", "=", answer.id)])

    @classmethod
    def _answer(cls, survey, partner, scores, organization=None, company=None):
        """Answer ``survey`` as ``partner`` of ``organization``: ``scores`` maps a
        dimension to the points chosen for its statements, in order (None: left out),
        and finishes the answer as the survey's last page does."""
        user_input = survey.sudo()._create_answer(
            partner=partner,
            kommune_organization_id=(organization or partner.parent_id).id,
            kommune_company_id=(company or cls.env.company).id,
        )
        for dimension, points in scores.items():
            for question, score in zip(cls._statements(survey, dimension), points, strict=False):
                if score is None:
                    user_input._save_lines(question, False)
                    continue
                answer = question.suggested_answer_ids.filtered(
                    lambda answer, score=score: answer.answer_score == score
                )
                user_input._save_lines(question, answer.id)
        user_input._mark_done()
        return user_input
