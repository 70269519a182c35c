from odoo import fields, models


class KommuneTrainingRegistration(models.Model):
    """Where a registration came from: the campaign mail whose personal link the person
    registered with."""

    _inherit = "kommune.training.registration"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # Both set by the personal link of a campaign mail. The campaign is kept even when
    # its mailing is deleted: the conversion belongs to the campaign.
    mailing_id = fields.Many2one(
        "mailing.mailing",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The campaign mail whose personal link the person registered with.",
    )
    campaign_id = fields.Many2one(
        "utm.campaign",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
