import socket
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, freeze_time, tagged

from ..models.mail_mail import MAIL_SMTP_RETRY_HOURS
from .common_smtp import real_smtp


@tagged("post_install", "-at_install")
class TestMailResume(TransactionCase):
    """Mails that could not leave because the mail server was unreachable go back into
    the queue at its next run (for a day); mails the server refused do not.

    The connection failures are real: Odoo's SMTP client connects to a port where
    nothing listens (test mode only lifts Odoo's guard against sending, see real_smtp)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Mail = cls.env["mail.mail"]
        cls.partner = cls.env["res.partner"].create(
            {"name": "Resume Person", "email": "resume.person@test-resume.example.org"}
        )
        cls.mails = cls.Mail.create(
            [
                {
                    "subject": f"Test Wiederaufnahme {index}",
                    "email_to": f"resume{index}@test-resume.example.org",
                    "body_html": "<p>Hallo</p>",
                    "auto_delete": False,
                    "model": "res.partner",
                    "res_id": cls.partner.id,
                }
                for index in range(3)
            ]
        )

    def setUp(self):
        super().setUp()
        self.sink = self.enterContext(real_smtp(self.env))
        # The mail server the mails go through, preferred to the sink, while nothing
        # listens on its port: connections are refused.
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            dead_port = sock.getsockname()[1]
        self.server = self.env["ir.mail_server"].create(
            {
                "name": "Test SMTP down",
                "smtp_host": "127.0.0.1",
                "smtp_port": dead_port,
                "smtp_encryption": "none",
                "sequence": 0,
            }
        )

    def process(self):
        return self.Mail.with_context(filters=[("id", "in", self.mails.ids)]).process_email_queue()

    def server_back(self):
        self.server.smtp_port = self.sink.port

    def test_connection_failure_marked(self):
        self.mails.send()
        self.assertEqual(self.mails.mapped("state"), ["exception"] * 3)
        self.assertEqual(self.mails.mapped("failure_type"), ["mail_smtp"] * 3)
        self.assertFalse(self.sink.messages)

    def test_requeued_at_next_run_and_sent_once(self):
        self.mails.send()
        # Still down: queued again, refused again, marked again - nothing lost.
        self.process()
        self.assertEqual(self.mails.mapped("state"), ["exception"] * 3)
        self.assertEqual(self.mails.mapped("failure_type"), ["mail_smtp"] * 3)
        self.assertEqual(self.Mail._kommune_requeue_connection_failures(), self.mails)
        self.assertEqual(self.mails.mapped("state"), ["outgoing"] * 3)
        self.assertFalse(any(self.mails.mapped("failure_reason")))
        self.mails.write({"state": "exception", "failure_type": "mail_smtp"})
        # Back: the next run sends them, each once.
        self.server_back()
        self.process()
        self.assertEqual(self.mails.mapped("state"), ["sent"] * 3)
        self.assertEqual(
            sorted(rcpt for rcpts, _message in self.sink.messages for rcpt in rcpts),
            sorted(self.mails.mapped("email_to")),
        )

    def test_refused_mails_stay_failed(self):
        """A mail the server refused (or any other failure) may have reached somebody,
        or would be refused again: it is not sent again by itself."""
        for failure_type in ("unknown", "mail_email_invalid", "mail_from_invalid", "mail_spam"):
            self.mails.write(
                {"state": "exception", "failure_type": failure_type, "failure_reason": "550 No"}
            )
            self.server_back()
            self.process()
            self.assertEqual(self.mails.mapped("state"), ["exception"] * 3, failure_type)
        self.assertFalse(self.sink.messages)

    def test_retried_for_a_day_only(self):
        self.mails.send()
        self.server_back()
        later = fields.Datetime.now() + timedelta(hours=MAIL_SMTP_RETRY_HOURS, minutes=5)
        with freeze_time(later):
            self.process()
        self.assertEqual(self.mails.mapped("state"), ["exception"] * 3)
        self.assertFalse(self.sink.messages)
        # A staff member can still retry them by hand (Odoo's Retry button).
        self.mails.action_retry()
        self.process()
        self.assertEqual(self.mails.mapped("state"), ["sent"] * 3)

    def test_only_the_given_mails(self):
        self.mails.send()
        self.server_back()
        self.Mail.process_email_queue(email_ids=self.mails[:1].ids)
        self.assertEqual(self.mails.mapped("state"), ["sent", "exception", "exception"])
