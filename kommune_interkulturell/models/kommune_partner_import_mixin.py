from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

from .kommune_consent import CONSENT_CHANNELS, consent_day, consent_day_start
from .kommune_consent_purpose import PURPOSE_INVITATION

_lt = LazyTranslate(__name__)

# The import templates shipped in static/xls, offered in the import dialog of contacts.
IMPORT_TEMPLATES = [
    (_lt("Import Template for Organisations"), "kommune_organizations_import_template.xlsx"),
    (_lt("Import Template for Persons"), "kommune_persons_import_template.xlsx"),
]


class KommunePartnerImportMixin(models.AbstractModel):
    """What the network's spreadsheets bring besides a contact's own fields: the
    invitation consent a signed sign-up sheet records (date and channel), as two
    columns of the import templates. Writing them records the consent in the consent
    history (kommune.consent), where every other consent is.

    Inherited by res.partner only (its fields are the contact's)."""

    _name = "kommune.partner.import.mixin"
    _description = "Import Columns of a Contact"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    invitation_consent_date = fields.Date(
        string="Invitation Consent On",
        compute="_compute_invitation_consent",
        inverse="_inverse_invitation_consent",
        groups="kommune_interkulturell.group_kommune_user",
        help="Day the person consented to the network's invitations, e.g. on a signed "
        "sign-up sheet (empty: no consent to invitations in force). Entering it, e.g. "
        "in an import, records the consent; the history is under Consents.",
    )
    invitation_consent_channel = fields.Selection(
        CONSENT_CHANNELS,
        string="Invitation Consent Through",
        compute="_compute_invitation_consent",
        inverse="_inverse_invitation_consent",
        groups="kommune_interkulturell.group_kommune_user",
        help="How the consent to invitations was given; a signed paper form when only "
        "the date is entered.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_invitation_consent(self):
        consents = self._kommune_invitation_consents_in_force()
        by_partner = {consent.partner_id: consent for consent in consents}
        for partner in self:
            consent = by_partner.get(partner._origin)
            partner.invitation_consent_date = consent and consent_day(consent.date_given)
            partner.invitation_consent_channel = consent and consent.channel

    def _inverse_invitation_consent(self):
        to_record = self.filtered(
            lambda partner: partner.invitation_consent_date or partner.invitation_consent_channel
        )
        if missing_date := to_record.filtered(lambda partner: not partner.invitation_consent_date):
            raise ValidationError(
                self.env._(
                    "Enter the day %(names)s consented to invitations, not only how.",
                    names=", ".join(missing_date.mapped("display_name")),
                )
            )
        in_force = to_record._kommune_invitation_consents_in_force().partner_id
        purpose = self.env["kommune.consent.purpose"]._get_by_code(PURPOSE_INVITATION)
        # A consent in force stays as it is: a spreadsheet imported twice records
        # nothing twice, and a consent is never edited into another one.
        self.env["kommune.consent"].create(
            [
                {
                    "partner_id": partner.id,
                    "purpose_id": purpose.id,
                    "date_given": consent_day_start(partner.invitation_consent_date),
                    "channel": partner.invitation_consent_channel or "paper",
                }
                for partner in to_record - in_force
            ]
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _kommune_import_templates(self):
        """The network's templates in the import dialog of contacts (see
        res.partner.get_import_templates)."""
        return [
            {
                "label": label._translate(self.env.lang),
                "template": f"/kommune_interkulturell/static/xls/{filename}",
            }
            for label, filename in IMPORT_TEMPLATES
        ]

    def _kommune_invitation_consents_in_force(self):
        """The consents to invitations in force of these partners, given to the
        current company."""
        return self.env["kommune.consent"].search(
            [
                ("partner_id", "in", self._origin.ids),
                ("purpose_id.code", "=", PURPOSE_INVITATION),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "given"),
            ]
        )
