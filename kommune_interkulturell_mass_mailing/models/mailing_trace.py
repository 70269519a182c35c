from odoo import api, models
from odoo.exceptions import UserError


class MailingTrace(models.Model):
    """The traces of a training's mailings are its campaign's statistics for the
    funders: only a manager deletes them (Email Marketing lets its every user)."""

    _inherit = "mailing.trace"

    @api.model
    def _kommune_may_delete_statistics(self):
        return self.env.su or self.env.user.has_group(
            "kommune_interkulturell.group_kommune_manager"
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invitation_statistics(self):
        if self._kommune_may_delete_statistics():
            return
        if self.filtered("mass_mailing_id.training_id"):
            raise UserError(
                self.env._(
                    "The traces of a training's mailings are the campaign's figures for the "
                    "funders: only a manager deletes them."
                )
            )
