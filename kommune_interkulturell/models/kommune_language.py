from odoo import fields, models


class KommuneLanguage(models.Model):
    """Languages the network works in: served by organisations, spoken in trainings.

    Not ``res.lang``: that model lists the interface languages Odoo can be installed in,
    while Tigrinya, Kurdish or Dari matter here and never need to be activated."""

    _name = "kommune.language"
    _inherit = ["kommune.tag.mixin"]
    _description = "Language"

    code = fields.Char(help="ISO 639 code, e.g. 'ar' for Arabic.")
