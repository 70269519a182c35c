from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_privacy import PrivacyCommon

# The test data is made "now"; the rules are applied years later. The common training's
# sessions are in March 2031, so its participants stay active until then.
FOUR_YEARS_LATER = "2030-12-15 03:00:00"
AFTER_THE_TRAINING = "2034-06-15 03:00:00"


@tagged("post_install", "-at_install")
class TestRetention(PrivacyCommon):
    """Retention rules erase people after a period, only once a manager approved them
    after looking at the preview; every run is logged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Partner = env["res.partner"]
        cls.inactive, cls.participant = cls.persons[:2]
        cls.give_consent(cls.inactive, cls.purpose_invitation)
        cls.training.with_context(kommune_training_no_mail=True)._register_participant(
            cls.participant, consent=True
        )
        cls.outsider = Partner.create({"name": "Test Kontakt außerhalb des Netzwerks"})
        cls.elsewhere = Partner.create(
            {
                "name": "Test Person im anderen Projekt",
                "parent_id": cls.mo.id,
                "company_id": cls.other_company.id,
            }
        )
        cls.rule = env["kommune.retention.rule"].create(
            {"name": "Test 3 Jahre", "basis": "last_activity", "period_months": 36}
        )
        cls.cron = env.ref("kommune_interkulturell.ir_cron_kommune_retention")

    def run_cron(self, moment):
        with freeze_time(moment):
            self.env["kommune.retention.rule"]._cron_apply_retention()

    def preview(self, rule=None, user=None, moment=FOUR_YEARS_LATER):
        rule = (rule or self.rule).with_user(user or self.manager)
        with freeze_time(moment):
            action = rule.action_preview()
        return self.env["res.partner"].with_context(active_test=False).search(action["domain"])

    def anonymised(self, partners):
        return partners.with_context(active_test=False).filtered("kommune_anonymized_date")

    def test_draft_rule_erases_nobody(self):
        self.assertEqual(self.rule.state, "draft")
        Log = self.env["kommune.privacy.log"]
        logs = Log.search_count([])
        self.run_cron(FOUR_YEARS_LATER)
        self.assertFalse(self.anonymised(self.persons))
        self.assertEqual(Log.search_count([]), logs)
        shipped = self.env.ref("kommune_interkulturell.retention_rule_last_activity")
        self.assertEqual(shipped.state, "draft", "the shipped rule is a proposal")

    def test_approval_needs_the_preview(self):
        with self.assertRaises(UserError):
            self.rule.with_user(self.manager).action_approve()
        due = self.preview()
        self.assertEqual(self.rule.preview_user_id, self.manager)
        self.assertIn(self.inactive, due)
        self.assertIn(self.mo_person, due)
        self.assertNotIn(self.participant, due, "the training in 2031 is activity")
        self.assertNotIn(self.trainer, due, "who leads it too")
        for partner in (self.mo, self.outsider, self.elsewhere, self.user.partner_id):
            self.assertNotIn(partner, due, "organisations, outsiders, other companies, users")
        with freeze_time(FOUR_YEARS_LATER):
            self.assertEqual(self.rule.due_count, len(due))
        self.rule.with_user(self.manager).action_approve()
        self.assertEqual(self.rule.state, "approved")
        self.assertEqual(self.rule.approved_user_id, self.manager)

    def test_approved_rule_erases_who_is_due(self):
        due = self.preview()
        self.rule.with_user(self.manager).action_approve()
        self.assertFalse(self.anonymised(self.persons), "approving erases nobody by itself")
        self.run_cron(FOUR_YEARS_LATER)
        self.assertEqual(self.anonymised(due), due)
        self.assertEqual(self.inactive.with_context(active_test=False).name, self.anonymous)
        self.assertFalse(self.anonymised(self.participant | self.trainer | self.elsewhere))
        self.assertEqual(self.rule.date_last_run, datetime(2030, 12, 15, 3, 0))
        log = self.env["kommune.privacy.log"].search([("rule_id", "=", self.rule.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual(log.operation, "retention")
        self.assertEqual(log.user_id, self.manager, "the manager who approved it")
        self.assertEqual(log.person_count, len(due))
        self.assertFalse(log.partner_id, "no person in the log of a run")
        self.assertEqual(log.date, datetime(2030, 12, 15, 3, 0))

        # Years later the participant's activity has expired too; nobody is erased twice.
        self.run_cron(AFTER_THE_TRAINING)
        self.assertTrue(self.anonymised(self.participant))
        registration = self.participant.training_registration_ids
        self.assertEqual(registration.training_id, self.training, "the row stays")
        self.assertEqual(
            self.env["kommune.privacy.log"].search_count([("rule_id", "=", self.rule.id)]), 2
        )

    def test_changing_the_rule_takes_the_approval_back(self):
        self.preview()
        self.rule.with_user(self.manager).action_approve()
        self.rule.with_user(self.manager).period_months = 24
        self.assertEqual(self.rule.state, "draft")
        self.assertFalse(self.rule.date_preview)
        self.run_cron(FOUR_YEARS_LATER)
        self.assertFalse(self.anonymised(self.persons))
        # Stopping it works the same.
        self.preview()
        self.rule.with_user(self.manager).action_approve()
        self.rule.with_user(self.manager).action_reset_to_draft()
        self.run_cron(FOUR_YEARS_LATER)
        self.assertFalse(self.anonymised(self.persons))

    def test_end_of_funding_period(self):
        rule = self.env["kommune.retention.rule"].create(
            {
                "name": "Test Förderperiode",
                "basis": "funding_end",
                "period_months": 60,
                "date_funding_end": date(2027, 12, 31),
            }
        )
        with freeze_time("2032-06-01"):
            self.assertFalse(rule._get_cutoff(), "five years after the end are not over")
        due = self.preview(rule, moment="2033-01-15 03:00:00")
        self.assertIn(self.inactive, due, "active only before the end of the period")
        self.assertNotIn(self.participant, due, "active after it (training in 2031)")
        rule.with_user(self.manager).action_approve()
        self.run_cron("2033-01-15 03:00:00")
        self.assertTrue(self.anonymised(self.inactive))
        self.assertFalse(self.anonymised(self.participant))

    def test_activity_in_another_company_counts(self):
        other_training = self.env["kommune.training"].create(
            {"name": "Schulung im anderen Projekt", "company_id": self.other_company.id}
        )
        self.env["kommune.training.session"].create(
            {
                "training_id": other_training.id,
                "start": datetime(2030, 9, 1, 8),
                "stop": datetime(2030, 9, 1, 12),
            }
        )
        other_training.with_context(kommune_training_no_mail=True)._register_participant(
            self.inactive, consent=True
        )
        due = self.preview()
        self.assertNotIn(self.inactive, due)

    def test_access(self):
        for user in (self.user, self.sensitive_user):
            with self.subTest(user=user.login):
                rule = self.rule.with_user(user)
                self.assertTrue(rule.name, "staff may read the retention rules")
                with self.assertRaises(AccessError):
                    rule.write({"period_months": 1})
                with self.assertRaises(AccessError):
                    rule.action_approve()
                with self.assertRaises(AccessError):
                    self.env["kommune.retention.rule"].with_user(user).create({"name": "Neu"})
                with self.assertRaises(AccessError):
                    self.env["kommune.privacy.log"].with_user(user).search([])
        with self.assertRaises(AccessError):
            self.env["kommune.privacy.log"].with_user(self.manager).create(
                {
                    "operation": "erasure",
                    "user_id": self.manager.id,
                    "company_id": self.env.company.id,
                }
            )
        log = self.env["kommune.privacy.log"]._log("access", partner=self.mo, person_count=1)
        for operation in ("write", "unlink"):
            with self.subTest(operation=operation), self.assertRaises(AccessError):
                getattr(log.with_user(self.manager), operation)(
                    *([{"person_count": 5}] if operation == "write" else [])
                )
