from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common_privacy import PrivacyCommon


@tagged("post_install", "-at_install")
class TestConsent(PrivacyCommon):
    """Consent records: given, withdrawn with a date, never deleted, one in force."""

    def test_consent_given_and_withdrawn(self):
        person = self.persons[0]
        with freeze_time("2030-01-10 09:00:00"):
            consent = self.give_consent(person, self.purpose_invitation, channel="paper")
        self.assertEqual(consent.state, "given")
        self.assertEqual(consent.legal_basis, "consent", "proposed by the purpose")
        self.assertEqual(consent.company_id, self.env.company)
        self.assertEqual(consent.date_given, datetime(2030, 1, 10, 9, 0))
        with freeze_time("2030-06-01 12:00:00"):
            consent.with_user(self.user).action_withdraw()
        self.assertEqual(consent.state, "withdrawn")
        self.assertEqual(consent.date_withdrawn, datetime(2030, 6, 1, 12, 0))
        self.assertTrue(consent.exists(), "a withdrawal keeps the record")
        # Withdrawing twice changes nothing, not even the date.
        consent.action_withdraw()
        self.assertEqual(consent.date_withdrawn, datetime(2030, 6, 1, 12, 0))

    def test_withdrawal_is_tracked(self):
        consent = self.give_consent(self.persons[0], self.purpose_invitation)
        self.env.flush_all()
        self.cr.flush()
        consent.with_user(self.user).action_withdraw()
        self.env.flush_all()
        self.cr.flush()
        tracked = consent.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("date_withdrawn", tracked)
        self.assertIn("state", tracked)
        self.assertEqual(consent.message_ids[0].author_id, self.user.partner_id)

    def test_withdrawal_cannot_be_undone(self):
        consent = self.give_consent(self.persons[0], self.purpose_invitation)
        consent.action_withdraw()
        with self.assertRaises(UserError):
            consent.write({"date_withdrawn": False})
        # Giving consent again is a new record; the history keeps both.
        again = self.give_consent(self.persons[0], self.purpose_invitation)
        self.assertEqual(again.state, "given")
        self.assertEqual(
            self.persons[0].kommune_consent_ids.mapped("state"), ["given", "withdrawn"]
        )

    def test_consent_dated_before_a_withdrawal_is_refused(self):
        """Whoever records it (a form, an import, code): a consent signed before the
        person withdrew the same purpose is no consent any more."""
        person = self.persons[0]
        with freeze_time("2030-01-10 09:00:00"):
            first = self.give_consent(person, self.purpose_photo)
        with freeze_time("2030-06-01 12:00:00"):
            first.action_withdraw()
            with self.assertRaisesRegex(ValidationError, person.name):
                self.give_consent(
                    person.with_user(self.user),
                    self.purpose_photo,
                    date_given=datetime(2030, 5, 31, 12, 0),
                )
            # Another purpose, or a person who never withdrew, is not concerned.
            self.give_consent(person, self.purpose_invitation, date_given=datetime(2030, 5, 1))
            self.give_consent(self.persons[1], self.purpose_photo, date_given=datetime(2030, 5, 1))
            # Given since the withdrawal: a new consent.
            again = self.give_consent(person, self.purpose_photo)
        self.assertEqual(again.state, "given")
        # Nor can a consent in force be moved back before the withdrawal.
        with self.assertRaises(ValidationError):
            again.date_given = datetime(2030, 2, 1)

    def test_one_consent_in_force_per_purpose(self):
        self.give_consent(self.persons[0], self.purpose_invitation)
        self.give_consent(self.persons[0], self.purpose_photo)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.give_consent(self.persons[0], self.purpose_invitation)
            self.env.flush_all()

    def test_consents_are_never_deleted(self):
        consent = self.give_consent(self.persons[0], self.purpose_invitation)
        for user in (self.user, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                consent.with_user(user).unlink()
        with self.assertRaises(UserError):
            consent.unlink()  # the superuser neither
        # Nor the person under it: the database refuses (anonymise the person instead).
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.persons[0].unlink()
            self.env.flush_all()

    def test_recorded_consent_keeps_person_and_purpose(self):
        consent = self.give_consent(self.persons[0], self.purpose_invitation)
        with self.assertRaises(UserError):
            consent.partner_id = self.persons[1]
        with self.assertRaises(UserError):
            consent.purpose_id = self.purpose_photo
        consent.write({"channel": "mail", "legal_basis": "legitimate_interest"})
        self.assertEqual(consent.channel, "mail")

    def test_dates_must_be_plausible(self):
        with self.assertRaises(ValidationError):
            self.give_consent(
                self.persons[0],
                self.purpose_invitation,
                date_given=fields.Datetime.now() + timedelta(days=2),
            )
        consent = self.give_consent(self.persons[0], self.purpose_photo)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            consent.date_withdrawn = consent.date_given - timedelta(days=1)
            self.env.flush_all()

    def test_training_consent_needs_a_person(self):
        with self.assertRaises(ValidationError):
            self.give_consent(self.mo, self.purpose_training)
        # An organisation may object to invitations, e.g. to its functional address.
        self.assertTrue(self.give_consent(self.mo, self.purpose_invitation))

    def test_user_records_consent_in_a_form(self):
        with Form(self.env["kommune.consent"].with_user(self.user)) as form:
            form.partner_id = self.persons[0]
            form.purpose_id = self.env.ref(
                "kommune_interkulturell.consent_purpose_funder_reporting"
            )
            self.assertEqual(form.legal_basis, "legal_obligation", "the purpose proposes it")
            form.purpose_id = self.purpose_photo
            self.assertEqual(form.legal_basis, "consent")
            form.channel = "paper"
        consent = form.record
        self.assertEqual(consent.state, "given")
        self.assertEqual(consent.display_name, f"Photos – {self.persons[0].name}")

    def test_shipped_purposes(self):
        Purpose = self.env["kommune.consent.purpose"]
        codes = {"training", "invitation", "photo", "funder_reporting"}
        shipped = self.env["ir.model.data"].search(
            [("module", "=", "kommune_interkulturell"), ("model", "=", Purpose._name)]
        )
        self.assertEqual(set(Purpose.browse(shipped.mapped("res_id")).mapped("code")), codes)
        # Bridges may ship purposes of their own.
        self.assertLessEqual(codes, set(Purpose.search([("code", "!=", False)]).mapped("code")))
        self.assertEqual(Purpose._get_by_code("invitation"), self.purpose_invitation)
        self.purpose_photo.active = False
        self.assertEqual(Purpose._get_by_code("photo"), self.purpose_photo, "archived too")
        before = self.purpose_invitation.consent_count
        self.give_consent(self.persons[0], self.purpose_invitation)
        self.purpose_invitation.invalidate_recordset(["consent_count"])
        self.assertEqual(self.purpose_invitation.consent_count, before + 1)
        with self.assertRaises(UserError):
            self.purpose_invitation.unlink()

    def test_purpose_by_code_follows_its_code(self):
        """The code finds its purpose once per process (cached): a purpose given,
        changed or deleted code is found by its new code at once, never by the old
        one, and users without access to purposes are refused as by a search."""
        Purpose = self.env["kommune.consent.purpose"]
        self.assertEqual(Purpose._get_by_code("invitation"), self.purpose_invitation)
        self.assertFalse(Purpose._get_by_code("test_evaluation"))
        evaluation = Purpose.create({"name": "Test Evaluation", "code": "test_evaluation"})
        self.assertEqual(Purpose._get_by_code("test_evaluation"), evaluation)
        evaluation.code = "test_evaluation_2"
        self.assertFalse(Purpose._get_by_code("test_evaluation"))
        self.assertEqual(Purpose._get_by_code("test_evaluation_2"), evaluation)
        evaluation.code = False
        evaluation.unlink()
        self.assertFalse(Purpose._get_by_code("test_evaluation_2"))
        self.assertEqual(
            Purpose.with_user(self.user)._get_by_code("invitation"), self.purpose_invitation
        )
        outsider = new_test_user(self.env, login="ki_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            Purpose.with_user(outsider)._get_by_code("invitation")
