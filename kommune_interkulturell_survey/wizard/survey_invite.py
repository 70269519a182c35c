from odoo import models


class SurveyInvite(models.TransientModel):
    """Survey's invitation stays closed for self-checks also when its wizard is
    created directly (not through the survey's Share button)."""

    _inherit = "survey.invite"

    def action_invite(self):
        self.survey_id._kommune_check_survey_invitation()
        return super().action_invite()
