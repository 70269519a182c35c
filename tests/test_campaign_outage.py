"""An invitation campaign interrupted by an outage of the mail server, on a real server
process with a real SMTP server that goes away and comes back: the campaign resumes by
itself once the server is back, and everybody gets exactly one mail.

Odoo marks mails it could not hand over because the SMTP server was unreachable as
failed (state ``exception``; their traces ``error`` / ``mail_smtp``) and its queue sends
``outgoing`` mails only: without the addon's re-queueing (mail.mail in the addon) those
people would never get their invitation."""

import uuid
from collections import Counter

import pytest

from .conftest import LiveServer, SmtpSink, free_port, open_training
from .test_live_rpc import xmlid

PERSONS = 50
BATCH = 20


class FixedPortSink(SmtpSink):
    """The suite's SMTP sink on a given port, keeping messages in a given list."""

    def __init__(self, port, messages):
        from aiosmtpd.controller import Controller

        self.messages = messages
        self.port = port
        self.controller = Controller(self, hostname="127.0.0.1", port=port)
        self.controller.start()


class OutageSmtp:
    """A real SMTP server on a fixed port that can be switched off - nothing listens
    then, connections are refused - and on again; one record of what it received."""

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self._sink = None

    def start(self):
        self._sink = FixedPortSink(self.port, self.messages)

    def stop(self):
        if self._sink:
            self._sink.stop()
            self._sink = None


@pytest.fixture
def outage_smtp():
    smtp = OutageSmtp()
    yield smtp
    smtp.stop()


@pytest.fixture
def outage_server(outage_smtp):
    server = LiveServer(smtp_port=outage_smtp.port).wait_ready().use_own_url()
    yield server
    server.stop()


def _campaign(admin, tag):
    """50 persons with an invitation consent, a training, its campaign (one mailing)."""
    organization = admin(
        "res.partner",
        "create",
        [
            {
                "name": f"Outage MO {tag}",
                "is_company": True,
                "organization_type_id": xmlid(admin, "kommune_interkulturell.organization_type_mo"),
            }
        ],
    )
    person_ids = admin(
        "res.partner",
        "create",
        [
            [
                {
                    "name": f"Outage Person {tag} {index:02d}",
                    "parent_id": organization,
                    "email": f"outage.{tag}.{index:02d}@example.org",
                    "lang": "de_DE",
                }
                for index in range(PERSONS)
            ]
        ],
    )
    purpose = xmlid(admin, "kommune_interkulturell.consent_purpose_invitation")
    admin(
        "kommune.consent",
        "create",
        [
            [
                {
                    "partner_id": partner_id,
                    "purpose_id": purpose,
                    "legal_basis": "consent",
                    "channel": "form",
                }
                for partner_id in person_ids
            ]
        ],
    )
    training = open_training(admin, f"Outage Schulung {tag}", 10)
    wizard = admin(
        "kommune.campaign.invite",
        "create",
        [{"training_id": training, "organization_ids": [(6, 0, [organization])]}],
    )
    campaign = admin("kommune.campaign.invite", "action_create_campaign", [[wizard]])["res_id"]
    mailings = admin("mailing.mailing", "search", [[("campaign_id", "=", campaign)]])
    assert len(mailings) == 1
    return mailings[0]


def _received(smtp, emails):
    """The campaign's recipients of each message the SMTP server received."""
    return [
        recipient
        for recipients, _message in smtp.messages
        for recipient in recipients
        if recipient in emails
    ]


def _traces(admin, mailing):
    return admin(
        "mailing.trace",
        "search_read",
        [[("mass_mailing_id", "=", mailing)]],
        fields=["res_id", "email", "trace_status", "failure_type"],
    )


def _waiting_mails(admin, mailing):
    return admin(
        "mail.mail",
        "search_count",
        [[("mailing_id", "=", mailing), ("state", "in", ("outgoing", "exception"))]],
    )


@pytest.fixture
def queued_in_batches(outage_server):
    """Campaigns go through the queue (not sent within the click), 20 mails a run, so
    that an outage can hit one halfway. The live database is shared by the suite's
    live tests: the settings are restored afterwards."""
    admin = outage_server.rpc()
    params = {"mail.mail.force.send.limit": "0", "mail.mail.queue.batch.size": str(BATCH)}
    saved = {key: admin("ir.config_parameter", "get_param", [key]) for key in params}
    for key, value in params.items():
        admin("ir.config_parameter", "set_param", [key, value])
    yield
    for key, value in saved.items():
        admin("ir.config_parameter", "set_param", [key, value])


def test_campaign_resumes_after_smtp_outage(outage_server, outage_smtp, queued_in_batches):
    server, smtp = outage_server, outage_smtp
    admin = server.rpc()
    tag = uuid.uuid4().hex[:8]
    emails = {f"outage.{tag}.{index:02d}@example.org" for index in range(PERSONS)}
    mailing = _campaign(admin, tag)
    admin("mailing.mailing", "action_send_mail", [[mailing]])
    assert _waiting_mails(admin, mailing) == PERSONS

    # The server is up for the first run of the queue's scheduled action (one batch).
    smtp.start()
    queue = xmlid(admin, "mail.ir_cron_mail_scheduler_action")
    admin("ir.cron", "method_direct_trigger", [[queue]])
    assert len(_received(smtp, emails)) == BATCH

    # Outage: nothing listens on the port any more. The queue runs twice: failed mails
    # are put back into the queue, and fail again.
    smtp.stop()
    for _run in range(2):
        admin("ir.cron", "method_direct_trigger", [[queue]])
        traces = _traces(admin, mailing)
        statuses = Counter(trace["trace_status"] for trace in traces)
        assert statuses["sent"] == BATCH, "what was sent stays sent"
        assert statuses["outgoing"] == PERSONS - 2 * BATCH
        assert statuses["error"] == BATCH, "the next batch failed: server unreachable"
        assert {t["failure_type"] for t in traces if t["trace_status"] == "error"} == {"mail_smtp"}
    failed = admin(
        "mail.mail",
        "search_read",
        [[("mailing_id", "=", mailing), ("state", "=", "exception")]],
        fields=["failure_type"],
    )
    assert len(failed) == BATCH
    assert {mail["failure_type"] for mail in failed} == {"mail_smtp"}
    assert len(_received(smtp, emails)) == BATCH, "nothing can be sent during the outage"

    # The server is back: the next runs of the queue resume the campaign (30 mails in
    # batches of 20: two runs).
    smtp.start()
    for _run in range(2):
        admin("ir.cron", "method_direct_trigger", [[queue]])
    assert _waiting_mails(admin, mailing) == 0

    # Everybody got exactly one mail (the queue also carries the database's other mails,
    # e.g. notifications to the administrator).
    received = Counter(_received(smtp, emails))
    assert set(received) == emails
    assert set(received.values()) == {1}, [email for email, n in received.items() if n > 1]

    # The mailing's statistics agree: one delivered trace per person.
    traces = _traces(admin, mailing)
    assert len(traces) == PERSONS
    assert len({trace["res_id"] for trace in traces}) == PERSONS
    assert {trace["email"] for trace in traces} == emails
    assert Counter(trace["trace_status"] for trace in traces) == {"sent": PERSONS}
    (stats,) = admin("mailing.mailing", "read", [[mailing], ["sent", "failed", "expected"]])
    assert stats["sent"] == stats["expected"] == PERSONS
    assert stats["failed"] == 0
