"""Mails sent for real, to an SMTP server on loopback, in the tests of the repo's addons."""

import email
import socket
from contextlib import contextmanager
from email import policy
from unittest.mock import patch

from aiosmtpd.controller import Controller


class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

    def __init__(self):
        self.messages = []
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def bodies(self):
        return [
            message.get_body(("html", "plain")).get_content() for _rcpt, message in self.messages
        ]


@contextmanager
def real_smtp(env):
    """Send mails for real, to a local SMTP sink, instead of dropping them.

    Odoo's test mode stops every mail before the transport (ir.mail_server.
    _disable_send), so nothing would be sent, traces would stay "outgoing". Here the
    transport is the real one - Odoo's SMTP client talking to a real SMTP server - only
    the test-mode guard is lifted, for a mail server that points to the sink.

    :return: the sink (its ``messages`` as received)
    """
    sink = SmtpSink()
    sink.controller.start()
    try:
        env["ir.mail_server"].create(
            {
                "name": "Test SMTP sink",
                "smtp_host": "127.0.0.1",
                "smtp_port": sink.port,
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )
        with patch.object(type(env["ir.mail_server"]), "_disable_send", return_value=False):
            yield sink
    finally:
        sink.controller.stop()
