from odoo.fields import Command
from odoo.tests import tagged

from .common_campaign import KommuneCampaignCommon


@tagged("post_install", "-at_install")
class TestCampaignAudience(KommuneCampaignCommon):
    """The Invite wizard's audience: each dimension of the network, the exclusions, the
    live count and sample, organisations nobody can be reached at, saved audiences."""

    def audience(self, **values):
        """Recipients (test network only) of the wizard with these criteria."""
        wizard = self.invite_form(**values).save()
        return self.recipients(wizard._get_recipient_domain())

    def test_base_audience_is_the_networks_reachable_persons(self):
        everybody = self.audience()
        reachable = (
            self.network
            - self.excluded
            - self.silent_person  # no e-mail
            - self.invoice_address  # an address, not a person
        )
        self.assertEqual(everybody, reachable)
        self.assertIn(self.cancelled, everybody, "a cancelled registration is invited again")
        self.assertNotIn(self.trainer, everybody, "not in the network: no organisation type")

    def test_categories(self):
        migrant = self.audience(category_migrant_organization=True)
        self.assertEqual(
            migrant,
            (self.mo_person | self.persons | self.nadi_fulltime | self.nadi_volunteer)
            | (self.nadi_manager | self.song_volunteer | self.song_manager | self.cancelled),
        )
        administration_or_labour_market = self.audience(
            category_administration=True, category_labour_market=True
        )
        self.assertEqual(administration_or_labour_market, self.admin_staff | self.jobcenter_staff)

    def test_types(self):
        form = self.invite_form()
        form.organization_type_ids.add(self.type_jobcenter)
        self.assertEqual(self.recipients(form.save()._get_recipient_domain()), self.jobcenter_staff)

    def test_districts_main_or_active_in(self):
        form = self.invite_form()
        form.district_ids.add(self.district_mitte)
        wizard = form.save()
        self.assertEqual(wizard.district_scope, "active")
        # Mitte: the jobcenter's main district, and where the test MO is active too.
        self.assertEqual(
            self.recipients(wizard._get_recipient_domain()),
            self.jobcenter_staff | self.mo_person | self.persons,
        )
        wizard.district_scope = "main"
        self.assertEqual(self.recipients(wizard._get_recipient_domain()), self.jobcenter_staff)

    def test_communities_and_languages_served(self):
        form = self.invite_form()
        form.community_ids.add(self.community_vietnamese)
        self.assertEqual(
            self.recipients(form.save()._get_recipient_domain()),
            self.song_volunteer | self.song_manager,
        )
        form = self.invite_form()
        form.served_language_ids.add(self.language_ar)
        self.assertEqual(
            self.recipients(form.save()._get_recipient_domain()),
            self.nadi_fulltime | self.nadi_volunteer | self.nadi_manager | self.cancelled,
        )

    def test_roles(self):
        self.assertEqual(self.audience(role_management=True), self.nadi_manager | self.song_manager)
        self.assertEqual(
            self.audience(role_administration=True, role_fulltime=True),
            self.admin_staff | self.jobcenter_staff | self.nadi_fulltime,
        )

    def test_former_participants_of_a_topic(self):
        form = self.invite_form()
        form.topic_ids.add(self.topic_recognition)
        self.assertEqual(self.recipients(form.save()._get_recipient_domain()), self.song_volunteer)
        # Registered for a recognition training that has not taken place: not "former".
        upcoming = self.training.copy({"topic_id": self.topic_recognition.id})
        upcoming._register_participant(self.jobcenter_staff, consent=True)
        self.assertEqual(self.recipients(form.save()._get_recipient_domain()), self.song_volunteer)

    def test_dimensions_combine(self):
        """Dimensions AND, values within one dimension OR."""
        form = self.invite_form(category_migrant_organization=True, role_volunteer=True)
        form.district_ids.add(self.district_spandau)
        form.district_ids.add(self.district_lichtenberg)
        self.assertEqual(
            self.recipients(form.save()._get_recipient_domain()),
            self.nadi_volunteer | self.song_volunteer | self.cancelled,
        )

    def test_people_of_chosen_organisations(self):
        wizard = (
            self.env["kommune.campaign.invite"]
            .with_context(
                active_model="res.partner", active_ids=(self.mo_vietnamese | self.jobcenter).ids
            )
            .create({"training_id": self.training.id})
        )
        self.assertEqual(wizard.organization_ids, self.mo_vietnamese | self.jobcenter)
        self.assertEqual(
            self.recipients(wizard._get_recipient_domain()),
            self.song_volunteer | self.song_manager | self.jobcenter_staff,
        )

    def test_exclusions_with_and_without(self):
        """Opted out, blocklisted, without e-mail, registered, without consent: skipped
        while it holds."""
        domain = self.invite_form(role_volunteer=True).save()._get_recipient_domain()
        self.assertFalse(self.recipients(domain) & self.excluded)
        self.env["kommune.consent"].with_user(self.manager).create(
            {"partner_id": self.opted_out.id, "purpose_id": self.purpose_invitation.id}
        )
        self.env["mail.blacklist"]._remove(self.blocklisted.email)
        self.no_email.email = "nina@test-campaign.example.org"
        self.training.registration_ids.filtered(
            lambda registration: registration.partner_id == self.registered
        ).action_cancel()
        self.env["kommune.consent"].create(
            {"partner_id": self.no_consent.id, "purpose_id": self.purpose_invitation.id}
        )
        self.assertEqual(self.recipients(domain) & self.excluded, self.excluded)

    def test_live_count_sample_and_languages(self):
        names = dict(self.env["res.lang"].get_installed())
        german, english = names["de_DE"], names["en_US"]
        form = self.invite_form()
        form.organization_ids.add(self.mo_arabic)
        # Rana (de), Sami (en), Hala (de), Carl (de, cancelled before)
        self.assertEqual(form.recipient_count, 4)
        self.assertEqual(form.lang_summary, f"{german}: 3 · {english}: 1")
        self.assertEqual(
            form.save().sample_partner_ids,
            self.nadi_volunteer | self.nadi_manager | self.nadi_fulltime | self.cancelled,
        )
        form.role_volunteer = True
        self.assertEqual(form.recipient_count, 2)
        self.assertEqual(form.lang_summary, f"{german}: 1 · {english}: 1")
        # Other languages count with the first (fallback) language of the campaign.
        self.nadi_volunteer.lang = False
        form.role_fulltime = True
        self.assertEqual(form.lang_summary, f"{german}: 3 · {english}: 0")

    def test_unreachable_organisations(self):
        wizard = self.invite_form(category_migrant_organization=True).save()
        self.assertIn(self.mo_silent, wizard.unreachable_organization_ids)
        self.assertNotIn(self.mo_arabic, wizard.unreachable_organization_ids)
        self.assertEqual(wizard.unreachable_count, len(wizard.unreachable_organization_ids))
        # An organisation of another category is not this audience's concern.
        wizard.category_migrant_organization = False
        wizard.category_administration = True
        self.assertNotIn(self.mo_silent, wizard.unreachable_organization_ids)
        # Once somebody there has an address, it is reachable.
        self.silent_person.email = "ohne@test-stumm.example.org"
        wizard.category_migrant_organization = True
        self.assertNotIn(self.mo_silent, wizard.unreachable_organization_ids)

    def test_saved_audience(self):
        """An audience saved as Odoo mailing filter on contacts, reused for another
        training: the criteria come back, the exclusions are the new training's."""
        form = self.invite_form(role_volunteer=True, audience_name="Test Ehrenamtliche")
        form.community_ids.add(self.community_arabic)
        wizard = form.save()
        expected = self.recipients(wizard._get_recipient_domain())
        wizard.action_save_audience()
        saved = wizard.mailing_filter_id
        self.assertEqual(saved.name, "Test Ehrenamtliche")
        self.assertEqual(saved.mailing_model_id.model, "res.partner")
        self.assertEqual(self.recipients(wizard._get_recipient_domain()), expected)

        other = self.training.copy({"name": "Test Zweite Schulung"})
        reuse = (
            self.env["kommune.campaign.invite"]
            .with_context(default_training_id=other.id)
            .create({"mailing_filter_id": saved.id})
        )
        # The person registered for the first training is invited to the second one.
        self.assertEqual(
            self.recipients(reuse._get_recipient_domain()),
            expected | self.registered,
        )

    def test_wizard_from_organisations_list_picks_a_training(self):
        wizard = (
            self.env["kommune.campaign.invite"]
            .with_context(active_model="res.partner", active_ids=self.mo_silent.ids)
            .create({"training_id": self.training.id})
        )
        self.assertEqual(wizard.recipient_count, 0)
        self.assertEqual(wizard.unreachable_organization_ids, self.mo_silent)
        wizard.organization_ids = [Command.link(self.mo_vietnamese.id)]
        self.assertEqual(wizard.recipient_count, 2)
