from odoo import api, models
from odoo.fields import Domain


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _kommune_profile_review_activity_type_id(self):
        return self.env["ir.model.data"]._xmlid_to_res_id(
            "kommune_interkulturell_portal.mail_activity_type_profile_proposal",
            raise_if_not_found=False,
        )

    @api.model
    def _kommune_dialogue_domain(self):
        """The done review of a profile proposal is office work on the profile, no
        contact with the organisation."""
        domain = super()._kommune_dialogue_domain()
        review_type_id = self._kommune_profile_review_activity_type_id()
        if review_type_id:
            domain &= Domain("mail_activity_type_id", "!=", review_type_id)
        return domain

    def _kommune_is_dialogue(self):
        review_type_id = self._kommune_profile_review_activity_type_id()
        if review_type_id and self.mail_activity_type_id.id == review_type_id:
            return False
        return super()._kommune_is_dialogue()
