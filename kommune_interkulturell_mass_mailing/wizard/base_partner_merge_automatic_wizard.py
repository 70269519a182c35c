from odoo import api, models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _kommune_get_registration_carried_fields(self):
        # The campaign a merged registration came from counts for the one kept.
        return super()._kommune_get_registration_carried_fields() + ["mailing_id", "campaign_id"]
