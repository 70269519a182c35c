from odoo import api, models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @api.model
    def _get_kommune_personal_link_paths(self):
        # The registration page of a campaign's invitation and its forms.
        return [*super()._get_kommune_personal_link_paths(), "/kommune/invitation"]
