from odoo import fields, models


class KommuneDevelopmentGoal(models.Model):
    _inherit = "kommune.development.goal"

    # The reminder is the staff's activity, not the organisation's.
    activity_id = fields.Many2one(groups="base.group_user")
