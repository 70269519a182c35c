from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import models
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_cooperation import CooperationCommon
from .common_privacy import PrivacyCommon
from .common_training import KommuneTrainingCommon

DIALOGUE_TYPE = "kommune_interkulturell.mail_activity_type_cooperation_dialogue"


class CronBatchMixin:
    """Runs the project's crons as the scheduler does (method_direct_trigger: a job
    cursor, progress reports, batches committed one by one) and interrupts them."""

    def set_batch_size(self, size):
        self.env["ir.config_parameter"].set_param("kommune_interkulturell.cron_batch_size", size)

    def run_job(self, xmlid):
        with mute_logger("odoo.addons.base.models.ir_cron"), self.enter_registry_test_mode():
            self.env.ref(xmlid).method_direct_trigger()

    @contextmanager
    def interrupted_at(self, model, method, poisoned):
        """The job breaks off (a timeout, a killed worker) whenever ``method`` works on
        one of the ``poisoned`` records, whatever was done in that batch is undone."""
        original = getattr(type(model), method)

        def breaking(records, *args, **kwargs):
            for value in (records, *args):
                same_model = isinstance(value, models.BaseModel) and value._name == poisoned._name
                if same_model and value & poisoned:
                    raise RuntimeError("the job was interrupted")
            return original(records, *args, **kwargs)

        with patch.object(type(model), method, breaking):
            yield


@tagged("post_install", "-at_install")
class TestTrainingCronBatches(CronBatchMixin, KommuneTrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.training.seats_max = 10
        Registration = cls.env["kommune.training.registration"].with_context(
            kommune_training_no_mail=True
        )
        cls.registrations = Registration
        for person in cls.persons:
            cls.registrations |= cls.training.with_context(
                kommune_training_no_mail=True
            )._register_participant(person, consent=True)
        cls.registrations = cls.registrations.sorted("id")

    def mails(self, subject):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "kommune.training.registration"),
                ("res_id", "in", self.registrations.ids),
                ("subject", "ilike", subject),
            ]
        )

    def test_reminders_resume_after_an_interruption_without_sending_twice(self):
        self.assertEqual(set(self.registrations.mapped("state")), {"confirmed"})
        self.set_batch_size(2)
        Registration = self.env["kommune.training.registration"]
        with freeze_time(self.first_start - timedelta(days=1)):
            with self.interrupted_at(Registration, "_send_training_mail", self.registrations[2]):
                self.run_job("kommune_interkulturell.ir_cron_training_reminder")
            self.assertEqual(
                sorted(self.mails("Reminder").mapped("res_id")),
                self.registrations[:2].ids,
                "the batch before the interruption is kept, the broken one undone",
            )
            self.assertFalse(self.registrations[2:].filtered("reminder_sent_date"))
            self.run_job("kommune_interkulturell.ir_cron_training_reminder")
            self.run_job("kommune_interkulturell.ir_cron_training_reminder")
        reminders = self.mails("Reminder")
        self.assertEqual(len(reminders), 5, "one reminder each, none twice")
        self.assertEqual(reminders.recipient_ids, self.persons)
        self.assertTrue(all(self.registrations.mapped("reminder_sent_date")))

    def test_thanks_in_batches_once(self):
        self.set_batch_size(2)
        self.sessions.action_mark_all_present()
        Registration = self.env["kommune.training.registration"]
        with freeze_time(self.first_start + timedelta(days=8)):
            with self.interrupted_at(Registration, "_send_training_mail", self.registrations[4]):
                self.run_job("kommune_interkulturell.ir_cron_training_close")
            self.assertEqual(len(self.mails("Thank you")), 4, "two batches done")
            self.run_job("kommune_interkulturell.ir_cron_training_close")
            self.run_job("kommune_interkulturell.ir_cron_training_close")
        thanks = self.mails("Thank you")
        self.assertEqual(len(thanks), 5)
        self.assertEqual(thanks.recipient_ids, self.persons)


