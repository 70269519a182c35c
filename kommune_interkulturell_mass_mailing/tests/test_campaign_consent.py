from odoo.addons.kommune_interkulturell.tests.common_smtp import real_smtp
from odoo.tests import tagged

from .common_campaign import KommuneCampaignCommon


@tagged("post_install", "-at_install")
class TestCampaignConsent(KommuneCampaignCommon):
    """Campaigns reach only people with a legal basis for invitations: the wizard's
    audience shows who lacks a consent, and the consent is checked again when the mails
    are sent, so that a withdrawal between the campaign's creation and its sending is
    respected."""

    def create_campaign(self):
        form = self.invite_form()
        form.organization_ids.add(self.mo_arabic)
        wizard = form.save()
        campaign = self.env["utm.campaign"].browse(wizard.action_create_campaign()["res_id"])
        return wizard, campaign.mailing_mail_ids.filtered(
            lambda mailing: mailing.campaign_lang == "de_DE"
        )

    def test_wizard_lists_people_without_consent(self):
        wizard = self.invite_form(role_volunteer=True).save()
        recipients = self.recipients(wizard._get_recipient_domain())
        self.assertNotIn(self.no_consent, recipients)
        self.assertIn(self.nadi_volunteer, recipients)
        self.assertIn(self.no_consent, wizard.no_consent_partner_ids)
        self.assertEqual(wizard.no_consent_count, len(wizard.no_consent_partner_ids))
        # Nobody who is out of reach for another reason is listed as lacking consent.
        self.assertFalse(wizard.no_consent_partner_ids & (self.excluded - self.no_consent))

        self.env["kommune.consent"].create(
            {"partner_id": self.no_consent.id, "purpose_id": self.purpose_invitation.id}
        )
        wizard = self.invite_form(role_volunteer=True).save()
        self.assertIn(self.no_consent, self.recipients(wizard._get_recipient_domain()))
        self.assertNotIn(self.no_consent, wizard.no_consent_partner_ids)

    def test_withdrawal_before_sending_is_respected(self):
        _wizard, german = self.create_campaign()
        self.assertIn(self.nadi_fulltime.id, german._get_recipients())
        self.nadi_fulltime.kommune_consent_ids.action_withdraw()
        with real_smtp(self.env) as sink:
            german.action_send_mail()
        mailed = {address for recipients, _message in sink.messages for address in recipients}
        self.assertNotIn(self.nadi_fulltime.email_normalized, mailed)
        self.assertIn(self.nadi_manager.email_normalized, mailed)
        self.assertNotIn(self.nadi_fulltime.id, german.mailing_trace_ids.mapped("res_id"))

    def test_opt_in_required_setting(self):
        """With legitimate interest allowed, people still need their own consent: the
        setting only covers organisations' functional addresses."""
        self.env.company.kommune_invitation_basis = "legitimate_interest"
        wizard = self.invite_form(role_volunteer=True).save()
        self.assertNotIn(self.no_consent, self.recipients(wizard._get_recipient_domain()))

    def test_consent_of_the_training_company_counts(self):
        other = self.env["res.company"].create({"name": "Test Zweiter Träger"})
        self.nadi_manager.kommune_consent_ids.action_withdraw()
        self.env["kommune.consent"].create(
            {
                "partner_id": self.nadi_manager.id,
                "purpose_id": self.purpose_invitation.id,
                "company_id": other.id,
            }
        )
        wizard = self.invite_form(role_management=True).save()
        self.assertIn(self.song_manager, self.recipients(wizard._get_recipient_domain()))
        self.assertNotIn(self.nadi_manager, self.recipients(wizard._get_recipient_domain()))
        self.assertIn(self.nadi_manager, wizard.no_consent_partner_ids)

    def test_unsubscribing_withdraws_the_consent(self):
        consent = self.nadi_volunteer.kommune_consent_ids
        self.assertEqual(consent.state, "given")
        self.nadi_volunteer._set_invitation_opt_out()
        self.assertEqual(consent.state, "withdrawn")
        self.assertTrue(consent.date_withdrawn)
