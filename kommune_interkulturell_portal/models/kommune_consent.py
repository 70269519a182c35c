from odoo import fields, models


class KommuneConsent(models.Model):
    """A registration from the public catalogue is the app's double opt-in: a consent
    to training administration awaiting confirmation, which names the training asked
    for; the person is registered once they followed the link mailed to their address."""

    _inherit = "kommune.consent"

    catalogue_training_id = fields.Many2one(
        "kommune.training",
        string="Registration Asked For",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="Given on the public training catalogue: once confirmed through the link "
        "mailed to the person, they are registered for this training.",
    )

    def _action_confirm(self):
        waiting = self.filtered(
            lambda consent: consent.state == "pending" and consent.catalogue_training_id
        )
        res = super()._action_confirm()
        for consent in waiting:
            training = consent.catalogue_training_id
            if training._kommune_portal_is_registration_open():
                # The consent is in force now: the registration is ticked and takes a
                # seat or a place on the waitlist (with its mails), as every one does.
                training._register_participant(consent.partner_id, source="web", consent=True)
        return res
