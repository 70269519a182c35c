from odoo import api, models


class MailRenderMixin(models.AbstractModel):
    """Keep the personal links out of the link shortener, whoever shortens: mass
    mailing's rendering of each recipient's mail and of the mailing's body, the text
    version of SMS mailings."""

    _inherit = "mail.render.mixin"

    @api.model
    def _shorten_links(self, html, link_tracker_vals, blacklist=None, base_url=None):
        return super()._shorten_links(
            html,
            link_tracker_vals,
            blacklist=self._get_shortener_blacklist(blacklist),
            base_url=base_url,
        )

    @api.model
    def _shorten_links_text(self, content, link_tracker_vals, blacklist=None, base_url=None):
        return super()._shorten_links_text(
            content,
            link_tracker_vals,
            blacklist=self._get_shortener_blacklist(blacklist),
            base_url=base_url,
        )

    @api.model
    def _get_shortener_blacklist(self, blacklist=None):
        """The caller's blacklist of the shortener and the personal links."""
        return [*(blacklist or ()), *self.env["ir.http"]._get_kommune_personal_link_patterns()]
