"""The public registration form under load, on a real prefork server (4 worker
processes, each with its own database connection): 50 people invited to a training with
10 seats submit their personal link's form at the same moment. The seats are decided
under the training's row lock (kommune.training._lock_seats), so exactly 10 get a seat,
40 join the waitlist, nobody is registered twice and no request ends in a server error.
Submitting again changes nothing. And a registration that waits for the seat lock while
the seats change again and again gets its answer without being retried."""

import json
import re
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier, Event, Thread

import pytest

from .conftest import LiveServer, odoo_shell, open_training

PERSONS = 50
SEATS = 10
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
REGISTER_RE = re.compile(r'action="(/kommune/invitation/[^"/]+/register)(?:\?lang=[A-Za-z0-9_]*)?"')
# All requests come from 127.0.0.1: lift the public routes' rate limit (requests per
# IP and minute) for this test.
RATE_LIMIT_PARAM = "kommune_interkulturell.public_rate_limit"


@pytest.fixture
def prefork_server():
    server = LiveServer(workers=4).wait_ready()
    admin = server.rpc()
    saved = admin("ir.config_parameter", "get_param", [RATE_LIMIT_PARAM])
    admin("ir.config_parameter", "set_param", [RATE_LIMIT_PARAM, "1000"])
    yield server
    # The live database is shared by the suite's live tests.
    admin("ir.config_parameter", "set_param", [RATE_LIMIT_PARAM, saved])
    server.stop()


def _create_training(admin, tag):
    person_ids = admin(
        "res.partner",
        "create",
        [
            [
                {
                    "name": f"Load Person {tag} {index:02d}",
                    "email": f"load.{tag}.{index:02d}@example.org",
                    "lang": "de_DE",
                }
                for index in range(PERSONS)
            ]
        ],
    )
    training = open_training(admin, f"Load Schulung {tag}", SEATS)
    return training, person_ids


def _invitation_tokens(db, training, person_ids):
    """Each person's personal link token, as invitation mails carry it (signed with the
    database secret, hence computed by the server itself)."""
    output = odoo_shell(
        db,
        "import json\n"
        f"training = env['kommune.training'].browse({training})\n"
        f"partners = env['res.partner'].browse({person_ids!r})\n"
        "print('TOKENS=' + json.dumps("
        "{p.id: training._get_invitation_token(p) for p in partners}))\n",
    )
    (line,) = [line for line in output.splitlines() if line.startswith("TOKENS=")]
    return {int(key): token for key, token in json.loads(line[len("TOKENS=") :]).items()}


def _registrations(admin, training):
    return admin(
        "kommune.training.registration",
        "search_read",
        [[("training_id", "=", training)]],
        fields=["partner_id", "state", "source"],
    )


def _post_all_at_once(forms):
    """POST every form from its own thread; a barrier releases them together."""
    barrier = Barrier(len(forms))

    def post(form):
        session, url, data = form
        barrier.wait(timeout=60)
        return session.post(url, data=data, timeout=300)

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        return list(pool.map(post, forms))


def test_fifty_simultaneous_registrations_for_ten_seats(prefork_server):
    import requests

    server = prefork_server
    admin = server.rpc()
    tag = uuid.uuid4().hex[:8]
    training, person_ids = _create_training(admin, tag)
    tokens = _invitation_tokens(server.db, training, person_ids)
    assert set(tokens) == set(person_ids)

    # Each person opens their page in their own browser session (the CSRF token is bound
    # to the session) and finds the registration form.
    forms = []
    for partner_id in person_ids:
        session = requests.Session()
        page = session.get(f"{server.url}/kommune/invitation/{tokens[partner_id]}", timeout=60)
        assert page.status_code == 200, page.text[:500]
        register = REGISTER_RE.search(page.text).group(1)
        data = {"csrf_token": CSRF_RE.search(page.text).group(1), "consent": "1"}
        forms.append((session, server.url + register, data))

    responses = _post_all_at_once(forms)
    server_errors = [(r.status_code, r.text[:300]) for r in responses if r.status_code >= 500]
    assert not server_errors, f"server errors:\n{server_errors}\n{server.log()}"
    assert Counter(r.status_code for r in responses) == {200: PERSONS}

    registrations = _registrations(admin, training)
    partners = [registration["partner_id"][0] for registration in registrations]
    assert len(partners) == len(set(partners)) == PERSONS, "one registration per person"
    assert set(partners) == set(person_ids)
    assert Counter(registration["state"] for registration in registrations) == {
        "confirmed": SEATS,
        "waitlist": PERSONS - SEATS,
    }
    assert {registration["source"] for registration in registrations} == {"invitation"}

    # Everybody submits again (a double click, a reloaded page): nothing changes.
    responses = _post_all_at_once(forms)
    assert all(r.status_code < 500 for r in responses), server.log()
    assert Counter(r.status_code for r in responses) == {200: PERSONS}
    again = _registrations(admin, training)
    assert sorted(again, key=lambda r: r["id"]) == sorted(registrations, key=lambda r: r["id"])


