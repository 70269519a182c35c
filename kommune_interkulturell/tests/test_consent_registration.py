import importlib.util
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import Form, tagged

from .common_privacy import PrivacyCommon


@tagged("post_install", "-at_install")
class TestConsentRegistration(PrivacyCommon):
    """The consent tick of registrations is the person's consent record for training
    administration: ticking records it, unticking withdraws it, confirmation needs it."""

    def training_consents(self, person):
        return person.kommune_consent_ids.filtered(
            lambda consent: consent.purpose_id == self.purpose_training
        )

    def test_ticking_records_the_consent(self):
        person = self.persons[0]
        with freeze_time("2030-02-01 10:00:00"):
            registration = self.env["kommune.training.registration"].create(
                {"training_id": self.training.id, "partner_id": person.id, "consent": True}
            )
        consent = self.training_consents(person)
        self.assertEqual(len(consent), 1)
        self.assertEqual(registration.consent_id, consent)
        self.assertEqual(
            (consent.state, consent.legal_basis, consent.channel),
            ("given", "consent", "form"),
        )
        self.assertEqual(consent.date_given, datetime(2030, 2, 1, 10, 0))
        self.assertEqual(consent.date_given, registration.consent_date)
        self.assertEqual(consent.registration_id, registration)
        self.assertEqual(consent.company_id, self.training.company_id)

    def test_register_participant_records_the_channel(self):
        registration = self.training._register_participant(
            self.persons[0], source="web", consent=True
        )
        self.assertEqual(registration.state, "confirmed")
        self.assertEqual(registration.consent_id.channel, "web")

    def test_consent_covers_the_next_registration(self):
        person = self.persons[0]
        first = self.register(person)
        other = self.env["kommune.training"].create({"name": "Zweite Schulung"})
        second = self.env["kommune.training.registration"].create(
            {"training_id": other.id, "partner_id": person.id}
        )
        self.assertTrue(second.consent, "the consent in force covers every training")
        self.assertEqual(second.consent_id, first.consent_id)
        self.assertEqual(second.consent_date, first.consent_id.date_given)
        self.assertEqual(len(self.training_consents(person)), 1)
        with Form(
            self.env["kommune.training.registration"].with_user(self.user),
            view="kommune_interkulturell.kommune_training_registration_view_form",
        ) as form:
            form.training_id = self.env["kommune.training"].create({"name": "Dritte"})
            form.partner_id = person
            self.assertTrue(form.consent, "the form shows the consent in force")
            form.partner_id = self.persons[1]
            self.assertFalse(form.consent, "but not for somebody else")

    def test_confirmation_needs_a_consent_in_force(self):
        registration = self.env["kommune.training.registration"].create(
            {"training_id": self.training.id, "partner_id": self.persons[0].id}
        )
        with self.assertRaises(UserError):
            registration.action_confirm()
        registration.consent = True
        registration.consent_id.action_withdraw()
        self.assertFalse(registration.consent, "the withdrawal unticks the registration")
        with self.assertRaises(UserError):
            registration.action_confirm()
        # A tick without a record in force behind it is not enough.
        registration.consent = True
        self.assertEqual(registration.consent_id.state, "given")
        registration.consent_id = False
        with self.assertRaises(UserError):
            registration.action_confirm()

    def test_unticking_withdraws_the_consent(self):
        first, second = self.register(self.persons[:2])
        other = self.env["kommune.training"].create({"name": "Andere Schulung"})
        elsewhere = other._register_participant(self.persons[0], consent=True)
        consent = first.consent_id
        self.assertEqual(elsewhere.consent_id, consent)
        with freeze_time("2031-01-15 08:00:00"):
            first.with_user(self.user).consent = False
        self.assertEqual(consent.state, "withdrawn")
        self.assertEqual(consent.date_withdrawn, datetime(2031, 1, 15, 8, 0))
        self.assertFalse(elsewhere.consent, "the person withdrew for every training")
        self.assertFalse(elsewhere.consent_date)
        self.assertEqual(elsewhere.consent_id, consent, "the link to the history stays")
        self.assertTrue(second.consent, "other people are not concerned")
        # Ticking again (after the withdrawal) records a new consent; the withdrawn
        # one stays.
        with freeze_time("2031-01-15 09:00:00"):
            first.consent = True
        self.assertNotEqual(first.consent_id, consent)
        self.assertEqual(len(self.training_consents(self.persons[0])), 2)

    def test_waitlist_skips_who_withdrew(self):
        first, _second, early, late = self.register(self.persons[:4])
        early.consent_id.with_user(self.user).action_withdraw()
        first.action_cancel()
        self.assertEqual((early.state, late.state), ("waitlist", "confirmed"))

    def test_consent_belongs_to_a_company(self):
        person = self.persons[0]
        self.register(person)
        other_training = (
            self.env["kommune.training"]
            .with_company(self.other_company)
            .create({"name": "Schulung im anderen Projekt", "company_id": self.other_company.id})
        )
        registration = self.env["kommune.training.registration"].create(
            {"training_id": other_training.id, "partner_id": person.id}
        )
        self.assertFalse(registration.consent, "a consent covers its own company only")
        registration.consent = True
        self.assertEqual(registration.consent_id.company_id, self.other_company)
        self.assertEqual(len(self.training_consents(person)), 2)

    def test_changing_the_participant_drops_the_link(self):
        registration = self.env["kommune.training.registration"].create(
            {"training_id": self.training.id, "partner_id": self.persons[0].id, "consent": True}
        )
        registration.partner_id = self.persons[1]
        self.assertFalse(registration.consent, "the other person has not consented")
        self.assertFalse(registration.consent_id)
        self.assertEqual(
            self.training_consents(self.persons[0]).state, "given", "and nobody withdrew"
        )

    def test_migration_links_existing_ticks(self):
        """Registrations ticked before consents were records get their consent record,
        dated with the earliest tick; their own dates stay."""
        Registration = self.env["kommune.training.registration"]
        other = self.env["kommune.training"].create({"name": "Frühere Schulung"})
        with freeze_time("2024-05-01 09:00:00"):
            early = Registration.create(
                {"training_id": other.id, "partner_id": self.persons[0].id, "consent": True}
            )
        with freeze_time("2025-05-01 09:00:00"):
            late = Registration.create(
                {"training_id": self.training.id, "partner_id": self.persons[0].id}
            )
        # The state before the upgrade: ticks and dates without consent records.
        self.env.flush_all()
        self.cr.execute(
            "UPDATE kommune_training_registration SET consent = TRUE, "
            "consent_date = '2025-05-01 09:00:00', consent_id = NULL WHERE id = %s",
            [late.id],
        )
        self.cr.execute("UPDATE kommune_training_registration SET consent_id = NULL")
        self.cr.execute("DELETE FROM kommune_consent")
        self.env.invalidate_all()

        path = f"{get_module_path('kommune_interkulturell')}/migrations/19.0.1.1.0/post-migrate.py"
        spec = importlib.util.spec_from_file_location("ki_post_migrate", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.cr, "19.0.1.0.0")

        consent = self.training_consents(self.persons[0])
        self.assertEqual(len(consent), 1)
        self.assertEqual(consent.date_given, datetime(2024, 5, 1, 9, 0))
        self.assertEqual((early | late).consent_id, consent)
        self.assertEqual(late.consent_date, datetime(2025, 5, 1, 9, 0), "its own date stays")
        late.action_confirm()
        self.assertEqual(late.state, "confirmed")
