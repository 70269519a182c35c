from datetime import datetime

from odoo.addons.kommune_interkulturell.tests.common_smtp import real_smtp
from odoo.tests import tagged

from .common_campaign import KommuneCampaignCommon


@tagged("post_install", "-at_install")
class TestCampaignTracking(KommuneCampaignCommon):
    """On the training: its campaigns with Odoo's mail statistics summed over the
    languages, and the registrations each campaign brought (the conversion)."""

    def test_campaign_statistics_and_conversion(self):
        form = self.invite_form()
        form.organization_ids.add(self.mo_arabic)
        campaign = self.env["utm.campaign"].browse(form.save().action_create_campaign()["res_id"])
        german, english = campaign.mailing_mail_ids.sorted("campaign_lang")
        campaign.action_send_invitations()
        self.assertEqual(set(campaign.mailing_mail_ids.mapped("state")), {"in_queue"})
        with real_smtp(self.env):
            campaign.mailing_mail_ids.action_send_mail()
        self.assertEqual(self.training.campaign_count, 1)
        self.assertEqual(
            self.training.action_open_campaigns()["domain"],
            [("training_id", "=", self.training.id)],
        )

        traces = campaign.mailing_mail_ids.mailing_trace_ids
        self.assertEqual(len(traces), 4)
        by_partner = {trace.res_id: trace for trace in traces}
        by_partner[self.nadi_fulltime.id].set_opened()
        by_partner[self.nadi_manager.id].set_opened()
        by_partner[self.nadi_manager.id].set_clicked()
        by_partner[self.nadi_volunteer.id].set_replied()
        by_partner[self.cancelled.id].set_bounced()

        # Two register through their links, a third one is registered by staff.
        for partner, mailing in ((self.nadi_manager, german), (self.nadi_volunteer, english)):
            self.training._register_participant(
                partner,
                source="invitation",
                consent=True,
                mailing_id=mailing.id,
                campaign_id=campaign.id,
            )
        self.training._register_participant(self.nadi_fulltime, consent=True)

        campaign.invalidate_recordset()
        self.assertEqual(
            [
                campaign.mailing_sent_count,
                campaign.mailing_delivered_count,
                campaign.mailing_opened_count,
                campaign.mailing_clicked_count,
                campaign.mailing_replied_count,
                campaign.mailing_bounced_count,
            ],
            [4, 3, 3, 1, 1, 1],
        )
        # The campaign's numbers are those of its mailings, summed.
        self.assertEqual(campaign.mailing_opened_count, german.opened + english.opened)
        self.assertEqual(campaign.training_registration_count, 2)
        self.assertEqual(campaign.training_conversion_rate, 66.67)
        self.training.invalidate_recordset()
        self.assertEqual(self.training.campaign_registration_count, 2)

        # A cancellation no longer counts as conversion.
        campaign.training_registration_ids.filtered(
            lambda registration: registration.partner_id == self.nadi_volunteer
        ).action_cancel()
        campaign.invalidate_recordset()
        self.assertEqual(campaign.training_registration_count, 1)

    def test_registrations_per_campaign_over_time(self):
        """The graph: registrations per campaign and day."""
        campaigns = self.env["utm.campaign"].create(
            [
                {"title": "Test Kampagne Frühjahr", "training_id": self.training.id},
                {"title": "Test Kampagne Erinnerung", "training_id": self.training.id},
            ]
        )
        self.training.seats_max = 0
        for partner, campaign, day in (
            (self.nadi_fulltime, campaigns[0], 1),
            (self.nadi_manager, campaigns[0], 1),
            (self.nadi_volunteer, campaigns[0], 2),
            (self.song_volunteer, campaigns[1], 2),
        ):
            registration = self.training._register_participant(
                partner, source="invitation", consent=True, campaign_id=campaign.id
            )
            registration.date_registered = datetime(2031, 1, day, 12, 0)
        action = self.training.action_open_campaign_registrations()
        self.assertEqual(action["res_model"], "kommune.training.registration")
        groups = self.env["kommune.training.registration"].formatted_read_group(
            action["domain"], ["date_registered:day", "campaign_id"], ["__count"]
        )
        counts = {
            (group["date_registered:day"][0][:10], group["campaign_id"][1]): group["__count"]
            for group in groups
        }
        self.assertEqual(
            counts,
            {
                ("2031-01-01", "Test Kampagne Frühjahr"): 2,
                ("2031-01-02", "Test Kampagne Frühjahr"): 1,
                ("2031-01-02", "Test Kampagne Erinnerung"): 1,
            },
        )
