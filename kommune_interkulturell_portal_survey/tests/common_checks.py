from datetime import date, timedelta

from odoo import Command
from odoo.addons.kommune_interkulturell_portal.tests.common_portal import PortalCommon

DIMENSION = "kommune_interkulturell_survey.development_dimension_%s"


class PortalChecksCommon(PortalCommon):
    """The portal's two organisations with self-checks: the first with two rounds (the
    second answered in the survey by a colleague) and a goal, the second with one
    check and a goal of its own, its scores recognisable on a page (1.11)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.governance = env.ref(DIMENSION % "governance")
        cls.finances = env.ref(DIMENSION % "finances")
        Check = env["kommune.development.check"]
        cls.check_a1 = Check.create(
            {
                "partner_id": cls.mo_a.id,
                "check_type": "mo",
                "date": date.today() - timedelta(days=270),
                "respondent_id": cls.user_a2.partner_id.id,
                "line_ids": [
                    cls._line(cls.governance, 3.0),
                    cls._line(cls.finances, 1.67),
                ],
            }
        )
        cls.answer_a2 = cls._answer(
            cls.user_a2.partner_id,
            cls.mo_a,
            {cls.governance: 4, cls.finances: 3},
            user=cls.user_a2,
        )
        cls.check_a2 = Check.search([("user_input_id", "=", cls.answer_a2.id)])
        cls.check_b = Check.create(
            {
                "partner_id": cls.mo_b.id,
                "check_type": "mo",
                "date": date.today() - timedelta(days=30),
                "respondent_id": cls.user_b.partner_id.id,
                "line_ids": [
                    cls._line(cls.governance, 1.11),
                    cls._line(cls.finances, 2.0),
                ],
            }
        )
        Goal = env["kommune.development.goal"]
        cls.goal_a = Goal.create(
            {
                "check_id": cls.check_a1.id,
                "dimension_id": cls.finances.id,
                "name": "Portal Zweite Person prüft die Buchhaltung",
                "is_shown_on_portal": True,
                "date_deadline": date.today() + timedelta(days=60),
                "user_id": cls.staff.id,
            }
        )
        cls.goal_b = Goal.create(
            {
                "check_id": cls.check_b.id,
                "dimension_id": cls.governance.id,
                "name": "Portal Baobab wählt einen Vorstand",
                "is_shown_on_portal": True,
                "date_deadline": date.today() + timedelta(days=90),
                "user_id": cls.staff.id,
            }
        )

    @classmethod
    def _line(cls, dimension, score):
        return Command.create(
            {
                "dimension_id": dimension.id,
                "score": score,
                "answered_count": 3,
                "statement_count": 3,
            }
        )

    @classmethod
    def _answer(cls, partner, organization, points, user=None):
        """The Professionalisation Check answered as ``partner`` in the survey, each
        statement of a dimension with the same ``points``; with ``user``, logged in as
        that user, in the superuser environment of the same uid the survey's pages
        answer in."""
        survey = cls.env.ref("kommune_interkulturell_survey.survey_development_check_mo")
        if user:
            survey = survey.with_user(user).sudo()
        user_input = survey._create_answer(
            partner=partner,
            kommune_organization_id=organization.id,
            kommune_company_id=cls.env.company.id,
        )
        for dimension, score in points.items():
            page = survey.page_ids.filtered(
                lambda page, dimension=dimension: page.kommune_dimension_id == dimension
            )
            for question in page.question_ids:
                answer = question.suggested_answer_ids.filtered(
                    lambda answer, score=score: answer.answer_score == score
                )
                user_input._save_lines(question, answer.id)
        user_input._mark_done()
        return user_input
