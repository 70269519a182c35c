from odoo import models


class KommuneTraining(models.Model):
    _inherit = "kommune.training"

    def action_kommune_invite_organization(self):
        """The app's invite wizard for this training with the staff of the
        organisation in the context (a self-check's recommendation)."""
        self.ensure_one()
        action = self.action_invite()
        organization_id = self.env.context.get("kommune_invite_organization_id")
        if organization_id:
            action["context"] = {**action["context"], "default_organization_ids": [organization_id]}
        return action
