from odoo import api, models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    @api.depends("composition_mode", "model", "res_domain", "res_ids")
    def _compute_force_send(self):
        result = super()._compute_force_send()
        # Odoo sends mass mails to up to mail.mail.force.send.limit (100) recipients at
        # once, bypassing the queue. With a throttle they queue: that is where it applies.
        if self.env["kommune.mail.throttle"]._get_limit():
            mass_mail = self.filtered(lambda composer: composer.composition_mode == "mass_mail")
            mass_mail.force_send = False
        return result
