from datetime import datetime, timedelta

from odoo.addons.kommune_interkulturell.tests.common_smtp import real_smtp
from odoo.tests import TransactionCase, freeze_time, tagged

from ..models.kommune_mail_throttle import MAIL_THROTTLE_PARAM


@tagged("post_install", "-at_install")
class TestCampaignThrottle(TransactionCase):
    """The throttle (mails per minute) applies where Odoo processes its mail queue; with
    it, mass mailings always go through the queue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = datetime(2031, 1, 6, 9, 0, 10)
        cls.Mail = cls.env["mail.mail"]
        # Mails already queued by others stay out of the counts (queue filter below).
        cls.mails = cls.Mail.create(
            [
                {
                    "subject": f"Test Drossel {index}",
                    "email_to": f"drossel{index}@test-campaign.example.org",
                    "body_html": "<p>Hallo</p>",
                    "auto_delete": False,
                }
                for index in range(7)
            ]
        )

    def setUp(self):
        super().setUp()
        self.sink = self.enterContext(real_smtp(self.env))

    def process(self):
        return self.Mail.with_context(filters=[("id", "in", self.mails.ids)]).process_email_queue()

    def outgoing(self):
        return self.mails.filtered(lambda mail: mail.state == "outgoing")

    def triggers(self):
        cron = self.env.ref("mail.ir_cron_mail_scheduler_action")
        return self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).mapped("call_at")

    def test_no_throttle_sends_everything(self):
        with freeze_time(self.now):
            self.process()
        self.assertFalse(self.outgoing())
        self.assertEqual(len(self.sink.messages), 7)

    def test_mails_per_minute(self):
        self.env["ir.config_parameter"].set_param(MAIL_THROTTLE_PARAM, 3)
        with freeze_time(self.now):
            self.process()
            self.assertEqual(len(self.outgoing()), 4, "3 of 7 sent, oldest first")
            self.assertEqual(self.mails[:3].mapped("state"), ["sent"] * 3)
            self.assertEqual(len(self.sink.messages), 3)
            self.assertIn(datetime(2031, 1, 6, 9, 1), self.triggers(), "woken up next minute")
        with freeze_time(self.now + timedelta(seconds=40)):
            self.process()
            self.assertEqual(len(self.outgoing()), 4, "the minute's budget is spent")
        with freeze_time(self.now + timedelta(minutes=1)):
            self.process()
            self.assertEqual(len(self.outgoing()), 1)
        with freeze_time(self.now + timedelta(minutes=2)):
            self.process()
            self.assertFalse(self.outgoing())
        self.assertEqual(len(self.sink.messages), 7)
        counts = self.env["kommune.mail.throttle"].search([]).mapped("mail_count")
        self.assertLessEqual(max(counts), 3)

    def test_mass_mailing_goes_through_the_queue_when_throttled(self):
        partner = self.env["res.partner"].create(
            {"name": "Test Drossel Person", "email": "person@test-campaign.example.org"}
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Test Drossel Mailing",
                "body_html": "<p>Hallo</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "=", partner.id)]),
                "email_from": "netzwerk@test-campaign.example.org",
            }
        )
        self.env["ir.config_parameter"].set_param(MAIL_THROTTLE_PARAM, 10)
        mailing.action_send_mail()
        self.assertEqual(mailing.mailing_trace_ids.trace_status, "outgoing", "queued, not sent")
        self.assertEqual(mailing.mailing_trace_ids.mail_mail_id.state, "outgoing")

    def test_setting(self):
        settings = self.env["res.config.settings"].create({"kommune_mail_throttle_per_minute": 60})
        settings.execute()
        self.assertEqual(self.env["kommune.mail.throttle"]._get_limit(), 60)
        self.env["ir.config_parameter"].set_param(MAIL_THROTTLE_PARAM, "garbage")
        self.assertEqual(self.env["kommune.mail.throttle"]._get_limit(), 0)