@tagged("post_install", "-at_install")
class TestDialogueCronBatches(CronBatchMixin, CooperationCommon):
    def test_dialogue_reminders_resume_without_a_second_activity(self):
        with freeze_time("2026-01-05 10:00:00"):
            overdue = self.env["kommune.cooperation"]
            for index in range(5):
                overdue |= self._create_cooperation(f"Überfällig {index}", user_id=self.user.id)
            for coop in overdue:
                self._create_meeting(coop, datetime(2026, 1, 5, 9, 0))
            self.env.flush_all()
        self.set_batch_size(2)
        overdue = overdue.sorted("id")
        Cooperation = self.env["kommune.cooperation"]
        with freeze_time("2026-04-01 04:00:00"):
            with self.interrupted_at(Cooperation, "activity_schedule", overdue[3]):
                self.run_job("kommune_interkulturell.ir_cron_cooperation_dialogue")
            reminded = overdue.filtered("date_dialogue_reminder")
            self.assertEqual(reminded, overdue[:2], "the first batch is kept")
            self.run_job("kommune_interkulturell.ir_cron_cooperation_dialogue")
            self.run_job("kommune_interkulturell.ir_cron_cooperation_dialogue")
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "kommune.cooperation"),
                ("res_id", "in", overdue.ids),
                ("activity_type_id", "=", self.env.ref(DIALOGUE_TYPE).id),
            ]
        )
        self.assertEqual(sorted(activities.mapped("res_id")), overdue.ids, "one each")


@tagged("post_install", "-at_install")
class TestRetentionCronBatches(CronBatchMixin, PrivacyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leavers = cls.env["res.partner"].create(
            [{"name": f"Test Ehemalige {index}", "parent_id": cls.mo.id} for index in range(5)]
        )
        for person in cls.leavers:
            cls.give_consent(person, cls.purpose_invitation)
        cls.rule = cls.env["kommune.retention.rule"].create(
            {"name": "Test 3 Jahre", "basis": "last_activity", "period_months": 36}
        )

    def test_erasure_resumes_after_an_interruption(self):
        later = "2030-12-15 03:00:00"
        with freeze_time(later):
            due = self.env["res.partner"].search(
                self.rule.with_user(self.manager).action_preview()["domain"]
            )
        self.assertLessEqual(self.leavers, due)
        self.assertEqual(self.rule.due_count, len(due), "counted when the preview opened")
        self.rule.with_user(self.manager).action_approve()
        self.set_batch_size(2)
        Privacy = self.env["kommune.privacy"]
        Log = self.env["kommune.privacy.log"]
        poisoned = due.sorted("id")[2]
        with freeze_time(later):
            with self.interrupted_at(Privacy, "_anonymize", poisoned):
                self.run_job("kommune_interkulturell.ir_cron_kommune_retention")
            erased = due.with_context(active_test=False).filtered("kommune_anonymized_date")
            self.assertEqual(len(erased), 2, "the batch before the interruption is kept")
            self.assertEqual(len(Log.search([("rule_id", "=", self.rule.id)])), 1)
            self.run_job("kommune_interkulturell.ir_cron_kommune_retention")
            self.run_job("kommune_interkulturell.ir_cron_kommune_retention")
        erased = due.with_context(active_test=False).filtered("kommune_anonymized_date")
        self.assertEqual(erased, due, "everyone due is erased once")
        logs = Log.search([("rule_id", "=", self.rule.id)])
        self.assertEqual(len(logs), -(-len(due) // 2), "one log entry per batch, none twice")
        self.assertEqual(self.rule.due_count, 0)

    def test_opening_the_rule_counts_nobody(self):
        self.rule.invalidate_recordset()
        # Reading the form's fields issues a fixed number of queries, however many
        # persons the network holds: counting who is due is the preview's job.
        with self.assertQueryCount(__system__=2):
            self.rule.read(["name", "date_cutoff", "due_count", "state", "date_preview"])
