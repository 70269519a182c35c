from odoo.fields import Domain
from odoo.tests import Form, tagged

from .common_campaign import KommuneCampaignCommon, real_smtp


@tagged("post_install", "-at_install")
class TestInvitationRule(KommuneCampaignCommon):
    """One rule of who may be invited, whichever way the invitation goes: a campaign, an
    invitation one by one (Invite Persons), an invitation sent again. Left out: people
    without a legal basis (consent; or, under legitimate interest, organisations that
    objected), who opted out, and - when a mail goes out - blocklisted, bounced or
    missing addresses. Staff (a plain user) do the daily work; the wizard says why
    each person is left out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.org = Partner.create(
            {
                "name": "Test MO Regel e.V.",
                "is_company": True,
                "organization_type_id": cls.type_mo.id,
                "district_id": cls.district_mitte.id,
                "email": "info@test-regel.example.org",
            }
        )
        cls.objecting_org = Partner.create(
            {
                "name": "Test MO Widerspruch e.V.",
                "is_company": True,
                "organization_type_id": cls.type_mo.id,
                "district_id": cls.district_mitte.id,
                "email": "info@test-widerspruch.example.org",
            }
        )

        def person(name, email=True):
            slug = name.lower().replace(" ", ".")
            return Partner.create(
                {
                    "name": name,
                    "parent_id": cls.org.id,
                    "network_role": "volunteer",
                    "lang": "de_DE",
                    "email": f"{slug}@test-regel.example.org" if email else False,
                }
            )

        cls.invitable = person("Test Ina Einladbar")
        cls.invitable_too = person("Test Ida Einladbar")
        cls.blocklisted = person("Test Bea Blockliste")
        cls.opted_out = person("Test Olaf Abgemeldet")
        cls.bounced = person("Test Boris Unzustellbar")
        cls.without_consent = person("Test Otto Ohnezustimmung")
        cls.without_email = person("Test Emil Ohnemail", email=False)
        cls.people = (
            cls.invitable
            | cls.invitable_too
            | cls.blocklisted
            | cls.opted_out
            | cls.bounced
            | cls.without_consent
            | cls.without_email
        )
        cls.env["kommune.consent"].create(
            [
                {"partner_id": partner.id, "purpose_id": cls.purpose_invitation.id}
                for partner in cls.people - cls.without_consent
            ]
        )
        cls.env["mail.blacklist"]._add(cls.blocklisted.email)
        cls.bounced.message_bounce = 1
        # Unsubscribed from an earlier campaign; the organisation asked by phone.
        cls.opted_out._set_invitation_opt_out()
        cls.objecting_org.with_user(cls.user).invitation_opt_out = True
        cls.refused_by_mail = {
            cls.blocklisted: "blocklisted",
            cls.opted_out: "opt_out",
            cls.bounced: "bounced",
            cls.without_consent: "no_legal_basis",
            cls.without_email: "no_email",
        }
        cls.refused_without_mail = {
            cls.opted_out: "opt_out",
            cls.without_consent: "no_legal_basis",
        }

    def invite_persons(self, partners=None, organizations=None, send_mail=True):
        """The Invite Persons wizard as staff (a plain user) fill it in, saved."""
        action = self.training.with_user(self.user).action_invite()
        form = Form(
            self.env[action["res_model"]].with_user(self.user).with_context(**action["context"])
        )
        for partner in partners or ():
            form.partner_ids.add(partner)
        for organization in organizations or ():
            form.organization_ids.add(organization)
        form.send_mail = send_mail
        return form.save()

    def reasons(self, wizard):
        return {line.partner_id: line.reason for line in wizard.exclusion_ids}

    def browse_recipients(self, mailings):
        return self.env["res.partner"].browse(mailings._get_recipients())

    def invitation_mails(self):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "kommune.training.registration"),
                ("res_id", "in", self.training.registration_ids.ids),
                ("subject", "ilike", "Einladung"),
            ]
        )

    def registrations(self, state):
        return self.training.registration_ids.filtered(
            lambda registration: registration.state == state
        )

    # ------------------------------------------------------------
    # The rule
    # ------------------------------------------------------------

    def test_one_rule_gives_the_domain_and_the_reasons(self):
        Partner = self.env["res.partner"].with_user(self.user)
        for mail, refused in ((True, self.refused_by_mail), (False, self.refused_without_mail)):
            with self.subTest(mail=mail):
                invitable = Partner.search(
                    Domain("id", "in", self.people.ids)
                    & Partner._kommune_invitable_domain(self.training.company_id, mail=mail)
                )
                self.assertEqual(
                    self.people.with_user(self.user)._kommune_get_invitation_refusals(
                        self.training.company_id, mail=mail
                    ),
                    refused,
                )
                self.assertEqual(invitable, self.people - Partner.concat(*refused), "the same rule")
        self.assertEqual(
            self.people.with_user(self.user).filtered("kommune_invitation_allowed"),
            self.invitable | self.invitable_too,
            "May Be Invited tells the same",
        )

    # ------------------------------------------------------------
    # Campaigns
    # ------------------------------------------------------------

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

    # ------------------------------------------------------------
    # Invitations one by one (Invite Persons)
    # ------------------------------------------------------------

    def test_direct_invitation_by_mail(self):
        wizard = self.invite_persons(self.people | self.org)
        self.assertEqual(wizard.invitee_count, 2)
        self.assertEqual(self.reasons(wizard), {**self.refused_by_mail, self.org: "organization"})
        self.assertEqual(wizard.exclusion_count, 6)
        wizard.action_invite()
        self.assertEqual(
            self.registrations("invited").partner_id, self.invitable | self.invitable_too
        )
        self.assertEqual(self.invitation_mails().recipient_ids, self.invitable | self.invitable_too)

    def test_direct_invitation_without_mail(self):
        """Invited by phone: no address needed, so the blocklist, bounces and a missing
        address do not count; the legal basis and the opt-out do."""
        wizard = self.invite_persons(self.people, send_mail=False)
        self.assertEqual(self.reasons(wizard), self.refused_without_mail)
        wizard.action_invite()
        self.assertEqual(
            self.registrations("invited").partner_id,
            self.people - self.opted_out - self.without_consent,
        )
        self.assertFalse(self.invitation_mails(), "nothing mailed")
        # Sending the invitation afterwards follows the rule for mails.
        self.registrations("invited").with_user(self.user).action_send_invitation()
        self.assertEqual(self.invitation_mails().recipient_ids, self.invitable | self.invitable_too)

    def test_direct_invitation_of_an_organisations_people(self):
        """All people of an organisation: under legitimate interest too, each person
        needs their own consent; the organisation's legal basis does not carry over."""
        self.env.company.kommune_invitation_basis = "legitimate_interest"
        wizard = self.invite_persons(organizations=self.org)
        self.assertEqual(self.reasons(wizard), self.refused_by_mail)
        wizard.action_invite()
        self.assertEqual(
            self.registrations("invited").partner_id, self.invitable | self.invitable_too
        )

    def test_wizard_names_the_reasons_in_german(self):
        wizard = self.invite_persons(self.people).with_context(lang="de_DE")
        labels = {line.partner_id: line.reason for line in wizard.exclusion_ids}
        names = dict(wizard.exclusion_ids._fields["reason"]._description_selection(wizard.env))
        self.assertEqual(names[labels[self.without_consent]], "Keine Einwilligung in Einladungen")
        self.assertEqual(names[labels[self.opted_out]], "Möchte keine Einladungen")
        self.assertEqual(names[labels[self.blocklisted]], "Adresse auf der Sperrliste")

    # ------------------------------------------------------------
    # Invitations again
    # ------------------------------------------------------------

    def test_cancelled_registrations_invited_again(self):
        silent = self.training.with_context(kommune_training_no_mail=True)
        for partner in self.people:
            silent._register_participant(partner, consent=True, confirm=False).action_cancel()
        wizard = self.invite_persons(self.people)
        self.assertEqual(self.reasons(wizard), self.refused_by_mail)
        wizard.action_invite()
        self.assertEqual(
            self.registrations("invited").partner_id, self.invitable | self.invitable_too
        )
        self.assertEqual(
            self.registrations("cancelled").partner_id & self.people,
            self.people - self.invitable - self.invitable_too,
            "nobody else is invited again",
        )
        self.assertEqual(self.invitation_mails().recipient_ids, self.invitable | self.invitable_too)
        # An answer to their own registration is no invitation: Olaf, who wants no
        # invitations, registers himself and gets his confirmation.
        registration = self.training._register_participant(self.opted_out, consent=True)
        self.assertEqual(registration.state, "confirmed")
        self.assertTrue(
            self.env["mail.mail"].search(
                [("res_id", "=", registration.id), ("recipient_ids", "in", self.opted_out.ids)]
            )
        )

    def test_invitation_sent_again(self):
        """Send Invitation on invited registrations (staff invited them before the person
        opted out, was blocklisted or bounced): only who may still be invited gets it,
        and staff learn who did not and why."""
        registrations = self.env["kommune.training.registration"].create(
            [
                {"training_id": self.training.id, "partner_id": partner.id, "state": "invited"}
                for partner in self.people
            ]
        )
        notification = registrations.with_user(self.user).action_send_invitation()
        self.assertEqual(self.invitation_mails().recipient_ids, self.invitable | self.invitable_too)
        message = notification["params"]["message"]
        for partner in self.refused_by_mail:
            self.assertIn(partner.name, message)
        self.assertNotIn(self.invitable.name, message)