# More rounds than Odoo tries a request that failed on a serialization error
# (odoo.service.model.MAX_TRIES_ON_CONCURRENCY_FAILURE = 5).
SEAT_CHANGE_ROUNDS = 8


def _db_cursor(db):
    """A cursor of its own on ``db`` at READ COMMITTED: a transaction beside the
    server's, which never fails on what the server commits."""
    from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

    from odoo.sql_db import db_connect

    cr = db_connect(db).cursor()
    cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
    return cr


def _backend_pid(cr):
    cr.execute("SELECT pg_backend_pid()")
    return cr.fetchone()[0]


def _poll(monitor, sql, params, timeout=60, until_done=None):
    """Run ``sql`` until it returns a row, and return that row (None once
    ``until_done`` is set)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        monitor.execute(sql, params)
        row = monitor.fetchone()
        monitor.rollback()  # a transaction keeps one snapshot of pg_stat_activity
        if row:
            return row
        if until_done is not None and until_done.is_set():
            return None
        time.sleep(0.05)
    raise AssertionError(f"nothing after {timeout} s: {sql} {params}")


def _wait_for_waiter(monitor, pid, ours, until_done):
    """Whether a backend other than ``ours`` comes to wait for a lock of ``pid`` before
    ``until_done`` is set."""
    return bool(
        _poll(
            monitor,
            "SELECT pid FROM pg_stat_activity "
            "WHERE %s = ANY(pg_blocking_pids(pid)) AND NOT pid = ANY(%s)",
            [pid, list(ours)],
            until_done=until_done,
        )
    )


def _wait_until_blocked(monitor, pid):
    _poll(monitor, "SELECT 1 WHERE cardinality(pg_blocking_pids(%s)) > 0", [pid])


def test_registration_waiting_for_the_seat_lock_is_never_retried(prefork_server):
    """Deterministic interleaving with real transactions: while a person's registration
    waits for the training's seat lock, the transaction holding it writes the training's
    row and commits (as every seat change does with the stored counts, and a staff member
    saving the training), and another one already queues for the lock; again and again,
    more often than Odoo retries a request. The registration must take its seat after
    the first wait, not fail and be retried until Odoo gives up (HTTP 500)."""
    import requests

    server = prefork_server
    admin = server.rpc()
    tag = uuid.uuid4().hex[:8]
    (partner_id,) = admin(
        "res.partner",
        "create",
        [[{"name": f"Wait Person {tag}", "email": f"wait.{tag}@example.org", "lang": "de_DE"}]],
    )
    training = open_training(admin, f"Wait Schulung {tag}", SEATS)
    token = _invitation_tokens(server.db, training, [partner_id])[partner_id]
    session = requests.Session()
    page = session.get(f"{server.url}/kommune/invitation/{token}", timeout=60)
    assert page.status_code == 200, page.text[:500]
    register = server.url + REGISTER_RE.search(page.text).group(1)
    data = {"csrf_token": CSRF_RE.search(page.text).group(1), "consent": "1"}

    lock_sql = "SELECT id FROM kommune_training WHERE id = %s FOR NO KEY UPDATE"
    write_sql = "UPDATE kommune_training SET write_date = now() AT TIME ZONE 'UTC' WHERE id = %s"
    monitor = _db_cursor(server.db)
    holder = _db_cursor(server.db)
    cursors = [monitor, holder]
    ours = [_backend_pid(monitor), _backend_pid(holder)]
    response, done = {}, Event()

    def post():
        try:
            response["value"] = session.post(register, data=data, timeout=300)
        finally:
            done.set()

    rounds = 0
    try:
        holder.execute(lock_sql, [training])
        poster = Thread(target=post, daemon=True)
        poster.start()
        while rounds < SEAT_CHANGE_ROUNDS and _wait_for_waiter(
            monitor, _backend_pid(holder), ours, done
        ):
            # The next transaction queues for the lock behind the registration ...
            queued = _db_cursor(server.db)
            cursors.append(queued)
            ours.append(_backend_pid(queued))
            locker = Thread(target=queued.execute, args=(lock_sql, [training]), daemon=True)
            locker.start()
            _wait_until_blocked(monitor, ours[-1])
            # ... and the holder writes the training's row and lets go.
            holder.execute(write_sql, [training])
            holder.commit()
            locker.join(timeout=120)
            assert not locker.is_alive(), "the next transaction never got the lock"
            holder = queued
            rounds += 1
        holder.rollback()
        poster.join(timeout=300)
        assert not poster.is_alive(), "the registration never answered"
    finally:
        for cr in cursors:
            cr.close()

    answer = response["value"]
    assert (answer.status_code, rounds) == (200, 1), (
        f"HTTP {answer.status_code} after the seats changed {rounds} times while the "
        f"registration waited\n{server.log()}"
    )
    assert "Ihr Platz ist bestätigt" in answer.text, "the page shows the new state"
    (registration,) = _registrations(admin, training)
    assert registration["state"] == "confirmed"
    mails = admin(
        "mail.mail",
        "search_count",
        [[("model", "=", "kommune.training.registration"), ("res_id", "=", registration["id"])]],
    )
    assert mails == 1, "one confirmation mail"
