import re

from odoo.tests import HttpCase

from .common_campaign import KommuneCampaignCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class PublicPagesCommon(HttpCase, KommuneCampaignCommon):
    """The public pages over HTTP: a mailing of the training's campaign, personal links,
    requests as a browser sends them (CSRF token of the page)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Test Einladung",
                "body_html": "<p>Hallo</p>",
                "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
                "email_from": "netzwerk@test-campaign.example.org",
                "training_id": cls.training.id,
                "campaign_id": cls.env["utm.campaign"]
                .create({"title": "Test Kampagne", "training_id": cls.training.id})
                .id,
            }
        )

    def link(self, partner, training=None, mailing=None):
        training = training or self.training
        token = training._get_invitation_token(
            partner, self.mailing if mailing is None else mailing
        )
        return f"/kommune/invitation/{token}"

    def get(self, url, lang=None):
        headers = {"Accept-Language": lang} if lang else None
        return self.url_open(url, headers=headers)

    def post(self, url, action, data=None, lang=None):
        """Submit a form of the page at ``url`` the way a browser does (CSRF token)."""
        page = self.get(url, lang=lang)
        token = CSRF_RE.search(page.text).group(1)
        headers = {"Accept-Language": lang} if lang else None
        return self.url_open(
            f"{url}/{action}", data={"csrf_token": token, **(data or {})}, headers=headers
        )
