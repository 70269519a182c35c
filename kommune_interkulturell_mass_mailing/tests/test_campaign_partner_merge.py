from odoo.addons.kommune_interkulturell.tests.common_privacy import PrivacyCommon
from odoo.tests import Form, tagged


@tagged("post_install", "-at_install")
class TestCampaignPartnerMerge(PrivacyCommon):
    """Odoo's merge wizard on duplicates registered for the same training, one of them
    through a campaign's invitation: the registration kept counts for that campaign
    (its mailing and campaign), as the merged one did."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.silent = cls.training.with_context(kommune_training_no_mail=True)
        cls.person = cls.persons[0]
        cls.duplicate = cls.env["res.partner"].create(
            {"name": "Test Teilnehmende Eins (Dublette)", "email": cls.person.email}
        )
        cls.campaign = cls.env["utm.campaign"].create({"name": "Test Kampagne Zusammenführen"})
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Test Einladung Zusammenführen",
                "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
                "training_id": cls.training.id,
                "campaign_id": cls.campaign.id,
            }
        )

    def merge(self, *partners, dst):
        partners = self.env["res.partner"].concat(*partners)
        Wizard = self.env["base.partner.merge.automatic.wizard"].with_user(self.user)
        form = Form(Wizard.with_context(active_model="res.partner", active_ids=partners.ids))
        form.dst_partner_id = dst
        form.save().action_merge()
        self.assertFalse((partners - dst).exists(), "the duplicates are gone")

    def test_kept_registration_counts_for_the_merged_ones_campaign(self):
        invited = self.silent._register_participant(
            self.duplicate,
            consent=False,
            source="invitation",
            mailing_id=self.mailing.id,
            campaign_id=self.campaign.id,
        )
        confirmed = self.silent._register_participant(self.person, consent=True)
        self.assertEqual((invited.state, confirmed.state), ("registered", "confirmed"))
        self.assertFalse(confirmed.mailing_id)

        self.merge(self.duplicate, self.person, dst=self.person)

        self.assertFalse(invited.exists())
        self.assertEqual(confirmed.partner_id, self.person)
        self.assertEqual(confirmed.mailing_id, self.mailing)
        self.assertEqual(confirmed.campaign_id, self.campaign)

    def test_kept_registration_keeps_its_own_campaign(self):
        other = self.env["utm.campaign"].create({"name": "Test Andere Kampagne"})
        self.silent._register_participant(
            self.duplicate, consent=False, mailing_id=self.mailing.id, campaign_id=other.id
        )
        kept = self.silent._register_participant(
            self.person, consent=True, mailing_id=self.mailing.id, campaign_id=self.campaign.id
        )

        self.merge(self.duplicate, self.person, dst=self.person)

        self.assertEqual(kept.campaign_id, self.campaign, "its own is not overwritten")
