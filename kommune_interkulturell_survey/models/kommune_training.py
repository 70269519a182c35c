from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from .kommune_funding_period import MIN_RATING_ANSWERS
from .survey_question import RATING_LINE_DOMAIN


class KommuneTraining(models.Model):
    """A training's feedback survey: a copy of the shipped template, linked in the
    thank-you mail instead of an external form, with its results per training."""

    _inherit = "kommune.training"

    # The app's link to an external feedback form; a feedback survey of the training
    # fills it with the survey's public link, and without one it stays as typed.
    # (The app's label and help stay: a help here would change the app's own terms.)
    feedback_url = fields.Char(compute="_compute_feedback_url", store=True, readonly=False)
    feedback_survey_id = fields.Many2one(
        "survey.survey",
        readonly=True,
        copy=False,
        ondelete="set null",
        groups="kommune_interkulturell.group_kommune_manager,survey.group_survey_user",
    )
    has_feedback_survey = fields.Boolean(compute="_compute_feedback_results")
    feedback_answer_count = fields.Integer(
        string="Feedback Answers",
        compute="_compute_feedback_results",
        help="Completed answers to the training's feedback survey.",
    )
    feedback_rating = fields.Float(
        digits=(3, 2),
        compute="_compute_feedback_results",
        help="Average points (1 to 4) of the statements answered in the feedback "
        "survey; statements left out do not count. Below three answers only for the "
        "Reporting group.",
    )
    feedback_rating_withheld = fields.Boolean(
        string="Too Few Answers",
        compute="_compute_feedback_results",
        help="Fewer than three answers rating a statement: their average would tell "
        "what those participants answered. As in the funder's files, it is not shown; the "
        "Reporting group sees it, as on the period's dashboard.",
    )

    @api.depends("feedback_survey_id")
    def _compute_feedback_url(self):
        for training in self:
            # sudo: project users are not Survey users; the link is public anyway.
            survey = training.sudo().feedback_survey_id
            if survey:
                training.feedback_url = survey.get_base_url() + survey.get_start_url()
            else:
                training.feedback_url = training.feedback_url

    @api.depends_context("uid")
    def _compute_feedback_results(self):
        """The feedback's counts and average. Project users are not Survey users and
        never read the anonymous answers themselves: sudo, for these numbers only.

        The average of one or two answers is theirs: withheld (0, and
        ``feedback_rating_withheld``) but for the Reporting group, whose figures of
        the period's dashboard are exact too."""
        exact = self.env.user.has_group("kommune_interkulturell.group_kommune_reporting")
        surveys = self.sudo().feedback_survey_id
        # Counted in the database, per survey and choice: the points of a choice are
        # those it has now, as on survey's own results page; with the answers that
        # chose it, as only an answer rating at least one statement tells its rating.
        chosen = (
            self.env["survey.user_input.line"]
            .sudo()
            ._read_group(
                [
                    ("survey_id", "in", surveys.ids),
                    ("user_input_id.state", "=", "done"),
                    ("user_input_id.test_entry", "=", False),
                    *RATING_LINE_DOMAIN,
                ],
                ["survey_id", "suggested_answer_id"],
                ["__count", "user_input_id:array_agg_distinct"],
            )
        )
        points = defaultdict(float)
        statements = defaultdict(int)
        rated_answers = defaultdict(set)
        for survey, choice, count, answer_ids in chosen:
            points[survey] += choice.answer_score * count
            statements[survey] += count
            rated_answers[survey].update(answer_ids)
        counts = dict(
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [
                    ("survey_id", "in", surveys.ids),
                    ("state", "=", "done"),
                    ("test_entry", "=", False),
                ],
                ["survey_id"],
                ["__count"],
            )
        )
        for training in self:
            survey = training.sudo().feedback_survey_id
            training.has_feedback_survey = bool(survey)
            training.feedback_answer_count = counts.get(survey, 0)
            # The answers that rate count, not all: of three answers, two all "cannot
            # say", the average is the third person's.
            withheld = not exact and 0 < len(rated_answers[survey]) < MIN_RATING_ANSWERS
            training.feedback_rating_withheld = withheld
            training.feedback_rating = (
                points[survey] / statements[survey]
                if statements.get(survey) and not withheld
                else 0.0
            )

    def action_kommune_create_feedback_survey(self):
        """Give the training its feedback survey, a copy of the shipped template;
        the thank-you mail links it.

        Project users are not Survey users: the copy is made in sudo, of the
        template only, for this training."""
        self.ensure_one()
        self.check_access("write")
        if self.sudo().feedback_survey_id:
            return False
        template = (
            self.env["survey.survey"]
            .sudo()
            .search([("kommune_training_feedback_template", "=", True)], order="id", limit=1)
        )
        if not template:
            raise UserError(self.env._("There is no feedback survey template."))
        survey = template.copy({"kommune_training_id": self.id})
        # survey names its copies "... (copy)": name it after the training instead, in
        # every language (writing the title would set the current language's only, and
        # participants reading another would see the template's title).
        survey.update_field_translations(
            "title",
            {
                lang: self.with_context(lang=lang).env._(
                    "Feedback: %(training)s", training=self.name
                )
                for lang, _name in self.env["res.lang"].get_installed()
            },
        )
        self.sudo().feedback_survey_id = survey
        return True

    def action_kommune_open_feedback_results(self):
        """The survey's own results page of the training's feedback."""
        self.ensure_one()
        return self.feedback_survey_id.action_result_survey()

    def action_kommune_invite_organization(self):
        """The app's invite wizard for this training with the staff of the
        organisation in the context (a self-check's recommendation)."""
        self.ensure_one()
        action = self.action_invite()
        organization_id = self.env.context.get("kommune_invite_organization_id")
        if organization_id:
            action["context"] = {**action["context"], "default_organization_ids": [organization_id]}
        return action
