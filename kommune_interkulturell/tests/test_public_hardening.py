from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import config

from ..controllers.kommune_public import TOKEN_POST_LIMIT
from ..models.kommune_rate_limit import RATE_LIMIT_PARAM
from .common_public import PublicHardeningCases, PublicPagesCommon

SUBSCRIBE = "/kommune/subscribe"


@tagged("post_install", "-at_install")
class TestPublicHardening(PublicHardeningCases, PublicPagesCommon):
    """What the public pages do with hostile or broken requests, shown on the sign-up
    for invitations and its confirmation link: a friendly 4xx page in the visitor's
    language for everything Odoo or the page refuses (expired CSRF token, too large
    body, overlong values, files, unknown paths), the same page for every bad link,
    rate limits per address and per link with a 429 page and Retry-After, and security
    headers on every answer. Nothing is ever written from a refused request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.person = cls.env["res.partner"].create(
            {"name": "Test Härtung Person", "email": "haertung@test-public.example.org"}
        )
        cls.consent = cls.env["kommune.consent"].create(
            {
                "partner_id": cls.person.id,
                "purpose_id": cls.env.ref("kommune_interkulturell.consent_purpose_invitation").id,
                "confirmation_pending": True,
                "channel": "web",
            }
        )

    def setUp(self):
        super().setUp()
        self.confirm_url = f"{SUBSCRIBE}/confirm/{self.consent._get_confirmation_token()}"

    def sign_ups(self):
        self.env.invalidate_all()
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("email", "=", "neu@test-public.example.org")])
        )

    def form(self, **values):
        return {
            "name": "Test Neue Person",
            "email": "neu@test-public.example.org",
            "lang": "de_DE",
            "consent": "1",
            **values,
        }

    # The page and form the shared tests try (see PublicHardeningCases).
    guess_url = f"{SUBSCRIBE}/confirm/guess"
    free_text_field = "organization"

    def page_urls(self):
        return [SUBSCRIBE, self.confirm_url]

    def form_url(self):
        return SUBSCRIBE

    def form_values(self, **values):
        return self.form(**values)

    def written(self):
        return self.sign_ups()

    # ------------------------------------------------------------
    # Refused requests
    # ------------------------------------------------------------

    def test_unknown_path(self):
        self.assertFriendly(self.get("/kommune/nothing/here"), 404)

    def test_unknown_path_with_a_nul_byte(self):
        """A NUL byte in an address that no route takes: not found like any unknown
        address (Odoo looks such an address up among the stored files, where
        PostgreSQL refuses the character), on the public pages and elsewhere."""
        self.assertFriendly(self.get("/kommune/subscribe/confirm/%00"), 404)
        self.assertFriendly(self.get("/kommune/nothing%00here"), 404)
        for url in ("/my/kommune/%00", "/web/content/%00", "/%00"):
            with self.subTest(url=url):
                response = self.get(url)
                self.assertEqual(response.status_code, 404, response.text[-500:])
                self.assertNotIn("Traceback", response.text)

    def test_nul_byte_in_the_address(self):
        """An e-mail address with a NUL byte or another control character is no
        address: the form says so (400), nobody is looked up or written."""
        for email in (
            "neu@test-public.example.org\x00",
            "neu\x00@test-public.example.org",
            "neu@test-public.example.org\x1b",
        ):
            with self.subTest(email=email):
                response = self.url_open(
                    SUBSCRIBE, data={"csrf_token": self.csrf(), **self.form(email=email)}
                )
                self.assertEqual(response.status_code, 400, response.text[-500:])
                self.assertNotIn("Traceback", response.text)
        self.assertFalse(self.sign_ups())

    def test_every_bad_link_gets_the_same_page(self):
        valid = self.confirm_url.rsplit("/", 1)[1]
        consent_id, expiry, signature = valid.split("-")
        other = self.env["kommune.consent"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Test Andere"}).id,
                "purpose_id": self.consent.purpose_id.id,
                "confirmation_pending": True,
            }
        )
        self.assertBadLinksAlike(
            f"{SUBSCRIBE}/confirm",
            [
                "0-0-" + "0" * 32,
                f"{consent_id}-{expiry}-{'0' * len(signature)}",
                f"{other.id}-{expiry}-{signature}",
                f"999999999-{expiry}-{signature}",
            ],
        )
        self.assertEqual(self.consent.state, "pending")

    # ------------------------------------------------------------
    # Rate limits
    # ------------------------------------------------------------

    def test_rate_limit_per_ipv6_network(self):
        with self.one_window():
            self._test_rate_limit_per_ipv6_network()

    def _test_rate_limit_per_ipv6_network(self):
        """Behind a proxy, visitors come with their address in X-Forwarded-For. An
        IPv6 connection has a whole /64 network of addresses (every home line and
        server gets one): counted per address, a script would change its address with
        every request and never meet the limit. They count per /64 network; another
        network is not affected."""
        self.env["ir.config_parameter"].set_param(RATE_LIMIT_PARAM, "3")

        def get(address):
            headers = {
                "X-Forwarded-For": address,
                "X-Forwarded-Host": f"127.0.0.1:{config['http_port']}",
            }
            return self.url_open(SUBSCRIBE, headers=headers)

        with patch.dict(config.options, {"proxy_mode": True}):
            for host in range(1, 4):
                self.assertEqual(get(f"2001:db8:1:2::{host}").status_code, 200)
            self.assertFriendly(get("2001:db8:1:2:ffff::4"), 429)
            self.assertEqual(get("2001:db8:1:3::1").status_code, 200, "another network")

    def test_rate_limit_per_link(self):
        with self.one_window():
            self._test_rate_limit_per_link()

    def _test_rate_limit_per_link(self):
        token = self.csrf(self.confirm_url)
        bad = f"{SUBSCRIBE}/confirm/{self.confirm_url.rsplit('/', 1)[1][:-4]}0000"
        for _attempt in range(TOKEN_POST_LIMIT):
            response = self.url_open(bad, data={"csrf_token": token})
            self.assertEqual(response.status_code, 404)
        response = self.url_open(bad, data={"csrf_token": token})
        self.assertFriendly(response, 429)
        # Another link is not affected.
        response = self.url_open(self.confirm_url, data={"csrf_token": token})
        self.assertEqual(response.status_code, 200)
