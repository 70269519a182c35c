import re

from odoo import api, models

# The paths of the personal links: public pages opened with a signed token that stands
# for one person - their registration page of a training (with its register and cancel
# forms), the confirmation of their sign-up for invitations. Whoever holds such a link
# acts as that person. Odoo's link shortener must never hold one: its short links
# (/r/<code>, a few random characters, public) can be enumerated. Every route of the
# addon that takes a token belongs under one of these paths; add the path of a new one
# here: the shortener and the upgrade to 19.0.1.2.0 read it, a test checks the routes.
PERSONAL_LINK_PATHS = (
    "/kommune/invitation",
    "/kommune/subscribe/confirm",
)


def get_personal_link_patterns():
    """The personal paths as entries of the link shortener's blacklist: regular
    expressions that the shortener searches, followed by "/", "?", "#" or the end, in
    the whole address of an HTML link (a personal link in another address's parameters
    is kept too) and in the path of a link in text (see link_tracker's
    find_links_with_urls_and_labels and mail.render.mixin._shorten_links_text)."""
    return [re.escape(path) for path in PERSONAL_LINK_PATHS]


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
        return [*(blacklist or ()), *get_personal_link_patterns()]
