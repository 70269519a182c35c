from collections import defaultdict

from odoo import SUPERUSER_ID, fields, models

from .survey_question import RATING_LINE_DOMAIN, RATING_QUESTION_DOMAIN


class SurveyUserInput(models.Model):
    """A completed self-check becomes a development check of the organisation it was
    sent for."""

    _inherit = "survey.user_input"

    kommune_organization_id = fields.Many2one(
        "res.partner",
        string="Organisation Checked",
        index="btree_not_null",
        ondelete="set null",
        help="The organisation this answer to a self-check speaks for, set when the "
        "self-check is sent from the organisation's form.",
    )
    kommune_company_id = fields.Many2one(
        "res.company",
        string="Checked For",
        index="btree_not_null",
        ondelete="restrict",
        help="The company the self-check was sent from: its project managers read the "
        "answers, and the development check is kept in it.",
    )

    def _mark_done(self):
        res = super()._mark_done()
        self._kommune_create_development_checks()
        return res

    def _kommune_create_development_checks(self):
        """One development check per completed self-check sent for an organisation
        (never for test entries), once, in the company it was sent from.

        The person completes the survey on its public pages, where survey works in a
        superuser environment (``answer_sudo``): the check is created in it."""
        answers = self.filtered(
            lambda answer: (
                answer.state == "done"
                and answer.survey_id.kommune_check_type
                and answer.kommune_organization_id
                and not answer.test_entry
            )
        )
        if not answers:
            return self.env["kommune.development.check"]
        # An answer sent before the company was kept on it: the company the send
        # wizard would have chosen (the organisation's, else the sender's), so that
        # its check and its answers go to that company's managers.
        for answer in answers.filtered(lambda answer: not answer.kommune_company_id):
            answer.kommune_company_id = (
                answer.kommune_organization_id.company_id or answer.create_uid.company_id
            )
        # As the superuser (OdooBot), not in the survey's superuser environment, which
        # keeps the uid of a person who answered logged in: the check and its scores
        # would name them as their author (create_uid, write_uid) to whoever reads the
        # check, the organisation's contact persons on the portal among them, while
        # who answered stays with the staff (respondent_id).
        Check = self.env["kommune.development.check"].with_user(SUPERUSER_ID)
        done = Check.search([("user_input_id", "in", answers.ids)]).user_input_id
        checks = Check.create([answer._kommune_prepare_check_values() for answer in answers - done])
        return checks.with_env(self.env)

    def _kommune_dimension_scores(self):
        """The points of the statements answered, by dimension; statements left out
        (skipped, or a comment instead of a choice) do not count, nor do the answers
        to questions without points (texts, choices without points, several choices):
        only the scored questions, as for the feedback (``RATING_LINE_DOMAIN``).

        :return: ``{dimension: [points, ...]}`` with every dimension of the survey (an
            empty list: no statement answered, no score)
        """
        self.ensure_one()
        scores = {page.kommune_dimension_id: [] for page in self.survey_id.page_ids}
        scores.pop(self.env["kommune.development.dimension"], None)
        by_dimension = defaultdict(list)
        for line in self.user_input_line_ids.filtered_domain(RATING_LINE_DOMAIN):
            dimension = line.question_id.page_id.kommune_dimension_id
            if dimension in scores:
                by_dimension[dimension].append(line.suggested_answer_id.answer_score)
        scores.update(by_dimension)
        return scores

    def _kommune_prepare_check_values(self):
        self.ensure_one()
        organization = self.kommune_organization_id
        # Statements are the scored questions; a comment box or a choice without
        # points is none. A dimension may span several sections: their statements add up.
        statements = defaultdict(int)
        for page in self.survey_id.page_ids:
            statements[page.kommune_dimension_id] += len(
                page.question_ids.filtered_domain(RATING_QUESTION_DOMAIN)
            )
        lines = []
        for dimension, points in self._kommune_dimension_scores().items():
            lines.append(
                fields.Command.create(
                    {
                        "dimension_id": dimension.id,
                        "score": sum(points) / len(points) if points else 0.0,
                        "answered_count": len(points),
                        "statement_count": statements.get(dimension, 0),
                    }
                )
            )
        return {
            "partner_id": organization.id,
            # The sending company, never the public page's (superuser) company.
            "company_id": self.kommune_company_id.id,
            "check_type": self.survey_id.kommune_check_type,
            "survey_id": self.survey_id.id,
            "user_input_id": self.id,
            "respondent_id": self.partner_id.id,
            "date": fields.Date.context_today(self, self.end_datetime),
            "line_ids": lines,
        }
