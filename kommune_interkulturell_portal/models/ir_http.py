from odoo import api, models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @api.model
    def _get_kommune_personal_link_paths(self):
        # The catalogue's registration link of a person the network knows already.
        return [*super()._get_kommune_personal_link_paths(), "/kommune/schulungen/confirm"]
