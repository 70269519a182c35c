#!/usr/bin/env python3
"""Public registration through personal links against Odoo's /web/login, over HTTP.

Usage (`make bench-http` does this on a throw-away copy of the bench database):
    PYTHONPATH=$ODOO_PATH http_registration.py CONF DB HTTP_PORT

Seeds an open training, persons with consent and an invitation campaign with personal
links, raises the public pages' rate limit (the copy is dropped afterwards), starts
odoo-bin with 4 workers and drives concurrent clients with plain HTTP, as browsers do:
a registration is GET of the personal link (the page with its CSRF token and session
cookie), then POST of the form; the login page is GET /web/login. Registration and
login phases alternate in rounds on the same workers; each rate is the median over the
rounds. Every answer must be 200 and every registration must be in the database.
KI_BENCH_HTTP_CLIENTS (8), KI_BENCH_HTTP_ROUNDS (5), KI_BENCH_HTTP_REGISTRATIONS (60 a
round) and KI_BENCH_HTTP_WORKERS (4) change the run.
"""

import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from invitation_seed import seed_invited_persons

import odoo
import odoo.service.server
from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.tools import config

CLIENTS = int(os.environ.get("KI_BENCH_HTTP_CLIENTS", "8"))
ROUNDS = int(os.environ.get("KI_BENCH_HTTP_ROUNDS", "5"))
REGISTRATIONS = int(os.environ.get("KI_BENCH_HTTP_REGISTRATIONS", "60"))
WORKERS = int(os.environ.get("KI_BENCH_HTTP_WORKERS", "4"))
# Login pages per round: as many requests as the registrations make (GET + POST).
LOGINS = 2 * REGISTRATIONS
WARMUP = 4 * WORKERS
CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
RATE_LIMIT_PARAM = "kommune_interkulturell.public_rate_limit"


def seed(registry, persons_count):
    """Commit what the run needs; return the personal links' paths and the training id."""
    with registry.cursor() as cr:
        env = Environment(
            cr,
            SUPERUSER_ID,
            {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True},
        )
        env["res.lang"]._activate_lang("de_DE")
        # For this run only: the copy of the database is dropped afterwards.
        env["ir.config_parameter"].set_param(RATE_LIMIT_PARAM, "1000000")
        env["ir.config_parameter"].set_param("mail.catchall.domain", "bench.example.org")
        organization, persons, training = seed_invited_persons(env, "HTTP", persons_count)
        wizard = env["kommune.campaign.invite"].create(
            {"training_id": training.id, "organization_ids": [(6, 0, organization.ids)]}
        )
        mailing = wizard._create_campaign().mailing_mail_ids[:1]
        paths = [
            f"/kommune/invitation/{training._get_invitation_token(person, mailing)}"
            for person in persons
        ]
        cr.commit()
        return paths, training.id


def start_server(conf, db, port):
    command = [
        sys.executable,
        str(Path(odoo.__path__[0]).parent / "odoo-bin"),
        "-c",
        conf,
        "-d",
        db,
        f"--db-filter=^{re.escape(db)}$",
        f"--workers={WORKERS}",
        "--max-cron-threads=0",
        f"--http-port={port}",
        f"--gevent-port={port + 1}",
        "--log-level=warn",
        "--limit-time-real=600",
        "--no-database-list",
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/web/health", timeout=10).status_code == 200:
                return server, base
        except requests.RequestException:
            pass
        if server.poll() is not None:
            raise RuntimeError(f"odoo-bin ended with {server.returncode}")
        time.sleep(0.5)
    server.terminate()
    server.wait(60)
    raise RuntimeError("odoo-bin did not answer /web/health within 2 minutes")


def register(base, path):
    """One person registering as a browser does: open the link, post the form.
    :return: None, or what went wrong"""
    with requests.Session() as session:
        page = session.get(base + path, timeout=60)
        if page.status_code != 200:
            return f"GET {page.status_code}"
        token = CSRF_RE.search(page.text)
        if not token:
            return "no CSRF token on the page"
        answer = session.post(
            f"{base}{path}/register",
            data={"csrf_token": token.group(1), "consent": "1"},
            timeout=60,
        )
        if answer.status_code != 200:
            return f"POST {answer.status_code}"
    return None


def login_page(base):
    answer = requests.get(f"{base}/web/login", timeout=60)
    if answer.status_code != 200 or "csrf_token" not in answer.text:
        return f"GET /web/login {answer.status_code}"
    return None


def phase(pool, jobs):
    """Run the jobs on the pool; (seconds, errors)."""
    start = time.perf_counter()
    results = list(pool.map(lambda job: job(), jobs))
    return time.perf_counter() - start, [error for error in results if error]


def main(conf, db, port):
    config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    odoo.service.server.load_server_wide_modules()
    registry = Registry(db)
    paths, training_id = seed(registry, WARMUP + ROUNDS * REGISTRATIONS)
    server, base = start_server(conf, db, port)
    errors = {"registration": [], "login": []}
    rates = {"registration": [], "login": []}
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            # Every worker loads the registry and the templates once.
            warm_paths, paths = paths[:WARMUP], paths[WARMUP:]
            _, warm_errors = phase(pool, [lambda p=p: register(base, p) for p in warm_paths])
            errors["registration"] += warm_errors
            _, warm_errors = phase(pool, [lambda: login_page(base)] * WARMUP)
            errors["login"] += warm_errors
            for round_index in range(ROUNDS):
                batch = paths[round_index * REGISTRATIONS : (round_index + 1) * REGISTRATIONS]
                seconds, failed = phase(pool, [lambda p=p: register(base, p) for p in batch])
                rates["registration"].append(len(batch) / seconds)
                errors["registration"] += failed
                seconds, failed = phase(pool, [lambda: login_page(base)] * LOGINS)
                rates["login"].append(LOGINS / seconds)
                errors["login"] += failed
    finally:
        server.terminate()
        server.wait(60)
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM kommune_training_registration "
            "WHERE training_id = %s AND state = 'confirmed'",
            [training_id],
        )
        registered = cr.fetchone()[0]
    expected = WARMUP + ROUNDS * REGISTRATIONS - len(errors["registration"])
    registration = statistics.median(rates["registration"])
    login = statistics.median(rates["login"])
    print(
        f"  {WORKERS} workers, {CLIENTS} clients, {ROUNDS} rounds of {REGISTRATIONS} "
        f"registrations (GET link + POST form) and {LOGINS} GET /web/login"
    )
    print(
        "  registrations/s per round: "
        + ", ".join(f"{rate:.1f}" for rate in rates["registration"])
        + " | /web/login pages/s per round: "
        + ", ".join(f"{rate:.1f}" for rate in rates["login"])
    )
    print(
        f"  median: registrations {registration:.1f}/s ({2 * registration:.1f} requests/s) "
        f"| /web/login {login:.1f}/s | ratio {registration / login:.2f}x "
        f"(>= 0.5 is the target)"
    )
    print(
        f"  errors: registration {len(errors['registration'])}, login "
        f"{len(errors['login'])}; confirmed in the database {registered} of {expected}"
    )
    for kind, failed in errors.items():
        for error in sorted(set(failed)):
            print(f"    {kind}: {error} ({failed.count(error)}x)")
    if any(errors.values()) or registered != expected:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
