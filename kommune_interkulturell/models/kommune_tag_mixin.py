from random import randint

from odoo import fields, models


class KommuneTagMixin(models.AbstractModel):
    """Small configurable vocabularies of the network (communities, languages, fields
    of activity, target groups, cooperation kinds): a translatable name, an order, a
    colour for tags."""

    _name = "kommune.tag.mixin"
    _description = "Kommune Interkulturell vocabulary"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    # Kanban cards hide tags of colour 0: start every new entry with a visible colour.
    color = fields.Integer(default=lambda self: randint(1, 11))
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _name_unique = models.UniqueIndex("(name)", "This name is already used.")
