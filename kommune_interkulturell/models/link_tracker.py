from werkzeug import urls

from odoo import api, models

INVITATION_PATH = "/kommune/invitation/"


class LinkTracker(models.Model):
    _inherit = "link.tracker"

    @api.model
    def _get_title_from_url(self, url):
        # A campaign tracks every recipient's personal registration link, one tracker
        # each: fetching each page for its title would cost one HTTP request to this very
        # server per recipient while the campaign is being sent.
        if urls.url_parse(url).path.startswith(INVITATION_PATH):
            return self.env._("Personal registration link")
        return super()._get_title_from_url(url)
