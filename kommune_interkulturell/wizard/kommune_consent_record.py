from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..models.kommune_consent import CONSENT_CHANNELS, consent_day_start


class KommuneConsentRecord(models.TransientModel):
    """Record the consents people gave on paper (a sign-up sheet at an event, a signed
    form), for several people at once: one consent each in the consent history, the
    scanned form attached to each.

    A later withdrawal wins: somebody who withdrew the same purpose on or after the
    day of the paper form is refused (kommune.consent._check_not_withdrawn_since: the
    consent counts from the start of that day in Berlin)."""

    _name = "kommune.consent.record"
    _description = "Record Consents Given on Paper"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Persons",
        required=True,
        default=lambda self: self._default_partner_ids(),
    )
    purpose_id = fields.Many2one(
        "kommune.consent.purpose",
        required=True,
        help="What the people consented to, as the form says.",
    )
    channel = fields.Selection(
        CONSENT_CHANNELS,
        string="Given Through",
        required=True,
        default="paper",
    )
    date_given = fields.Date(
        string="Given On",
        required=True,
        default=fields.Date.context_today,
        help="The day the form was signed, not the day it is entered.",
    )
    scan = fields.Binary(
        string="Scanned Form",
        help="The signed form (PDF or image), attached to each consent as evidence.",
    )
    scan_filename = fields.Char()

    @api.model
    def _default_partner_ids(self):
        if self.env.context.get("active_model") == "res.partner":
            return [fields.Command.set(self.env.context.get("active_ids") or [])]
        return []

    def action_record(self):
        self.ensure_one()
        self._check_none_in_force()
        consents = self.env["kommune.consent"].create(
            [
                {
                    "partner_id": partner.id,
                    "purpose_id": self.purpose_id.id,
                    "channel": self.channel,
                    "date_given": consent_day_start(self.date_given),
                }
                for partner in self.partner_ids
            ]
        )
        for consent in consents:
            attachments = self.env["ir.attachment"]
            if self.scan:
                attachments = attachments.create(
                    {
                        "name": self.scan_filename or self.env._("Consent form"),
                        "datas": self.scan,
                        "res_model": consent._name,
                        "res_id": consent.id,
                    }
                )
            consent.message_post(
                body=self.env._(
                    "Consent given on %(date)s recorded from a form (%(channel)s).",
                    date=format_date(self.env, self.date_given),
                    channel=dict(self._fields["channel"]._description_selection(self.env))[
                        self.channel
                    ],
                ),
                attachment_ids=attachments.ids,
                subtype_xmlid="mail.mt_note",
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s consents recorded: %(purpose)s.",
                    count=len(consents),
                    purpose=self.purpose_id.name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _consents_of_purpose(self, domain):
        return self.env["kommune.consent"].search(
            [
                ("partner_id", "in", self.partner_ids.ids),
                ("purpose_id", "=", self.purpose_id.id),
                ("company_id", "=", self.env.company.id),
                *domain,
            ]
        )

    def _check_none_in_force(self):
        in_force = self._consents_of_purpose([("state", "in", ("given", "pending"))])
        if in_force:
            raise UserError(
                self.env._(
                    "%(names)s already consented to “%(purpose)s”: remove them from the "
                    "list (each person has one consent in force per purpose).",
                    names=", ".join(in_force.partner_id.mapped("display_name")),
                    purpose=self.purpose_id.name,
                )
            )
