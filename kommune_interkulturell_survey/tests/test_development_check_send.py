from odoo import Command
from odoo.addons.kommune_interkulturell.tests.common_invitation_rule import InvitationRuleCommon
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import DevelopmentCheckCommon


@tagged("post_install", "-at_install")
class TestDevelopmentCheckSend(DevelopmentCheckCommon, InvitationRuleCommon):
    """Staff send a self-check from the organisation's form: a personal link by mail,
    only to contact persons the app's rule of invitations allows, and the wizard says
    who is left out and why. Survey's own invitation is closed for self-checks."""

    def _wizard(self, organization=None, user=None):
        user = user or self.user
        action = (organization or self.org).with_user(user).action_kommune_send_development_check()
        return Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))

    def _mails(self, partners):
        return self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("recipient_ids", "in", partners.ids)]
        )

    def test_wizard_lists_who_is_left_out_and_why(self):
        wizard = self._wizard()
        self.assertEqual(wizard.check_type, "mo")
        self.assertEqual(set(wizard.partner_ids.ids), set(self.people.ids))
        self.assertEqual(wizard.recipient_count, 2)
        reasons = {line.partner_id: line.reason for line in wizard.save().exclusion_ids}
        self.assertEqual(reasons, self.refused_by_mail)

    def test_mail_only_to_people_the_rule_allows(self):
        wizard = self._wizard().save()
        wizard.action_send()
        invited = self.invitable | self.invitable_too
        mails = self._mails(self.people)
        self.assertEqual(mails.recipient_ids, invited, "no mail without consent, blocklisted, ...")
        answers = self.env["survey.user_input"].search([("partner_id", "in", self.people.ids)])
        self.assertEqual(answers.partner_id, invited)
        self.assertEqual(set(answers.mapped("kommune_organization_id")), {self.org})
        self.assertEqual(answers.survey_id, self.survey_mo)
        for answer in answers:
            mail = self._mails(answer.partner_id)
            self.assertIn(answer.access_token, mail.body_html, "the personal link")
            self.assertIn("Selbstcheck", mail.body_html, "German, the person's language")
        self.assertIn("Test Ina Einladbar", self.org.message_ids[0].body)

    def test_rule_is_applied_again_when_sending(self):
        wizard = self._wizard().save()
        self.assertEqual(wizard.recipient_count, 2)
        self.invitable.kommune_consent_ids.action_withdraw()
        self.env["mail.blacklist"]._add(self.invitable_too.email)
        wizard.action_send()
        self.assertFalse(self._mails(self.people))
        self.assertFalse(
            self.env["survey.user_input"].search([("partner_id", "in", self.people.ids)])
        )

    def test_administrations_get_the_intercultural_opening_check(self):
        self.org.organization_type_id = self.type_integration
        wizard = self._wizard().save()
        self.assertEqual(wizard.check_type, "administration")
        wizard.action_send()
        answers = self.env["survey.user_input"].search([("partner_id", "in", self.people.ids)])
        self.assertEqual(answers.survey_id, self.survey_admin)

    def test_only_the_organisations_people(self):
        wizard = self._wizard().save()
        wizard.partner_ids = self.mo_person  # a person of another organisation
        with self.assertRaises(UserError):
            wizard.action_send()
        self.assertFalse(self._mails(self.mo_person))

    def test_sending_again_sends_the_open_answer_again(self):
        self._wizard().save().action_send()
        self._wizard().save().action_send()
        answers = self.env["survey.user_input"].search([("partner_id", "=", self.invitable.id)])
        self.assertEqual(len(answers), 1)
        self.assertEqual(len(self._mails(self.invitable)), 2)

    def test_the_check_stays_in_the_sending_company(self):
        """An organisation shared by the companies: the check is kept in the company
        that sent it, not in the one of the public page completing it."""
        self.assertFalse(self.org.company_id)
        company_b = self.env["res.company"].create({"name": "Test Network B"})
        user_b = new_test_user(
            self.env,
            login="ki_user_b",
            groups="kommune_interkulturell.group_kommune_user",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        self.env["kommune.consent"].create(
            {
                "partner_id": self.invitable.id,
                "purpose_id": self.purpose_invitation.id,
                "company_id": company_b.id,
            }
        )
        wizard = self._wizard(user=user_b)
        wizard.partner_ids = self.invitable
        wizard.save().action_send()
        answer = self.env["survey.user_input"].search([("partner_id", "=", self.invitable.id)])
        self.assertEqual(answer.kommune_company_id, company_b)
        public = self.env.ref("base.public_user")
        self.assertNotEqual(public.company_id, company_b)
        # The public pages complete the answer as superuser of the public user.
        answer.with_user(public).sudo()._mark_done()
        check = self.env["kommune.development.check"].search([("user_input_id", "=", answer.id)])
        self.assertEqual(check.company_id, company_b)
        self.assertEqual(check.partner_id, self.org)

    def test_survey_invitation_is_closed_for_self_checks(self):
        with self.assertRaises(UserError):
            self.survey_mo.with_user(self.manager).action_send_survey()
        other = self.env["survey.survey"].create(
            {
                "title": "Ordinary survey",
                "question_and_page_ids": [
                    Command.create({"title": "Why?", "question_type": "char_box"})
                ],
            }
        )
        self.assertEqual(other.action_send_survey()["res_model"], "survey.invite")

    def test_survey_invite_wizard_refuses_self_checks(self):
        """A Survey user creating survey's invitation directly (RPC) sends no
        self-check: no mail, no answer, whatever the consent."""
        self.manager.email = "mia.manager@example.org"
        invite = (
            self.env["survey.invite"]
            .with_user(self.manager)
            .create(
                {
                    "survey_id": self.survey_mo.id,
                    "partner_ids": [Command.set(self.without_consent.ids)],
                    "emails": "stranger@example.org",
                }
            )
        )
        # survey's invitations are mails of no record
        invitations = [
            "|",
            ("recipient_ids", "in", self.without_consent.ids),
            ("email_to", "=", "stranger@example.org"),
        ]
        with self.assertRaises(UserError) as refusal:
            invite.action_invite()
        # Refused as a self-check, not merely by the rule on the answers' company.
        self.assertNotIsInstance(refusal.exception, AccessError)
        self.assertFalse(self.env["mail.mail"].search(invitations))
        self.assertFalse(
            self.env["survey.user_input"].search(
                [
                    "|",
                    ("partner_id", "=", self.without_consent.id),
                    ("email", "=", "stranger@example.org"),
                ]
            )
        )
        # The same invitation of an ordinary survey goes out: the refusal is the
        # self-check's.
        invite.survey_id = self.env["survey.survey"].create(
            {
                "title": "Ordinary survey",
                "question_and_page_ids": [
                    Command.create({"title": "Why?", "question_type": "char_box"})
                ],
            }
        )
        invite.action_invite()
        self.assertEqual(len(self.env["mail.mail"].search(invitations)), 2)

    def test_plain_users_cannot_send(self):
        with self.assertRaises(AccessError):
            self.env["kommune.development.check.send"].with_user(self.plain_user).create(
                {"organization_id": self.org.id}
            )
