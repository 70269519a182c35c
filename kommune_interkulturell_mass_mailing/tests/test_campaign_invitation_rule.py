from odoo.addons.kommune_interkulturell.tests.common_invitation_rule import InvitationRuleCommon
from odoo.addons.kommune_interkulturell.tests.common_smtp import real_smtp
from odoo.fields import Domain
from odoo.tests import tagged

from .common_campaign import KommuneCampaignCommon


@tagged("post_install", "-at_install")
class TestCampaignInvitationRule(InvitationRuleCommon, KommuneCampaignCommon):
    """Campaigns apply the one rule of who may be invited: the Invite wizard counts with
    it, and every mailing applies it again when it is sent."""

    def browse_recipients(self, mailings):
        return self.env["res.partner"].browse(mailings._get_recipients())

    def test_campaign(self):
        """The Invite wizard counts with the rule, and every mailing of the campaign
        applies it again when it is sent - also after staff edited its recipients in
        Email Marketing, and for what changed since (a blocklisted address)."""
        form = self.invite_form(user=self.user)
        form.organization_ids.add(self.org)
        wizard = form.save()
        self.assertEqual(
            self.env["res.partner"].search(wizard._get_recipient_domain()),
            self.invitable | self.invitable_too,
        )
        self.assertEqual(wizard.recipient_count, 2)
        self.assertEqual(wizard.no_consent_partner_ids, self.without_consent)
        campaign = self.env["utm.campaign"].browse(wizard.action_create_campaign()["res_id"])
        mailings = campaign.with_user(self.user).mailing_mail_ids
        self.assertEqual(self.browse_recipients(mailings), self.invitable | self.invitable_too)
        # Staff open the mailing and pick the recipients by hand: the organisation's people.
        mailings.write({"mailing_domain": repr([("parent_id", "=", self.org.id)])})
        self.assertEqual(self.browse_recipients(mailings), self.invitable | self.invitable_too)
        self.assertEqual(sum(mailings.mapped("total")), 2)
        # Ida's address lands on the blocklist before the campaign goes out.
        self.env["mail.blacklist"]._add(self.invitable_too.email)
        campaign.with_user(self.user).action_send_invitations()
        with real_smtp(self.env) as sink:
            mailings.action_send_mail()
        mailed = {address for recipients, _message in sink.messages for address in recipients}
        self.assertEqual(mailed, {self.invitable.email_normalized})
        self.assertEqual(mailings.mailing_trace_ids.mapped("res_id"), self.invitable.ids)

    def test_campaign_to_organisations_under_legitimate_interest(self):
        """Organisations of the network are reached at their functional address unless
        they objected; their people still need their own consent - also in a mailing
        whose recipients staff changed."""
        self.env.company.kommune_invitation_basis = "legitimate_interest"
        audience = Domain("id", "in", (self.people | self.org | self.objecting_org).ids)
        campaign = self.training.with_user(self.user)._create_invitation_campaign(audience)
        mailing = campaign.with_user(self.user).mailing_mail_ids
        everybody = self.invitable | self.invitable_too | self.org
        self.assertEqual(self.browse_recipients(mailing), everybody)
        mailing.write({"mailing_domain": repr(list(audience))})
        self.assertEqual(self.browse_recipients(mailing), everybody)
