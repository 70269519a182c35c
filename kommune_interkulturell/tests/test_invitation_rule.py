from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tests import tagged

from .common_invitation_rule import InvitationRuleCommon


@tagged("post_install", "-at_install")
class TestInvitationRule(InvitationRuleCommon):
    """One rule of who may be invited, whichever way the invitation goes: an invitation
    one by one (Invite Persons), an invitation sent again (campaigns: see
    kommune_interkulturell_mass_mailing). Left out: people
    without a legal basis (consent; or, under legitimate interest, organisations that
    objected), who opted out, and - when a mail goes out - blocklisted, bounced or
    missing addresses. Staff (a plain user) do the daily work; the wizard says why
    each person is left out."""

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

    def test_invitation_of_nobody_is_refused(self):
        # Nobody chosen: the staff member is told so, not that 0 people were invited.
        wizard = self.invite_persons().with_context(lang="de_DE")
        with self.assertRaisesRegex(UserError, "Wählen Sie die Personen oder Organisationen"):
            wizard.action_invite()
        self.assertFalse(self.training.registration_ids)

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
