from datetime import datetime, timedelta

from odoo.addons.kommune_interkulturell.tests.common_training import KommuneTrainingCommon


class KommuneCampaignCommon(KommuneTrainingCommon):
    """A small network of its own for invitation campaigns.

    Organisations in each category and several districts, persons with roles and
    languages, and the people every campaign must skip: opted out, blocklisted, without
    e-mail, already registered. The demo network is in the database too: tests compare
    audiences on their own persons (``self.network``) only.

    The training of KommuneTrainingCommon (2 seats, sessions in March 2031) is the one
    people are invited to."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        ref = cls.env.ref
        cls.district_lichtenberg = ref("kommune_interkulturell.district_berlin_lichtenberg")
        cls.community_arabic = ref("kommune_interkulturell.community_arabic_speaking_communities")
        cls.community_vietnamese = ref("kommune_interkulturell.community_vietnamese_community")
        cls.language_ar = ref("kommune_interkulturell.language_ar")
        cls.language_vi = ref("kommune_interkulturell.language_vi")
        cls.topic_recognition = ref("kommune_interkulturell.training_topic_recognition")
        cls.type_jobcenter = ref("kommune_interkulturell.organization_type_jobcenter")

        Partner = cls.env["res.partner"]
        cls.mo_arabic = Partner.create(
            {
                "name": "Test MO Nadi e.V.",
                "is_company": True,
                "organization_type_id": cls.type_mo.id,
                "district_id": cls.district_spandau.id,
                "community_ids": [(6, 0, cls.community_arabic.ids)],
                "served_language_ids": [(6, 0, cls.language_ar.ids)],
            }
        )
        cls.mo_vietnamese = Partner.create(
            {
                "name": "Test MO Song e.V.",
                "is_company": True,
                "organization_type_id": cls.type_mo.id,
                "district_id": cls.district_lichtenberg.id,
                "community_ids": [(6, 0, cls.community_vietnamese.ids)],
                "served_language_ids": [(6, 0, cls.language_vi.ids)],
            }
        )
        cls.jobcenter = Partner.create(
            {
                "name": "Test Jobcenter Mitte",
                "is_company": True,
                "organization_type_id": cls.type_jobcenter.id,
                "district_id": cls.district_mitte.id,
            }
        )
        # Nobody with an e-mail address: not reachable.
        cls.mo_silent = Partner.create(
            {
                "name": "Test MO Stumm e.V.",
                "is_company": True,
                "organization_type_id": cls.type_mo.id,
                "district_id": cls.district_neukoelln.id,
                "email": "info@test-stumm.example.org",
            }
        )

        def person(name, organization, role=False, lang="de_DE", email=True, **vals):
            slug = name.lower().replace(" ", ".")
            return Partner.create(
                {
                    "name": name,
                    "parent_id": organization.id,
                    "network_role": role,
                    "lang": lang,
                    "email": f"{slug}@test-campaign.example.org" if email else False,
                    **vals,
                }
            )

        cls.nadi_fulltime = person("Test Rana Fulltime", cls.mo_arabic, "fulltime")
        cls.nadi_volunteer = person("Test Sami Volunteer", cls.mo_arabic, "volunteer", "en_US")
        cls.nadi_manager = person("Test Hala Management", cls.mo_arabic, "management")
        cls.song_volunteer = person("Test Minh Volunteer", cls.mo_vietnamese, "volunteer")
        cls.song_manager = person("Test Lan Management", cls.mo_vietnamese, "management", "en_US")
        cls.admin_staff = person("Test Katrin Administration", cls.administration, "administration")
        cls.jobcenter_staff = person("Test Andrea Jobcenter", cls.jobcenter, "fulltime")
        cls.silent_person = person("Test Stumm Ohne", cls.mo_silent, "volunteer", email=False)
        # Address of an organisation, not a person: never invited.
        cls.invoice_address = person("Test Nadi Rechnung", cls.mo_arabic, type="invoice")

        # The people every campaign skips.
        cls.opted_out = person("Test Olga Optout", cls.mo_arabic, "volunteer")
        cls.blocklisted = person("Test Bernd Blocklist", cls.mo_arabic, "volunteer")
        cls.env["mail.blacklist"]._add(cls.blocklisted.email)
        cls.no_email = person("Test Nina Ohnemail", cls.mo_arabic, "volunteer", email=False)
        cls.registered = person("Test Rita Registered", cls.mo_arabic, "volunteer")
        cls.training._register_participant(cls.registered, consent=True)
        # Invited earlier without answering, or cancelled: invited again.
        cls.cancelled = person("Test Carl Cancelled", cls.mo_arabic, "volunteer")
        cls.training._register_participant(cls.cancelled, consent=True).action_cancel()

        # A former participant: attended a past training on recognition.
        cls.past_training = cls.env["kommune.training"].create(
            {"name": "Test Anerkennung 2020", "topic_id": cls.topic_recognition.id}
        )
        start = datetime(2020, 5, 4, 8, 0)
        cls.env["kommune.training.session"].create(
            {
                "training_id": cls.past_training.id,
                "start": start,
                "stop": start + timedelta(hours=2),
            }
        )
        cls.past_training.registration_ids.create(
            {
                "training_id": cls.past_training.id,
                "partner_id": cls.song_volunteer.id,
                "state": "attended",
                "consent": True,
            }
        )

        # The test network's persons, the demo network's are left out of comparisons.
        cls.network = (
            cls.mo_person
            | cls.persons
            | cls.nadi_fulltime
            | cls.nadi_volunteer
            | cls.nadi_manager
            | cls.song_volunteer
            | cls.song_manager
            | cls.admin_staff
            | cls.jobcenter_staff
            | cls.silent_person
            | cls.invoice_address
            | cls.opted_out
            | cls.blocklisted
            | cls.no_email
            | cls.registered
            | cls.cancelled
        )
        # Invitations need a consent in force: everybody has one but this person, who
        # never gave one.
        cls.no_consent = person("Test Wanda Ohnezustimmung", cls.mo_arabic, "volunteer")
        cls.purpose_invitation = ref("kommune_interkulturell.consent_purpose_invitation")
        cls.env["kommune.consent"].create(
            [
                {"partner_id": partner.id, "purpose_id": cls.purpose_invitation.id}
                for partner in cls.network
            ]
        )
        cls.network |= cls.no_consent
        # Olga ticked her opt-out: her consent is withdrawn.
        cls.opted_out.invitation_opt_out = True
        cls.excluded = (
            cls.opted_out | cls.blocklisted | cls.no_email | cls.registered | cls.no_consent
        )

    def invite_form(self, user=None, **values):
        """The Invite wizard of the training, as a user opens it."""
        from odoo.tests import Form

        Wizard = self.env["kommune.campaign.invite"]
        if user:
            Wizard = Wizard.with_user(user)
        action = self.training.with_user(user or self.env.user).action_invite_campaign()
        form = Form(Wizard.with_context(**action["context"]))
        for name, value in values.items():
            setattr(form, name, value)
        return form

    def recipients(self, domain):
        """The test network's persons a domain on res.partner selects."""
        return self.env["res.partner"].search(domain) & self.network
