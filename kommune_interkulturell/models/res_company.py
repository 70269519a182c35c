from odoo import fields, models

INVITATION_BASES = [
    ("consent", "Opt-in required"),
    ("legitimate_interest", "Legitimate interest for organisations' functional addresses"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    # Not required in the database: companies created while only the apps below this
    # addon are loaded (their at_install tests) would fail on a NOT NULL column. Empty
    # means opt-in, the strict choice.
    kommune_invitation_basis = fields.Selection(
        INVITATION_BASES,
        string="Invitations Need",
        default="consent",
        help="Who the network's invitations and newsletters may reach. Opt-in required: "
        "only people and organisations with a consent to invitations in force. Legitimate "
        "interest: in addition, organisations of the network at their functional "
        "address (e.g. info@), unless they objected; people always need their consent.",
    )
