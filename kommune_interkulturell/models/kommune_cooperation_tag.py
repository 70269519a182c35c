from odoo import models


class KommuneCooperationTag(models.Model):
    """Free tags on cooperations, e.g. "Ausbildung" or "Frauen"."""

    _name = "kommune.cooperation.tag"
    _inherit = ["kommune.tag.mixin"]
    _description = "Cooperation Tag"
