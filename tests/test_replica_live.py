"""Staff screens and read-only methods against a read-only replica (`--dev replica`
opens a read-only connection as a PostgreSQL replica would be). A request Odoo sends to
the replica must not write: when it does, Odoo logs that it retried it on a read/write
cursor, the replica brought nothing and the request cost twice."""

import pytest
import requests

from .conftest import LiveServer
from .test_live_rpc import xmlid

RETRIED = "retrying with a read/write cursor"

# (model, method) of the read-only buttons and RPC methods, called on the first record.
READONLY_BUTTONS = [
    ("kommune.cooperation", "action_view_meetings"),
    ("kommune.cooperation", "action_view_organizations"),
    ("kommune.cooperation", "action_view_trainings"),
    ("kommune.cooperation", "action_view_follow_ups"),
    ("kommune.training", "action_open_registrations"),
    ("kommune.training", "action_open_sessions"),
    ("kommune.training", "action_open_calendar"),
    ("kommune.training", "action_open_campaigns"),
    ("kommune.training", "action_open_campaign_registrations"),
    ("kommune.district", "action_open_organizations"),
    ("kommune.organization.type", "action_open_organizations"),
    ("kommune.training.topic", "action_open_trainings"),
    ("kommune.consent.purpose", "action_open_consents"),
    ("kommune.retention.rule", "action_open_logs"),
]

# The staff's daily screens as the web client loads them (read-only ORM methods).
SCREENS = [
    ("kommune.cooperation", ["name", "stage_id", "member_ids", "user_id", "date_last_contact"]),
    ("kommune.training", ["name", "stage_id", "date_begin", "seats_available", "session_ids"]),
    ("kommune.training.registration", ["partner_id", "training_id", "state"]),
    ("res.partner", ["display_name", "organization_type_id", "district_id"]),
    ("kommune.retention.rule", ["name", "date_cutoff", "due_count", "state"]),
]


@pytest.fixture(scope="module")
def replica_server():
    server = LiveServer(extra_args=["--dev=replica", "--log-level=warn"]).wait_ready()
    yield server
    server.stop()


class WebClient:
    """The web client's JSON-RPC, with a session, as a browser would call it."""

    def __init__(self, server, login="admin", password="admin"):
        self.server = server
        self.session = requests.Session()
        answer = self.call(
            "/web/session/authenticate", {"db": server.db, "login": login, "password": password}
        )
        assert answer.get("uid"), answer

    def call(self, path, params):
        reply = self.session.post(f"{self.server.url}{path}", json={"params": params}, timeout=60)
        body = reply.json()
        assert "error" not in body, body["error"]
        return body["result"]

    def call_kw(self, model, method, args=(), kwargs=None, button=False):
        route = "call_button" if button else "call_kw"
        return self.call(
            f"/web/dataset/{route}/{model}.{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs or {}},
        )


def test_readonly_requests_never_fall_back_to_the_primary(replica_server):
    client = WebClient(replica_server)
    for model, fields in SCREENS:
        spec = {name: {} for name in fields}
        client.call_kw(model, "web_search_read", [], {"domain": [], "specification": spec})
        rows = client.call_kw(model, "search", [[]], {"limit": 1})
        if rows:
            client.call_kw(model, "web_read", [rows], {"specification": spec})
    for model, method in READONLY_BUTTONS:
        ids = client.call_kw(model, "search", [[]], {"limit": 1})
        assert ids, f"the demo data has a {model}"
        action = client.call_kw(model, method, [ids], button=True)
        assert isinstance(action, dict), (model, method)
    partner = xmlid(replica_server.rpc(), "base.partner_admin")
    for method in ("action_open_cooperations", "action_open_attended_trainings"):
        client.call_kw("res.partner", method, [[partner]], button=True)
    training = client.call_kw("kommune.training", "search", [[]], {"limit": 1})[0]
    page = client.session.get(
        f"{replica_server.url}/kommune/invitation/preview/{training}", timeout=60
    )
    assert page.status_code == 200
    with open(replica_server.log_path) as log:
        retried = [line for line in log if RETRIED in line]
    assert not retried, "\n".join(retried)
