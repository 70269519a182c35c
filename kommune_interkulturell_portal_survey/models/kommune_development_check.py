from odoo import fields, models


class KommuneDevelopmentCheck(models.Model):
    _inherit = "kommune.development.check"

    # Contact persons read their organisation's checks over RPC too: who filled a check
    # in is a colleague, named to them only with the colleague's consent (the portal's
    # rule), and the recommendations (computed with the weak dimensions) search
    # trainings portal users do not read. Staff only, like the answers.
    respondent_id = fields.Many2one(groups="base.group_user")
    weak_dimension_ids = fields.Many2many(groups="base.group_user")
    recommended_training_ids = fields.Many2many(groups="base.group_user")
