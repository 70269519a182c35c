import re
from urllib.parse import urlencode

from odoo.addons.kommune_interkulturell.tests.common_privacy import PrivacyCommon
from odoo.addons.kommune_interkulturell.tests.common_public import CSRF_RE
from odoo.tests import tagged

from .common_invitation import InvitationPagesCommon

CONFIRM_RE = re.compile(r'href="[^"]*(/kommune/subscribe/confirm/[^"]+)"')


@tagged("post_install", "-at_install")
class TestCampaignOptOut(PrivacyCommon):
    """Every mailing on contacts skips the address of who opted out of invitations
    (mass mailing's opt-out list), until the person's new consent takes it back."""

    def test_opt_out_list_of_mailings(self):
        person = self.persons[0]
        Partner = self.env["res.partner"]
        person.with_user(self.user).invitation_opt_out = True
        self.assertIn(
            person.email_normalized, Partner._mailing_get_opt_out_list(self.env["mailing.mailing"])
        )
        pending = self.env["kommune.consent"].create(
            {
                "partner_id": person.id,
                "purpose_id": self.purpose_invitation.id,
                "confirmation_pending": True,
                "channel": "web",
            }
        )
        self.assertIn(
            person.email_normalized,
            Partner._mailing_get_opt_out_list(self.env["mailing.mailing"]),
            "not before the sign-up is confirmed",
        )
        pending._action_confirm()
        self.assertNotIn(
            person.email_normalized, Partner._mailing_get_opt_out_list(self.env["mailing.mailing"])
        )


@tagged("post_install", "-at_install")
class TestInvitationRoundTrip(InvitationPagesCommon):
    """A person who unsubscribed and later signs up again is invited again: the
    unsubscribe link of a campaign, the public sign-up, the confirmation link, then a
    campaign and Invite Persons reach her."""

    def campaign_recipients(self):
        """Whom a campaign to her reaches (what the Invite wizard counts and every
        mailing of the campaign applies when sending)."""
        return self.env["res.partner"].search(
            self.training._get_invitation_recipient_domain([("id", "=", self.person.id)])
        )

    def invite_persons(self):
        wizard = (
            self.env["kommune.training.invite"]
            .with_user(self.user)
            .create({"training_id": self.training.id, "partner_ids": [(6, 0, self.person.ids)]})
        )
        return wizard, {line.partner_id: line.reason for line in wizard.exclusion_ids}

    def test_unsubscribe_sign_up_confirm_invited_again(self):
        self.person = self.nadi_volunteer
        email = self.person.email_normalized
        self.assertEqual(self.campaign_recipients(), self.person)

        # Odoo's unsubscribe page of the campaign's mailing.
        query = urlencode(
            {
                "document_id": self.person.id,
                "email": email,
                "hash_token": self.mailing._generate_mailing_recipient_token(self.person.id, email),
            }
        )
        self.assertEqual(
            self.url_open(f"/mailing/{self.mailing.id}/unsubscribe?{query}").status_code, 200
        )
        self.env.invalidate_all()
        self.assertTrue(self.person.invitation_opt_out)
        self.assertEqual(self.person.kommune_consent_ids.state, "withdrawn")
        self.assertFalse(self.campaign_recipients())
        self.assertEqual(self.invite_persons()[1], {self.person: "opt_out"})

        # She signs up again on the public page...
        page = self.url_open("/kommune/subscribe")
        response = self.url_open(
            "/kommune/subscribe",
            data={
                "csrf_token": CSRF_RE.search(page.text).group(1),
                "name": self.person.name,
                "email": self.person.email,
                "organization": "",
                "lang": "de_DE",
                "consent": "1",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        pending = self.person.kommune_consent_ids.filtered(
            lambda consent: consent.state == "pending"
        )
        self.assertTrue(pending)
        self.assertTrue(self.person.invitation_opt_out, "not before she confirmed")

        # ... and confirms through the link mailed to her.
        (mail,) = self.env["mail.mail"].search(
            [("model", "=", "kommune.consent"), ("res_id", "=", pending.id)]
        )
        link = CONFIRM_RE.search(mail.body_html).group(1)
        page = self.url_open(link)
        confirmed = self.url_open(link, data={"csrf_token": CSRF_RE.search(page.text).group(1)})
        self.assertEqual(confirmed.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(pending.state, "given")

        # Invited again: no opt-out left, in a campaign and one by one.
        self.assertFalse(self.person.invitation_opt_out)
        campaign = self.training._create_invitation_campaign([("id", "=", self.person.id)])
        self.assertEqual(campaign.mailing_mail_ids._get_recipients(), self.person.ids)
        wizard, refused = self.invite_persons()
        self.assertFalse(refused)
        wizard.action_invite()
        registration = self.training.registration_ids.filtered(
            lambda registration: registration.partner_id == self.person
        )
        self.assertEqual(registration.state, "invited")
