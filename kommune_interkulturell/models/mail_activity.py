from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        # A staff member's action item from meeting minutes is done when its to-do is.
        # sudo: whoever may mark the activity done may tick its item off, also without
        # access to action items; the search finds only the items of these activities.
        items = self.env["kommune.cooperation.action.item"]
        cooperation_activities = self.filtered(lambda a: a.res_model == "kommune.cooperation")
        if cooperation_activities:
            items = items.sudo().search(
                [("activity_id", "in", cooperation_activities.ids), ("is_done", "=", False)]
            )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        items.is_done = True
        return result
