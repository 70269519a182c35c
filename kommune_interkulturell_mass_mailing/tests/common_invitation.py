from odoo.addons.kommune_interkulturell.tests.common_public import PublicPagesCommon

from .common_campaign import KommuneCampaignCommon


class InvitationPagesCommon(PublicPagesCommon, KommuneCampaignCommon):
    """The pages of the personal link over HTTP: a mailing of the training's campaign,
    personal links."""

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
