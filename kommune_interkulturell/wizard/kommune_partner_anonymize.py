from collections import Counter

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class KommunePartnerAnonymize(models.TransientModel):
    """Erasure (Art. 17 DSGVO), after confirmation: what Odoo's privacy lookup found and
    what will happen to it, a tick that the manager understands it cannot be undone,
    then res.partner._kommune_anonymize."""

    _name = "kommune.partner.anonymize"
    _description = "Erase Personal Data"

    partner_ids = fields.Many2many("res.partner", string="Persons", required=True, readonly=True)
    registration_count = fields.Integer(
        string="Registrations", compute="_compute_counts", help="Kept as anonymous rows."
    )
    consent_count = fields.Integer(
        string="Consents", compute="_compute_counts", help="Withdrawn and kept as evidence."
    )
    lookup_summary = fields.Html(
        string="Found",
        compute="_compute_lookup_summary",
        sanitize=False,
        help="What Odoo's privacy lookup finds for these persons, by name and address, "
        "and what the erasure does with it.",
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

    @api.depends("partner_ids")
    def _compute_lookup_summary(self):
        for wizard in self:
            partners = wizard.partner_ids._origin.with_context(active_test=False)
            if not partners:
                wizard.lookup_summary = False
                continue
            lookup = self.env["privacy.lookup.wizard"]._kommune_lookup(partners)
            found, others = Counter(), Counter()
            for theirs, elsewhere in lookup.values():
                found.update({model: len(ids) for model, ids in theirs.items()})
                others.update({model: len(ids) for model, ids in elsewhere.items()})
            wizard.lookup_summary = wizard._format_lookup_summary(found, +others)

    def action_anonymize(self):
        self.ensure_one()
        if not self.confirm:
            raise UserError(self.env._("Tick that you understand the erasure cannot be undone."))
        partners = self.partner_ids.with_context(active_test=False)
        self.env["kommune.privacy"]._anonymize(partners)
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

    def _format_lookup_summary(self, found, others):
        labels = self.env["kommune.privacy"]._get_erasure_labels()
        unchanged = self.env._("not changed")
        names = self.env["ir.model"]

        def line(model, count, what):
            return Markup("<li>%s: %s (%s)</li>") % (names._get(model).name, count, what)

        summary = Markup("<ul>%s</ul>") % Markup("").join(
            line(model, count, labels.get(model, unchanged))
            for model, count in sorted(found.items())
        )
        if others:
            summary += Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._(
                    "Found by the same name or address only, and left as they are (check "
                    "with Odoo's privacy lookup whether they are the same person):"
                ),
                Markup("").join(
                    Markup("<li>%s: %s</li>") % (names._get(model).name, count)
                    for model, count in sorted(others.items())
                ),
            )
        return summary
