from odoo.tests import tagged, users, warmup

from .common_campaign import KommuneCampaignCommon


@tagged("post_install", "-at_install")
class TestCampaignPerformance(KommuneCampaignCommon):
    """The Invite wizard recounts its audience on every change: a fixed number of
    queries, whatever the size of the network (counts, sample and languages are each
    one grouped query on the database)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        organizations = cls.env["res.partner"].create(
            [
                {
                    "name": f"Perf MO {index}",
                    "is_company": True,
                    "organization_type_id": cls.type_mo.id,
                    "district_id": cls.district_neukoelln.id,
                    "community_ids": [(6, 0, cls.community_arabic.ids)],
                }
                for index in range(20)
            ]
        )
        persons = cls.env["res.partner"].create(
            [
                {
                    "name": f"Perf Person {index}",
                    "parent_id": organizations[index % 20].id,
                    "email": f"perf{index}@test-campaign.example.org",
                    "network_role": "volunteer" if index % 2 else "fulltime",
                    "lang": "en_US" if index % 3 else "de_DE",
                }
                for index in range(300)
            ]
        )
        # Two in three agreed to invitations; the others are listed as without consent.
        cls.env["kommune.consent"].create(
            [
                {"partner_id": person.id, "purpose_id": cls.purpose_invitation.id}
                for index, person in enumerate(persons)
                if index % 3
            ]
        )

    @users("ki_user")
    @warmup
    def test_audience_count(self):
        wizard = (
            self.env["kommune.campaign.invite"]
            .with_context(default_training_id=self.training.id)
            .create(
                {
                    "category_migrant_organization": True,
                    "role_volunteer": True,
                    "district_ids": [(6, 0, self.district_neukoelln.ids)],
                    "community_ids": [(6, 0, self.community_arabic.ids)],
                }
            )
        )
        wizard.invalidate_recordset()
        # The wizard's criteria (read cold here), then one query each for the count, the
        # sample and its names, the split by language, the unreachable organisations,
        # the people without consent (count and list).
        with self.assertQueryCount(ki_user=23):
            self.assertGreaterEqual(wizard.recipient_count, 100)
            self.assertEqual(len(wizard.sample_partner_ids), 10)
            self.assertTrue(wizard.lang_summary)
            wizard.unreachable_organization_ids.mapped("name")
            self.assertGreaterEqual(wizard.no_consent_count, 50)
