from odoo import models


class KommuneTrainingRegistration(models.Model):
    """A registration is a portal document of its participant: its page in "My
    Account" (access_url) and the name of its certificate when downloaded there."""

    _name = "kommune.training.registration"
    _inherit = ["kommune.training.registration", "portal.mixin"]

    def _compute_access_url(self):
        # Every registration gets its own address: the parent's default is not kept.
        for registration in self:
            registration.access_url = f"/my/kommune/trainings/{registration.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        # No name in it: the download URL and the file travel through logs and inboxes.
        return self.env._("Certificate %(training)s", training=self.training_id.name)
