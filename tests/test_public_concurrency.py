"""The public registration form under load, on a real prefork server (4 worker
processes, each with its own database connection): 50 people invited to a training with
10 seats submit their personal link's form at the same moment. The seats are decided
under the training's row lock (kommune.training._lock_seats), so exactly 10 get a seat,
40 join the waitlist, nobody is registered twice and no request ends in a server error.
Submitting again changes nothing."""

import json
import re
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from .conftest import LiveServer, odoo_shell, open_training

PERSONS = 50
SEATS = 10
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
REGISTER_RE = re.compile(r'action="(/kommune/invitation/[^"/]+/register)"')
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
