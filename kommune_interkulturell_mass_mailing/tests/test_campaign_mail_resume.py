from odoo.addons.kommune_interkulturell.tests import test_mail_resume
from odoo.tests import tagged


# The app's tests once more (imported through their module: only this class runs here),
# with the mails of a mailing.
@tagged("post_install", "-at_install")
class TestCampaignMailResume(test_mail_resume.TestMailResume):
    """Mails of a campaign that failed because the mail server was unreachable: their
    mailing traces say so, and go back to outgoing with them, so that the mailing does
    not count them as failed while they wait; once sent, they count as sent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Test Wiederaufnahme",
                "body_html": "<p>Hallo</p>",
                "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
            }
        )
        cls.mails.mailing_id = cls.mailing
        cls.traces = cls.env["mailing.trace"].create(
            [
                {
                    "mail_mail_id": mail.id,
                    "mass_mailing_id": cls.mailing.id,
                    "model": "res.partner",
                    "res_id": cls.partner.id,
                    "email": mail.email_to,
                }
                for mail in cls.mails
            ]
        )

    def test_traces_follow_their_mails(self):
        self.mails.send()
        self.assertEqual(self.traces.mapped("trace_status"), ["error"] * 3)
        self.assertEqual(self.traces.mapped("failure_type"), ["mail_smtp"] * 3)
        self.assertEqual(self.Mail._kommune_requeue_connection_failures(), self.mails)
        self.assertEqual(self.traces.mapped("trace_status"), ["outgoing"] * 3)
        self.mails.write({"state": "exception", "failure_type": "mail_smtp"})
        self.server_back()
        self.process()
        self.assertEqual(self.mails.mapped("state"), ["sent"] * 3)
        self.assertEqual(self.traces.mapped("trace_status"), ["sent"] * 3)
