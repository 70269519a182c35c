from odoo import fields, models


class KommuneDevelopmentGoal(models.Model):
    _inherit = "kommune.development.goal"

    # The reminder is the staff's activity, not the organisation's.
    activity_id = fields.Many2one(groups="base.group_user")
    # Off unless staff turn it on: goals are free text written for the staff (they may
    # name people), and goals written before the portal showed any must not appear on
    # it all at once when this module is installed. A copy is shown once staff read
    # it again.
    is_shown_on_portal = fields.Boolean(
        string="Shown on the Portal",
        default=False,
        copy=False,
        help="The organisation's contact persons read this goal on their portal page "
        "(and over the portal's API). Turn it on once the goal's text is fit for the "
        "organisation to read.",
    )
