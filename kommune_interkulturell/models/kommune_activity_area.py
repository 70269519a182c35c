from odoo import models


class KommuneActivityArea(models.Model):
    """Fields of activity of organisations, e.g. counselling or further education."""

    _name = "kommune.activity.area"
    _inherit = ["kommune.tag.mixin"]
    _description = "Field of activity"
