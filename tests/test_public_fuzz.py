"""Fuzzing the public routes of a live server with hypothesis: random tokens and ids,
unicode, control characters, huge and empty fields, with and without a valid CSRF
token, against the personal invitation link, the sign-up page and its confirmation link.

Whatever comes in, the server answers below 500, and no record is created from input
that is not valid: the number of registrations, consents and contacts stays the same.
The examples are derandomized, so that a failure shows again on the next run."""

import json
import re
import uuid
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import odoo_shell, open_training
from .test_live_rpc import xmlid

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
RATE_LIMIT_PARAM = "kommune_interkulturell.public_rate_limit"
FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
COUNTED_MODELS = ("kommune.training.registration", "kommune.consent", "res.partner")

# Tokens: anything at all, near-misses of the real format, and absurd lengths.
any_text = st.text(st.characters(codec="utf-8"), max_size=80)
near_token = st.builds(
    "{}-{}-{}-{}".format,
    st.integers(-5, 10**20),
    st.integers(-5, 10**20),
    st.integers(-5, 10**6),
    st.text("0123456789abcdefABCDEF", min_size=0, max_size=80),
)
# Paths stay within what browsers and proxies send (about 2 KB); form values do not.
long_path = st.builds(
    lambda char, size: char * size, st.characters(codec="utf-8"), st.integers(1025, 2000)
)
huge = st.builds(
    lambda char, size: char * size, st.characters(codec="utf-8"), st.integers(1025, 20000)
)
field_value = st.one_of(any_text, huge, st.just(""), st.sampled_from(["1", "on", "de_DE"]))
form = st.dictionaries(
    st.sampled_from(
        ["phone", "network_role", "organization", "name", "email", "lang", "x", "consent\u0000"]
    ),
    field_value,
    max_size=6,
)


@pytest.fixture(scope="module")
def fuzz_target(live_server):
    """A training open for registration, one person with a valid personal link and a
    valid confirmation link; rate limits lifted (every request comes from 127.0.0.1)."""
    admin = live_server.rpc()
    saved = admin("ir.config_parameter", "get_param", [RATE_LIMIT_PARAM])
    admin("ir.config_parameter", "set_param", [RATE_LIMIT_PARAM, "100000"])
    tag = uuid.uuid4().hex[:8]
    person = admin(
        "res.partner",
        "create",
        [{"name": f"Fuzz Person {tag}", "email": f"fuzz.{tag}@example.org", "lang": "de_DE"}],
    )
    training = open_training(admin, f"Fuzz Schulung {tag}", 5)
    # In the public catalogue of the portal bridge.
    admin("kommune.training", "write", [[training], {"is_catalogue_published": True}])
    consent = admin(
        "kommune.consent",
        "create",
        [
            {
                "partner_id": person,
                "purpose_id": xmlid(admin, "kommune_interkulturell.consent_purpose_invitation"),
                "channel": "web",
                "confirmation_pending": True,
            }
        ],
    )
    tokens = json.loads(
        odoo_shell(
            live_server.db,
            f"""
import json
training = env["kommune.training"].browse({training})
person = env["res.partner"].browse({person})
consent = env["kommune.consent"].browse({consent})
print(json.dumps({{
    "invitation": training._get_invitation_token(person),
    "confirmation": consent._get_confirmation_token(),
}}))
""",
        )
        .strip()
        .splitlines()[-1]
    )
    yield {"server": live_server, "admin": admin, "training": training, **tokens}
    admin("ir.config_parameter", "set_param", [RATE_LIMIT_PARAM, saved])


def counts(admin):
    return {
        model: admin(model, "search_count", [[]], context={"active_test": False})
        for model in COUNTED_MODELS
    }


class Browser:
    """A visitor with a session: GETs the page to get the CSRF token its form carries."""

    def __init__(self, server):
        import requests

        self.server = server
        self.session = requests.Session()

    def csrf(self):
        page = self.session.get(f"{self.server.url}/kommune/subscribe", timeout=30)
        assert page.status_code == 200, page.status_code
        return CSRF_RE.search(page.text).group(1)

    def request(self, method, path, data=None):
        response = self.session.request(
            method, self.server.url + path, data=data, timeout=60, allow_redirects=False
        )
        assert response.status_code < 500, (
            f"{method} {path[:200]} -> {response.status_code}\n{self.server.log()[-2000:]}"
        )
        assert "Traceback" not in response.text
        return response


