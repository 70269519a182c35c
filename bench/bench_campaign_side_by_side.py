"""Invitation campaign vs a plain Odoo mailing, through the queue to a local SMTP sink.

The same persons (with consent to invitations), a body of the same size, throttle off:
generating the mails (mailing.action_send_mail) and sending them (mail.mail.send, real
SMTP to an aiosmtpd sink on loopback), interleaved. KI_BENCH_CAMPAIGN_PERSONS sets the
audience (3,000 by default). Profile with KI_BENCH_PROFILE=1 (cProfile, top functions).
"""

import cProfile
import io
import os
import pstats
import time
from contextlib import contextmanager

from invitation_seed import seed_invited_persons

from odoo.addons.kommune_interkulturell.tests.common_smtp import SmtpSink
from odoo.modules import module as odoo_module

PERSONS = int(os.environ.get("KI_BENCH_CAMPAIGN_PERSONS", "3000"))
PROFILE = os.environ.get("KI_BENCH_PROFILE") == "1"


@contextmanager
def without_auto_commit():
    """Generate the mails in the bench's transaction, which is rolled back: outside
    tests, mailing.action_send_mail commits after each batch of mails."""
    previous = odoo_module.current_test
    odoo_module.current_test = "bench"
    try:
        yield
    finally:
        odoo_module.current_test = previous


def timed(label, fn):
    profile = cProfile.Profile() if PROFILE else None
    start = time.perf_counter()
    if profile:
        profile.enable()
    fn()
    if profile:
        profile.disable()
    elapsed = time.perf_counter() - start
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
        print(f"  -- profile of {label}\n{out.getvalue()}")
    return elapsed


def bench(env, measure):
    if "mailing.mailing" not in env or "kommune.campaign.invite" not in env:
        print("  the campaign bridge is not installed in this database")
        return
    env = env(
        context={
            "kommune_training_no_mail": True,
            "no_mail_to_attendees": True,
            "tracking_disable": True,
        }
    )
    env["res.lang"]._activate_lang("de_DE")
    sink = SmtpSink()
    sink.controller.start()
    try:
        _bench(env, sink)
    finally:
        sink.controller.stop()


def _bench(env, sink):
    # Sending needs a bounce address, which a fresh database lacks.
    env["ir.config_parameter"].set_param("mail.catchall.domain", "bench.example.org")
    env["ir.mail_server"].create(
        {
            "name": "Bench SMTP sink",
            "smtp_host": "127.0.0.1",
            "smtp_port": sink.port,
            "smtp_encryption": "none",
            "sequence": 0,
        }
    )
    organization, persons, training = seed_invited_persons(env, "Campaign", PERSONS)
    env.flush_all()

    wizard = env["kommune.campaign.invite"].create(
        {"training_id": training.id, "organization_ids": [(6, 0, organization.ids)]}
    )
    created = []
    campaign_s = timed("campaign creation", lambda: created.append(wizard._create_campaign()))
    ours = created[0].mailing_mail_ids
    plain = env["mailing.mailing"].create(
        {
            "subject": "Bench plain mailing",
            "mailing_model_id": env["ir.model"]._get_id("res.partner"),
            "mailing_domain": repr([("id", "in", persons.ids)]),
            "body_html": ours[0].body_html,
            "email_from": ours[0].email_from,
        }
    )

    def mails(mailings):
        env.flush_all()
        return env["mail.mail"].search([("mailing_id", "in", mailings.ids)])

    figures = {}
    for side, mailing in (("ours", ours), ("plain", plain)):
        with without_auto_commit():
            figures[f"{side} generate"] = timed(f"{side} generate", mailing.action_send_mail)
    for side, mailing in (("ours", ours), ("plain", plain)):
        queued = mails(mailing)
        sent_before = len(sink.messages)
        figures[f"{side} send"] = timed(
            f"{side} send", lambda queued=queued: queued.send(auto_commit=False)
        )
        figures[f"{side} count"] = len(sink.messages) - sent_before
        failed = queued.exists().filtered(lambda mail: mail.state == "exception")
        if failed:
            print(f"  {side}: {len(failed)} mails failed: {failed[0].failure_reason}")
    rate = {
        side: figures[f"{side} count"] / (figures[f"{side} generate"] + figures[f"{side} send"])
        for side in ("ours", "plain")
    }
    print(f"  campaign created (wizard, mailings, personal links): {campaign_s:.1f} s")
    print(
        f"  {PERSONS:,} persons: ours generate {figures['ours generate']:.1f} s, send "
        f"{figures['ours send']:.1f} s ({figures['ours count']} mails) | plain generate "
        f"{figures['plain generate']:.1f} s, send {figures['plain send']:.1f} s "
        f"({figures['plain count']} mails)"
    )
    if not rate["plain"]:
        print("  nothing reached the SMTP sink: see the mails' failure reasons")
        return
    print(
        f"  mails/s ours {rate['ours']:.1f} vs plain {rate['plain']:.1f}: "
        f"ratio {rate['ours'] / rate['plain']:.2f}x (>= 0.9 is the target)"
    )
