from odoo import models


class KommuneTargetGroup(models.Model):
    """Target groups of organisations, e.g. refugees or young people."""

    _name = "kommune.target.group"
    _inherit = ["kommune.tag.mixin"]
    _description = "Target group"