def test_bad_tokens_never_fail_nor_write(fuzz_target):
    server, admin = fuzz_target["server"], fuzz_target["admin"]
    browser = Browser(server)
    csrf = browser.csrf()
    before = counts(admin)
    valid = {fuzz_target["invitation"], fuzz_target["confirmation"]}

    @FUZZ
    @given(
        token=st.one_of(any_text, near_token, long_path),
        route=st.sampled_from(
            [
                ("GET", "/kommune/invitation/{}"),
                ("POST", "/kommune/invitation/{}/register"),
                ("POST", "/kommune/invitation/{}/cancel"),
                ("GET", "/kommune/invitation/{}/register"),
                ("GET", "/kommune/subscribe/confirm/{}"),
                ("POST", "/kommune/subscribe/confirm/{}"),
                ("GET", "/kommune/invitation/preview/{}"),
                ("GET", "/kommune/schulungen/{}"),
                ("POST", "/kommune/schulungen/{}/register"),
                ("GET", "/kommune/schulungen/confirm/{}"),
                ("POST", "/kommune/schulungen/confirm/{}"),
                ("GET", "/kommune/schulungen?topic={}"),
                ("GET", "/kommune/schulungen?district=1&language={}"),
                ("GET", "/my/kommune/trainings/{}"),
                ("POST", "/my/kommune/trainings/{}/cancel"),
                ("GET", "/my/kommune/certificates/{}"),
                ("POST", "/my/kommune/consents/{}/withdraw"),
                ("POST", "/my/kommune/consents/1/{}"),
                ("GET", "/my/kommune/trainings/{}/calendar.ics"),
                ("POST", "/my/kommune/organization/items/{}/done"),
                ("GET", "/calendar/meeting/view?token={}&id=1"),
                ("GET", "/my/kommune/organization/checks/{}"),
            ]
        ),
        with_csrf=st.booleans(),
        data=form,
    )
    def run(token, route, with_csrf, data):
        if token in valid or not token.strip("/"):
            return
        method, path = route
        payload = dict(data, csrf_token=csrf) if with_csrf else data
        browser.request(
            method, path.format(quote(token, safe="")), payload if method == "POST" else None
        )

    run()
    assert counts(admin) == before


def test_bad_forms_never_fail_nor_write(fuzz_target):
    """Valid links and the sign-up page with forms that are never acceptable: no consent
    ticked (registration, sign-up, catalogue) or no valid e-mail address (sign-up,
    catalogue)."""
    server, admin = fuzz_target["server"], fuzz_target["admin"]
    browser = Browser(server)
    csrf = browser.csrf()
    before = counts(admin)
    invitation = quote(fuzz_target["invitation"])

    @FUZZ
    @given(
        data=form,
        consent=st.sampled_from([None, "", "0", "no", "\u2713", "1" * 2000]),
        email=st.one_of(any_text.filter(lambda text: "@" not in text), huge),
        target=st.sampled_from(["register", "subscribe", "catalogue"]),
    )
    def run(data, consent, email, target):
        payload = {key: value for key, value in data.items() if key != "consent"}
        payload["csrf_token"] = csrf
        if consent is not None:
            payload["consent"] = consent
        if target == "register":
            browser.request("POST", f"/kommune/invitation/{invitation}/register", payload)
        elif target == "catalogue":
            # Either no consent ticked or no valid address: never acceptable.
            payload["email"] = email if consent is None else "fuzz@example.org"
            payload.setdefault("consent", "1" if consent is None else consent)
            browser.request(
                "POST", f"/kommune/schulungen/{fuzz_target['training']}/register", payload
            )
        else:
            payload["email"] = email
            payload["consent"] = "1" if consent is None else consent
            browser.request("POST", "/kommune/subscribe", payload)

    run()
    assert counts(admin) == before
    registrations = admin(
        "kommune.training.registration",
        "search_count",
        [[("training_id", "=", fuzz_target["training"])]],
    )
    assert registrations == 0
