from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.module import load_script
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common_privacy import PrivacyCommon

MIGRATION = "kommune_interkulturell/migrations/19.0.1.2.0/post-invitation_opt_out_from_consents.py"


@tagged("post_install", "-at_install")
class TestInvitationOptOut(PrivacyCommon):
    """ "No Invitations" is read from the consent history: a withdrawn invitation record
    and none in force. Staff ticking it record the objection; only a new consent of the
    person, given after it, takes it back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls.persons[0]

    def invitation_records(self, partner=None):
        return (
            self.env["kommune.consent"]
            .with_context(active_test=False)
            .search(
                [
                    ("partner_id", "=", (partner or self.person).id),
                    ("purpose_id", "=", self.purpose_invitation.id),
                ]
            )
        )

    def test_ticking_records_the_objection(self):
        """Somebody who never consented tells staff: no invitations, please."""
        self.person.with_user(self.user).invitation_opt_out = True
        objection = self.invitation_records()
        self.assertEqual(len(objection), 1)
        self.assertEqual(
            (objection.state, objection.legal_basis, objection.channel, objection.company_id),
            ("withdrawn", "legitimate_interest", "staff", self.company),
        )
        self.assertTrue(self.person.invitation_opt_out)
        self.assertEqual(self.person.invitation_opt_out_date, objection.date_withdrawn)

    def test_ticking_withdraws_the_consents_of_every_company(self):
        here = self.give_consent(self.person, self.purpose_invitation)
        there = self.give_consent(
            self.person, self.purpose_invitation, company_id=self.other_company.id
        )
        self.person.with_user(self.user).invitation_opt_out = True
        self.assertEqual((here.state, there.state), ("withdrawn", "withdrawn"))
        self.assertEqual(self.invitation_records(), here | there, "no objection record needed")
        self.assertTrue(self.person.invitation_opt_out)

    def test_a_withdrawn_consent_is_an_opt_out(self):
        here = self.give_consent(self.person, self.purpose_invitation)
        there = self.give_consent(
            self.person, self.purpose_invitation, company_id=self.other_company.id
        )
        here.with_user(self.user).action_withdraw()
        self.assertFalse(
            self.person.invitation_opt_out, "the other company's consent is still in force"
        )
        there.action_withdraw()
        self.assertTrue(self.person.invitation_opt_out)
        self.assertEqual(self.person.invitation_opt_out_date, there.date_withdrawn)

    def test_unticking_is_refused(self):
        self.person.invitation_opt_out = True
        for user in (self.user, self.manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "new consent"):
                self.person.with_user(user).write({"invitation_opt_out": False})
        self.assertTrue(self.person.invitation_opt_out)
        # The form shows it read-only once ticked.
        form = Form(self.person.with_user(self.manager))
        with self.assertRaises(AssertionError):
            form.invitation_opt_out = False

    def test_a_new_consent_takes_it_back(self):
        self.person.invitation_opt_out = True
        objected = self.person.invitation_opt_out_date
        Consent = self.env["kommune.consent"]
        values = {"partner_id": self.person.id, "purpose_id": self.purpose_invitation.id}
        with self.assertRaisesRegex(AccessError, "Only a manager"):
            Consent.with_user(self.user).create(values)
        with self.assertRaisesRegex(ValidationError, "before"):
            Consent.with_user(self.manager).create(
                dict(values, date_given=datetime(objected.year - 1, 1, 1))
            )
        # A sign-up counts from its confirmation, not before.
        pending = Consent.create(dict(values, confirmation_pending=True, channel="web"))
        self.assertTrue(self.person.invitation_opt_out)
        pending._action_confirm()
        self.assertFalse(self.person.invitation_opt_out)
        self.assertFalse(self.person.invitation_opt_out_date)
        # And by a manager, on paper: opting out again, then agreeing again.
        pending.action_withdraw()
        self.assertTrue(self.person.invitation_opt_out)
        Consent.with_user(self.manager).create(dict(values, channel="paper"))
        self.assertFalse(self.person.invitation_opt_out)

    def test_migration_from_the_flag(self):
        """Databases of 19.0.1.1.0 kept the flag apart from the consents."""
        Partner = self.env["res.partner"]
        flagged_only, ticked, stuck, withdrawn = self.persons[:4]
        old = datetime(2025, 1, 10, 9, 0)
        self.give_consent(ticked, self.purpose_invitation, date_given=datetime(2024, 6, 1))
        self.give_consent(
            stuck, self.purpose_invitation, date_given=datetime(2024, 6, 1)
        ).action_withdraw()
        self.env["kommune.consent"].search([("partner_id", "=", stuck.id)]).write(
            {"date_withdrawn": old}
        )
        new_consent = self.give_consent(
            stuck, self.purpose_invitation, date_given=datetime(2025, 3, 1), channel="web"
        )
        self.give_consent(withdrawn, self.purpose_invitation).action_withdraw()
        self.env.flush_all()
        # The columns as 19.0.1.1.0 left them.
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET invitation_opt_out = id IN %s,"
                " invitation_opt_out_date = CASE WHEN id IN %s THEN %s END WHERE id IN %s",
                (flagged_only | ticked | stuck)._ids,
                (flagged_only | ticked | stuck)._ids,
                old,
                self.persons[:4]._ids,
            )
        )
        self.env.invalidate_all()
        self.assertFalse(withdrawn.invitation_opt_out)

        load_script(MIGRATION, "kommune_invitation_opt_out_migration").migrate(
            self.env.cr, "19.0.1.1.0"
        )
        self.env.invalidate_all()
        opted_out = Partner.search(
            [("id", "in", self.persons[:4].ids), ("invitation_opt_out", "=", True)]
        )
        self.assertEqual(opted_out, flagged_only | ticked | withdrawn)
        self.assertEqual(flagged_only.invitation_opt_out_date, old)
        (objection,) = self.invitation_records(flagged_only)
        self.assertEqual(
            (objection.state, objection.date_given, objection.date_withdrawn),
            ("withdrawn", old, old),
        )
        (consent,) = self.invitation_records(ticked)
        self.assertEqual((consent.state, consent.date_withdrawn), ("withdrawn", old))
        self.assertEqual(new_consent.state, "given", "the sign-up confirmed since counts")
        self.assertFalse(stuck.invitation_opt_out)
