from odoo import models


class KommuneCommunity(models.Model):
    """Communities served, e.g. Arabic-speaking or Vietnamese communities."""

    _name = "kommune.community"
    _inherit = ["kommune.tag.mixin"]
    _description = "Community served by migrant organisations"
