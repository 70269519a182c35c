from odoo import api, fields, models
from odoo.exceptions import UserError

from .kommune_development_dimension import CHECK_TYPES


class SurveySurvey(models.Model):
    """A survey can be one of the network's self-checks: its completed answers become
    development checks of the organisation that answered."""

    _inherit = "survey.survey"

    kommune_check_type = fields.Selection(
        CHECK_TYPES,
        string="Self-Check",
        index="btree_not_null",
        copy=False,
        help="Makes the survey a self-check of organisational development: each "
        "completed answer sent from an organisation's form is scored per dimension "
        "(one section per dimension) and kept as a development check of the "
        "organisation.",
    )

    kommune_training_feedback_template = fields.Boolean(
        string="Training Feedback Template",
        copy=False,
        help="Trainings that ask for feedback get a copy of this survey, linked in "
        "their thank-you mail.",
    )
    kommune_training_id = fields.Many2one(
        "kommune.training",
        string="Feedback On",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        help="The training this survey collects the feedback of.",
    )
    kommune_is_training_feedback = fields.Boolean(
        string="Anonymous Feedback",
        compute="_compute_kommune_is_training_feedback",
        help="Anonymous feedback on a training (or its template): its answers keep no person.",
    )

    def action_send_survey(self):
        self._kommune_check_survey_invitation()
        return super().action_send_survey()

    def _kommune_check_survey_invitation(self):
        """Self-checks go out from the organisation's form, where the rule of who may
        be invited applies; survey's own invitation would bypass it."""
        if any(self.mapped("kommune_check_type")):
            raise UserError(
                self.env._(
                    "Send a self-check from the organisation's form (Send Self-Check): it "
                    "asks only contact persons who may be invited."
                )
            )

    @api.depends("kommune_training_id", "kommune_training_feedback_template")
    def _compute_kommune_is_training_feedback(self):
        for survey in self:
            survey.kommune_is_training_feedback = bool(
                survey.kommune_training_id or survey.kommune_training_feedback_template
            )

    def _create_answer(
        self, user=False, partner=False, email=False, test_entry=False, **additional_vals
    ):
        """Training feedback is anonymous: survey keeps the person of a logged-in
        respondent (partner, email, name) on the answer; for feedback surveys none is
        kept. Test entries of staff keep theirs: survey checks their rights with it."""
        feedback = self.filtered("kommune_is_training_feedback")
        if test_entry or not feedback:
            return super()._create_answer(
                user=user, partner=partner, email=email, test_entry=test_entry, **additional_vals
            )
        additional_vals.pop("nickname", None)
        answers = super(SurveySurvey, feedback)._create_answer(test_entry=False, **additional_vals)
        others = self - feedback
        if others:
            answers |= super(SurveySurvey, others)._create_answer(
                user=user, partner=partner, email=email, **additional_vals
            )
        return answers

    def _kommune_prepare_answers(self, partners, organization, company):
        """A personal answer of ``partners`` for ``organization``, sent from
        ``company``; an answer they started and have not finished is sent again
        instead of a new one."""
        self.ensure_one()
        open_answers = self.env["survey.user_input"].search(
            [
                ("survey_id", "=", self.id),
                ("partner_id", "in", partners.ids),
                ("kommune_organization_id", "=", organization.id),
                ("kommune_company_id", "=", company.id),
                ("state", "!=", "done"),
                ("test_entry", "=", False),
            ]
        )
        answers = open_answers
        for partner in partners - open_answers.partner_id:
            answers |= self._create_answer(
                partner=partner,
                check_attempts=False,
                kommune_organization_id=organization.id,
                kommune_company_id=company.id,
            )
        return answers
