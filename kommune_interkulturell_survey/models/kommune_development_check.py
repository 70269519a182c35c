from odoo import api, fields, models

from .kommune_development_dimension import CHECK_TYPES


class KommuneDevelopmentCheck(models.Model):
    """A self-check an organisation completed: its score per development dimension,
    compared with its previous check of the same kind.

    Created when the survey answer is done (survey.user_input._mark_done). Project
    users read checks and scores; the answers themselves (the survey and its
    user_input) only managers and survey users."""

    _name = "kommune.development.check"
    _description = "Development Check"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Organisation",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
        help="The organisation the self-check speaks for.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    check_type = fields.Selection(CHECK_TYPES, string="Self-Check", required=True)
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="The day the self-check was completed.",
    )
    respondent_id = fields.Many2one(
        "res.partner",
        string="Answered By",
        ondelete="set null",
        help="The person who filled in the self-check for the organisation.",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        readonly=True,
        ondelete="restrict",
        groups="kommune_interkulturell.group_kommune_manager,survey.group_survey_user",
    )
    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Answers",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        # Not for Survey users: the rules of the answers let only the project managers
        # of the check's company read them.
        groups="kommune_interkulturell.group_kommune_manager",
        help="The answers given in the survey, statement by statement.",
    )
    line_ids = fields.One2many("kommune.development.check.line", "check_id", string="Scores")
    previous_check_id = fields.Many2one(
        "kommune.development.check",
        readonly=True,
        ondelete="set null",
        help="The organisation's previous self-check of the same kind, to compare with.",
    )
    score = fields.Float(
        string="Overall Score",
        digits=(3, 2),
        compute="_compute_score",
        store=True,
        aggregator="avg",
        help="Average points (1 to 4) of all statements answered; statements left "
        "out do not count.",
    )
    answered_count = fields.Integer(
        string="Statements Answered", compute="_compute_score", store=True
    )
    goal_ids = fields.One2many(
        "kommune.development.goal",
        "check_id",
        string="Development Plan",
        help="Goals agreed with the organisation after this check, per dimension.",
    )
    previous_goal_ids = fields.One2many(
        "kommune.development.goal",
        string="Goals of the Previous Check",
        compute="_compute_previous_goal_ids",
        help="The goals agreed after the previous check, to review with this one.",
    )
    weak_dimension_ids = fields.Many2many(
        "kommune.development.dimension",
        string="Weak Dimensions",
        compute="_compute_recommended_training_ids",
        help="Dimensions scoring below the threshold of the settings.",
    )
    recommended_training_ids = fields.Many2many(
        "kommune.training",
        string="Recommended Trainings",
        compute="_compute_recommended_training_ids",
        help="Upcoming trainings on the topics of the weak dimensions.",
    )
    statement_count = fields.Integer(string="Statements", compute="_compute_score", store=True)

    @api.depends("line_ids.score", "line_ids.answered_count", "line_ids.statement_count")
    def _compute_score(self):
        for check in self:
            answered = sum(check.line_ids.mapped("answered_count"))
            points = sum(line.score * line.answered_count for line in check.line_ids)
            check.answered_count = answered
            check.statement_count = sum(check.line_ids.mapped("statement_count"))
            check.score = points / answered if answered else 0.0

    @api.depends("previous_check_id.goal_ids")
    def _compute_previous_goal_ids(self):
        for check in self:
            check.previous_goal_ids = check.previous_check_id.goal_ids

    @api.depends("line_ids.is_weak", "line_ids.dimension_id.topic_ids")
    def _compute_recommended_training_ids(self):
        Training = self.env["kommune.training"]
        for check in self:
            weak = check.line_ids.filtered("is_weak").dimension_id
            check.weak_dimension_ids = weak
            check.recommended_training_ids = weak.topic_ids and Training.search(
                [
                    ("topic_id", "in", weak.topic_ids.ids),
                    # The check's network's trainings, also for a user working in
                    # several companies at once.
                    ("company_id", "=", check.company_id.id),
                    ("date_begin", ">", fields.Datetime.now()),
                    ("is_cancelled", "=", False),
                ],
                order="date_begin",
            )

    @api.depends("partner_id", "check_type", "date")
    def _compute_display_name(self):
        labels = dict(self._fields["check_type"]._description_selection(self.env))
        for check in self:
            check.display_name = self.env._(
                "%(check)s of %(date)s",
                check=labels.get(check.check_type, ""),
                date=(check.date and fields.Date.to_string(check.date)) or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        checks = super().create(vals_list)
        for check in checks.filtered(lambda check: not check.previous_check_id):
            check.previous_check_id = check._find_previous_check()
        return checks

    def _find_previous_check(self):
        """The organisation's latest earlier check of the same kind, in the same
        company: a check of another company is not this company's to compare with."""
        self.ensure_one()
        return self.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("check_type", "=", self.check_type),
                ("id", "!=", self.id),
                "|",
                ("date", "<", self.date),
                "&",
                ("date", "=", self.date),
                ("id", "<", self.id),
            ],
            order="date desc, id desc",
            limit=1,
        )

    def action_open_goals(self):
        """The development plan agreed after this check, to edit."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell_survey.kommune_development_goal_action"
        )
        action["domain"] = [("check_id", "=", self.id)]
        action["context"] = {"default_check_id": self.id}
        return action

    def action_review_previous_goals(self):
        """The goals agreed after the previous check, to mark reached or not."""
        self.ensure_one()
        action = self.previous_check_id.action_open_goals()
        action["context"] = {}
        return action

    def action_open_answers(self):
        """The survey's own page of the answers, for the project managers."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.user_input",
            "res_id": self.user_input_id.id,
            "view_mode": "form",
        }
