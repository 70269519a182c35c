import re

from odoo.addons.kommune_interkulturell.controllers.kommune_public import (
    MAX_FORM_BYTES,
    MAX_VALUE_LENGTH,
    TOKEN_POST_LIMIT,
)
from odoo.addons.kommune_interkulturell.models.ir_http import SECURITY_HEADERS
from odoo.addons.kommune_interkulturell.models.kommune_rate_limit import RATE_LIMIT_PARAM
from odoo.addons.kommune_interkulturell.tests.common_public import CSRF_RE
from odoo.tests import tagged

from .common_invitation import InvitationPagesCommon


@tagged("post_install", "-at_install")
class TestInvitationPageHardening(InvitationPagesCommon):
    """What the pages of the personal link do with hostile or broken requests (the
    hardening of kommune_interkulturell's public pages): a friendly 4xx page in
    the visitor's language for everything Odoo or the page refuses (expired CSRF token,
    too large body, wrong method, overlong values, files, unknown paths), the same page
    for every bad link, rate limits per address and per link with a 429 page and
    Retry-After, and security headers on every answer. Nothing is ever written from a
    refused request."""

    def setUp(self):
        super().setUp()
        self.url = self.link(self.nadi_fulltime)

    def registrations(self):
        self.env.invalidate_all()
        return self.training.registration_ids.filtered(
            lambda registration: registration.partner_id == self.nadi_fulltime
        )

    def csrf(self, url=None):
        return CSRF_RE.search(self.get(url or self.url).text).group(1)

    # ------------------------------------------------------------
    # Headers
    # ------------------------------------------------------------

    def test_security_headers_on_pages(self):
        page = self.get(self.url)
        self.assertEqual(page.status_code, 200)
        for header, value in SECURITY_HEADERS.items():
            self.assertEqual(page.headers.get(header), value, header)
        self.assertEqual(page.headers["Referrer-Policy"], "no-referrer", "no link leaks")
        self.assertEqual(page.headers["X-Content-Type-Options"], "nosniff", "Odoo's own")

    def test_other_pages_keep_their_headers(self):
        self.assertNotIn("Referrer-Policy", self.url_open("/web/login").headers)

    # ------------------------------------------------------------
    # Refused requests
    # ------------------------------------------------------------

    def test_expired_csrf_token(self):
        response = self.url_open(
            f"{self.url}/register",
            data={"csrf_token": "expired", "consent": "1"},
            headers={"Accept-Language": "de-DE"},
        )
        self.assertFriendly(response, 400, "Die Seite war zu lange geöffnet")
        self.assertFalse(self.registrations())

    def test_body_too_large(self):
        response = self.url_open(
            f"{self.url}/register",
            data={"csrf_token": self.csrf(), "consent": "1", "phone": "1" * MAX_FORM_BYTES},
        )
        self.assertFriendly(response, 413)
        self.assertFalse(self.registrations())

    def test_overlong_value_and_files(self):
        response = self.url_open(
            f"{self.url}/register",
            data={"csrf_token": self.csrf(), "consent": "1", "x": "a" * (MAX_VALUE_LENGTH + 1)},
        )
        self.assertFriendly(response, 400)
        response = self.url_open(
            f"{self.url}/register",
            data={"csrf_token": self.csrf(), "consent": "1"},
            files={"photo": ("a.txt", b"hello")},
        )
        self.assertFriendly(response, 400)
        self.assertFalse(self.registrations())

    def test_form_address_opened_again_and_unknown_path(self):
        response = self.url_open(f"{self.url}/register", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(self.url))
        self.assertEqual(self.get(f"{self.url}/cancel").status_code, 200, "back on the page")
        self.assertFalse(self.registrations())
        self.assertFriendly(self.get("/kommune/nothing/here"), 404)

    def test_every_bad_link_gets_the_same_page(self):
        valid = self.url.rsplit("/", 1)[1]
        training_id, partner_id, mailing_id, signature = valid.split("-")
        bad_tokens = [
            "x",
            "0-0-0-" + "0" * 32,
            f"{training_id}-{partner_id}-{mailing_id}-{'0' * len(signature)}",
            f"{training_id}-{self.nadi_manager.id}-{mailing_id}-{signature}",
            f"{training_id}-999999999-{mailing_id}-{signature}",
            "ä" * 300,
        ]
        bodies = set()
        for token in bad_tokens:
            with self.subTest(token=token[:40]):
                response = self.get(f"/kommune/invitation/{token}")
                self.assertFriendly(response, 404)
                # The session's CSRF token in the page's head carries a timestamp.
                bodies.add(re.sub(r'csrf_token: "[^"]+"', "", response.text))
        self.assertEqual(len(bodies), 1, "nothing tells a wrong signature from a wrong id")

    # ------------------------------------------------------------
    # Rate limits
    # ------------------------------------------------------------

    def test_rate_limit_per_address(self):
        with self.one_window():
            self._test_rate_limit_per_address()

    def _test_rate_limit_per_address(self):
        self.env["ir.config_parameter"].set_param(RATE_LIMIT_PARAM, "3")
        csrf = self.csrf()
        for _attempt in range(2):
            self.assertEqual(self.get(self.url).status_code, 200)
        response = self.get(self.url, lang="de-DE")
        self.assertFriendly(response, 429, "Zu viele Anfragen")
        self.assertGreaterEqual(int(response.headers["Retry-After"]), 1)
        self.assertLessEqual(int(response.headers["Retry-After"]), 60)
        # Bad links count too: guessing costs requests.
        self.assertEqual(self.get("/kommune/invitation/guess").status_code, 429)
        # Submitting is refused before anything is written.
        response = self.url_open(f"{self.url}/register", data={"csrf_token": csrf, "consent": "1"})
        self.assertEqual(response.status_code, 429)
        self.assertFalse(self.registrations())

    def test_rate_limit_per_link(self):
        with self.one_window():
            self._test_rate_limit_per_link()

    def _test_rate_limit_per_link(self):
        token = self.csrf()
        for _attempt in range(TOKEN_POST_LIMIT):
            response = self.url_open(f"{self.url}/cancel", data={"csrf_token": token})
            self.assertEqual(response.status_code, 200)
        response = self.url_open(f"{self.url}/cancel", data={"csrf_token": token})
        self.assertFriendly(response, 429)
        # Another person's link is not affected.
        other = self.link(self.nadi_manager)
        response = self.url_open(f"{other}/cancel", data={"csrf_token": token})
        self.assertEqual(response.status_code, 200)

    def test_counts_are_hashed(self):
        self.get(self.url)
        keys = self.env["kommune.rate.limit"].search([]).mapped("key")
        self.assertTrue(keys)
        self.assertFalse([key for key in keys if "127.0.0.1" in key], "no address is stored")
