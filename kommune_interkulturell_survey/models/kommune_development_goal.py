from collections import defaultdict

from odoo import api, fields, models

GOAL_STATES = [
    ("open", "Open"),
    ("reached", "Reached"),
    ("not_reached", "Not Reached"),
]


class KommuneDevelopmentGoal(models.Model):
    """A goal of an organisation's development plan, agreed after a self-check for
    one dimension, with a due date. It is an activity on the organisation until it is
    reviewed; the next check shows it beside the dimension's new score."""

    _name = "kommune.development.goal"
    _description = "Development Goal"
    _order = "date_deadline, id"
    _check_company_auto = True

    check_id = fields.Many2one(
        "kommune.development.check",
        string="Agreed After",
        required=True,
        index=True,
        ondelete="cascade",
        help="The self-check after which the goal was agreed.",
    )
    partner_id = fields.Many2one(related="check_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="check_id.company_id", store=True, index=True)
    dimension_id = fields.Many2one(
        "kommune.development.dimension",
        required=True,
        ondelete="restrict",
        domain="[('check_type', '=', check_type)]",
    )
    check_type = fields.Selection(related="check_id.check_type")
    name = fields.Char(
        string="Goal",
        required=True,
        help="What the organisation wants to reach, e.g. 'A second person checks the bookkeeping'.",
    )
    date_deadline = fields.Date(string="Due Date", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Who follows the goal up with the organisation; the activity is theirs.",
    )
    state = fields.Selection(GOAL_STATES, default="open", required=True)
    activity_id = fields.Many2one(
        "mail.activity",
        readonly=True,
        ondelete="set null",
        help="The activity on the organisation that reminds of the goal until its review.",
    )
    score_then = fields.Float(
        string="Score When Agreed",
        digits=(3, 2),
        compute="_compute_scores",
        help="The dimension's score in the check after which the goal was agreed.",
    )
    score_now = fields.Float(
        digits=(3, 2),
        compute="_compute_scores",
        help="The dimension's score in the organisation's latest check since.",
    )

    @api.depends("check_id.line_ids.score", "dimension_id", "partner_id")
    def _compute_scores(self):
        # The organisations' answered scores in these dimensions, latest first: one
        # query for a whole development plan rather than one per goal.
        latest = defaultdict(list)
        for line in self.env["kommune.development.check.line"].search(
            [
                ("partner_id", "in", self.partner_id.ids),
                # A check of another company is not this plan's to compare with (as
                # for the previous check), also for a user working in both.
                ("company_id", "in", self.company_id.ids),
                ("dimension_id", "in", self.dimension_id.ids),
                ("is_answered", "=", True),
            ],
            order="date desc, id desc",
        ):
            latest[line.company_id, line.partner_id, line.dimension_id].append(line)
        for goal in self:
            then = goal.check_id.line_ids.filtered(
                lambda line, goal=goal: line.dimension_id == goal.dimension_id
            )[:1]
            now = next(
                (
                    line
                    for line in latest[goal.company_id, goal.partner_id, goal.dimension_id]
                    # Later than the goal's check in the order of the checks (date,
                    # then id): an earlier check of the same day is no score since.
                    if (line.date, line.check_id.id) > (goal.check_id.date, goal.check_id.id)
                ),
                None,
            )
            goal.score_then = then.score
            goal.score_now = now.score if now else 0.0

    @api.model_create_multi
    def create(self, vals_list):
        goals = super().create(vals_list)
        # A goal recorded as already reviewed needs no reminder.
        for goal in goals.filtered(lambda goal: goal.state == "open"):
            goal.activity_id = goal.partner_id.activity_schedule(
                "kommune_interkulturell_survey.mail_activity_type_development_goal",
                date_deadline=goal.date_deadline,
                summary=goal.name,
                note=goal.dimension_id.name,
                user_id=goal.user_id.id or self.env.user.id,
            )
        return goals

    def write(self, vals):
        res = super().write(vals)
        if {"name", "date_deadline", "user_id"} & vals.keys():
            for goal in self.filtered(lambda goal: goal.activity_id.active):
                goal.activity_id.write(
                    {
                        "summary": goal.name,
                        "date_deadline": goal.date_deadline,
                        "user_id": goal.user_id.id or goal.activity_id.user_id.id,
                    }
                )
        if vals.get("state") in ("reached", "not_reached"):
            labels = dict(self._fields["state"]._description_selection(self.env))
            for goal in self.filtered(lambda goal: goal.activity_id.active):
                goal.activity_id.action_feedback(feedback=labels[goal.state])
        return res

    def unlink(self):
        self.activity_id.filtered("active").unlink()
        return super().unlink()
