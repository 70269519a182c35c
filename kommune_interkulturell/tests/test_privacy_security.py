from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_privacy import PrivacyCommon


@tagged("post_install", "-at_install")
class TestSensitiveFields(PrivacyCommon):
    """Notes on participants and consent details: staff with access to sensitive data
    and managers only. Users keep their daily work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registration = cls.training.with_context(
            kommune_training_no_mail=True
        )._register_participant(cls.persons[0], consent=True, note="Rollstuhl, Aufzug nötig.")
        cls.consent = cls.give_consent(cls.persons[0], cls.purpose_photo, note="Ordner 7")

    def test_group_levels(self):
        self.assertTrue(self.manager.has_group("kommune_interkulturell.group_kommune_sensitive"))
        self.assertTrue(self.sensitive_user.has_group("kommune_interkulturell.group_kommune_user"))
        self.assertFalse(
            self.sensitive_user.has_group("kommune_interkulturell.group_kommune_manager")
        )
        self.assertFalse(self.user.has_group("kommune_interkulturell.group_kommune_sensitive"))

    def test_user_cannot_read_sensitive_fields(self):
        for record, fname in ((self.registration, "note"), (self.consent, "note")):
            with self.subTest(model=record._name):
                with self.assertRaises(AccessError):
                    record.with_user(self.user).read([fname])
                with self.assertRaises(AccessError):
                    record.with_user(self.user).write({fname: "Neu"})
                with self.assertRaises(AccessError):
                    record.with_user(self.user).search([(fname, "ilike", "o")])
                for user in (self.sensitive_user, self.manager):
                    self.assertTrue(record.with_user(user)[fname])
                    record.with_user(user).write({fname: f"geändert von {user.login}"})
        with self.assertRaises(AccessError):
            self.persons[0].with_user(self.sensitive_user).read(["kommune_last_activity_date"])

    def test_views_hide_sensitive_fields(self):
        Registration = self.env["kommune.training.registration"]
        view = self.env.ref("kommune_interkulturell.kommune_training_registration_view_form")
        arch_user = Registration.with_user(self.user).get_view(view.id)["arch"]
        arch_sensitive = Registration.with_user(self.sensitive_user).get_view(view.id)["arch"]
        self.assertNotIn('name="note"', arch_user)
        self.assertIn('name="note"', arch_sensitive)
        consent_view = self.env.ref("kommune_interkulturell.kommune_consent_view_form")
        Consent = self.env["kommune.consent"]
        self.assertNotIn(
            'name="note"', Consent.with_user(self.user).get_view(consent_view.id)["arch"]
        )

    def test_user_daily_work_with_consents(self):
        Consent = self.env["kommune.consent"].with_user(self.user)
        consent = Consent.create(
            {
                "partner_id": self.persons[1].id,
                "purpose_id": self.purpose_invitation.id,
                "channel": "paper",
            }
        )
        self.assertEqual(consent.state, "given")
        self.assertEqual(
            Consent.search([("partner_id", "=", self.persons[1].id)]), consent, "reads them"
        )
        consent.action_withdraw()
        self.assertEqual(consent.state, "withdrawn")
        registration = self.registration.with_user(self.user)
        self.assertTrue(registration.consent)
        registration.consent = False
        self.assertEqual(self.registration.consent_id.state, "withdrawn")
        with self.assertRaises(AccessError):
            consent.unlink()
        for model in ("kommune.consent.purpose",):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.user).create({"name": "Neu"})
