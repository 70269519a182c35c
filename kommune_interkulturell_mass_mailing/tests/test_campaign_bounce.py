from odoo.addons.kommune_interkulturell.tests.common_smtp import real_smtp
from odoo.addons.kommune_interkulturell.tests.common_training import KommuneTrainingCommon
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

# A delivery status notification (RFC 3464) as a mail server sends it back to the
# envelope sender (Odoo's bounce address) when a recipient does not exist: a report with
# the failed recipient and the returned message.
DSN = """\
Return-Path: <>
Received: by mx.test-bounce.example.org (Postfix) id 93A83A5F0D
Date: Mon, 6 Jan 2031 09:41:06 +0100
From: MAILER-DAEMON@mx.test-bounce.example.org (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {bounce_address}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
    boundary="92726A5F09.1555335666/mx.test-bounce.example.org"
Message-Id: <20310106094106.93A83A5F0D@mx.test-bounce.example.org>

This is a MIME-encapsulated message.

--92726A5F09.1555335666/mx.test-bounce.example.org
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<{recipient}>: host mx.recipient.example.org said: 550 5.1.1 No such
    user here (in reply to RCPT TO command)

--92726A5F09.1555335666/mx.test-bounce.example.org
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.test-bounce.example.org
Arrival-Date: Mon, 6 Jan 2031 09:40:24 +0100

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 No such user here

--92726A5F09.1555335666/mx.test-bounce.example.org
Content-Description: Undelivered Message
Content-Type: message/rfc822

{returned}
--92726A5F09.1555335666/mx.test-bounce.example.org--
"""


@tagged("post_install", "-at_install")
class TestCampaignBounce(KommuneTrainingCommon):
    """An invitation that bounces: Odoo's mail gateway counts the bounce on the person
    and marks the mailing's trace bounced; later campaigns no longer invite that address
    (res.partner._kommune_invitation_conditions), and the person's form shows the
    bounce counter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        # The company's mail domain: mails leave with its bounce address as envelope
        # sender, where mail servers send their delivery reports.
        cls.env.company.alias_domain_id = cls.env["mail.alias.domain"].create(
            {"name": "test-bounce.example.org"}
        )
        Partner = cls.env["res.partner"]
        cls.bouncing, cls.reachable = Partner.create(
            [
                {
                    "name": f"Test {name}",
                    "parent_id": cls.mo.id,
                    "email": f"{name.lower()}@test-bounce-recipient.example.org",
                    "lang": "de_DE",
                }
                for name in ("Bouncing", "Reachable")
            ]
        )
        cls.audience = [("id", "in", (cls.bouncing | cls.reachable).ids)]
        purpose = cls.env.ref("kommune_interkulturell.consent_purpose_invitation")
        cls.env["kommune.consent"].create(
            [
                {
                    "partner_id": partner.id,
                    "purpose_id": purpose.id,
                    "legal_basis": "consent",
                    "channel": "form",
                }
                for partner in cls.bouncing | cls.reachable
            ]
        )
        cls.other_training = cls.training.copy({"name": "Test Vereinsrecht"})
        cls.env["kommune.training.session"].create(
            {
                "training_id": cls.other_training.id,
                "start": cls.first_start,
                "stop": cls.first_start.replace(hour=11),
            }
        )

    def recipients(self, campaign):
        mailing = campaign.mailing_mail_ids
        return self.env["res.partner"].browse(mailing._get_recipients())

    def send_invitations(self):
        campaign = self.training._create_invitation_campaign(self.audience)
        self.assertEqual(self.recipients(campaign), self.bouncing | self.reachable)
        with real_smtp(self.env) as sink:
            campaign.mailing_mail_ids.action_send_mail()
        return campaign.mailing_mail_ids, sink

    def receive_bounce(self, sink, email):
        """The mail server's report on the mail to ``email``, through the gateway."""
        (returned,) = [message for rcpts, message in sink.messages if rcpts == [email]]
        bounce_address = self.env.company.alias_domain_id.bounce_email
        self.assertEqual(returned["Return-Path"], bounce_address)
        dsn = DSN.format(
            bounce_address=bounce_address, recipient=email, returned=returned.as_string()
        )
        self.env["mail.thread"].message_process(False, dsn)

    def test_bounce_marks_person_and_trace(self):
        mailing, sink = self.send_invitations()
        traces = mailing.mailing_trace_ids
        self.assertEqual(set(traces.mapped("trace_status")), {"sent"})
        self.receive_bounce(sink, self.bouncing.email)
        self.assertEqual(self.bouncing.message_bounce, 1)
        self.assertEqual(self.reachable.message_bounce, 0)
        bounced = traces.filtered(lambda trace: trace.res_id == self.bouncing.id)
        self.assertEqual(bounced.trace_status, "bounce")
        self.assertEqual(bounced.failure_type, "mail_bounce")
        self.assertEqual((traces - bounced).trace_status, "sent")
        self.assertEqual(mailing.bounced, 1)

    def test_bounced_address_not_invited_again(self):
        _mailing, sink = self.send_invitations()
        self.receive_bounce(sink, self.bouncing.email)
        campaign = self.other_training._create_invitation_campaign(self.audience)
        self.assertEqual(self.recipients(campaign), self.reachable)
        # The campaign's audience (the Invite wizard's count) says so before sending.
        self.assertEqual(
            self.env["res.partner"].search(
                self.other_training._get_invitation_recipient_domain(self.audience)
            ),
            self.reachable,
        )
        # Only when the whole audience bounced, nobody can be invited.
        self.reachable.message_bounce = 1
        with self.assertRaisesRegex(UserError, "Nobody in this audience"):
            self.other_training._create_invitation_campaign(self.audience)

    def test_bounce_counter_on_person_form(self):
        """The project's users see on the person's form (as the web client loads it) how
        often mails to the address bounced; without bounces the counter stays hidden."""
        _mailing, sink = self.send_invitations()
        self.receive_bounce(sink, self.bouncing.email)
        bouncing = Form(self.bouncing.with_user(self.user))
        self.assertEqual(bouncing.message_bounce, 1)
        self.assertFalse(bouncing._get_modifier("message_bounce", "invisible"))
        reachable = Form(self.reachable.with_user(self.user))
        self.assertEqual(reachable.message_bounce, 0)
        self.assertTrue(reachable._get_modifier("message_bounce", "invisible"))

    def test_corrected_address_is_invited_again(self):
        self.bouncing.message_bounce = 2
        self.bouncing.email = self.bouncing.email  # unchanged: still bounced
        self.assertEqual(self.bouncing.message_bounce, 2)
        self.bouncing.email = "korrigiert@test-bounce.example.org"
        self.assertEqual(self.bouncing.message_bounce, 0)
        campaign = self.other_training._create_invitation_campaign(self.audience)
        self.assertIn(self.bouncing, self.recipients(campaign))
