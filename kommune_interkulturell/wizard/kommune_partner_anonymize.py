from odoo import api, fields, models
from odoo.exceptions import UserError


class KommunePartnerAnonymize(models.TransientModel):
    """Erasure (Art. 17 DSGVO), after confirmation: what will happen, a tick that the
    manager understands it cannot be undone, then res.partner._kommune_anonymize."""

    _name = "kommune.partner.anonymize"
    _description = "Erase Personal Data"

    partner_ids = fields.Many2many("res.partner", string="Persons", required=True, readonly=True)
    registration_count = fields.Integer(
        string="Registrations", compute="_compute_counts", help="Kept as anonymous rows."
    )
    consent_count = fields.Integer(
        string="Consents", compute="_compute_counts", help="Withdrawn and kept as evidence."
    )
    confirm = fields.Boolean(
        string="I understand that the erasure cannot be undone",
        help="Names, contact data, notes and messages of these persons are removed for "
        "good; only anonymous rows remain for the statistics.",
    )

    @api.depends("partner_ids")
    def _compute_counts(self):
        for wizard in self:
            partners = wizard.partner_ids.with_context(active_test=False)
            wizard.registration_count = len(partners.training_registration_ids)
            wizard.consent_count = len(partners.kommune_consent_ids)

    def action_anonymize(self):
        self.ensure_one()
        if not self.confirm:
            raise UserError(self.env._("Tick that you understand the erasure cannot be undone."))
        partners = self.partner_ids.with_context(active_test=False)
        partners._kommune_anonymize()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s person(s) anonymised. Their registrations and attendance "
                    "remain as anonymous rows.",
                    count=len(partners),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
