import re
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import HttpCase

from ..controllers.kommune_public import MAX_FORM_BYTES, MAX_VALUE_LENGTH
from ..models.ir_http import SECURITY_HEADERS
from ..models.kommune_rate_limit import RATE_LIMIT_PARAM

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class PublicPagesCommon(HttpCase):
    """The public pages over HTTP: requests as a browser sends them (CSRF token of the
    page)."""

    def one_window(self):
        """Run the requests at the start of a fresh one-minute window: the counts are
        per minute, and a burst crossing a minute's end would start counting again."""
        start = datetime.now().replace(second=1, microsecond=0) + timedelta(minutes=1)
        return freeze_time(start, tick=True)

    def get(self, url, lang=None):
        headers = {"Accept-Language": lang} if lang else None
        return self.url_open(url, headers=headers)

    def post(self, url, action, data=None, lang=None):
        """Submit a form of the page at ``url`` the way a browser does (CSRF token)."""
        page = self.get(url, lang=lang)
        token = CSRF_RE.search(page.text).group(1)
        headers = {"Accept-Language": lang} if lang else None
        return self.url_open(
            f"{url}/{action}", data={"csrf_token": token, **(data or {})}, headers=headers
        )

    def assertFriendly(self, response, status, text=None):
        """The page refused the request with our friendly page (not a bare error), the
        given status, optionally saying ``text``, with the security headers."""
        self.assertEqual(response.status_code, status, response.text[:300])
        self.assertIn("o_kommune_invitation", response.text, "our page, not a bare error")
        self.assertNotIn("Traceback", response.text)
        if text:
            self.assertIn(text, response.text)
        for header, value in SECURITY_HEADERS.items():
            self.assertEqual(response.headers.get(header), value, header)

    def assertBadLinksAlike(self, path, tokens, hidden=()):
        """Each of ``tokens`` (with a malformed and an overlong one) opened under
        ``path`` gets the friendly 404 page, showing none of the texts ``hidden``, and
        the same page for all: nothing tells a wrong signature from a wrong id."""
        bodies = set()
        for token in ("x", *tokens, "ä" * 300):
            with self.subTest(token=token[:40]):
                response = self.get(f"{path}/{token}")
                self.assertFriendly(response, 404)
                for text in hidden:
                    self.assertNotIn(text, response.text)
                # The session's CSRF token in the page's head carries a timestamp.
                bodies.add(re.sub(r'csrf_token: "[^"]+"', "", response.text))
        self.assertEqual(len(bodies), 1, "nothing tells a wrong signature from a wrong id")


class PublicHardeningCases:
    """What every public page does with hostile or broken requests, tried on the page
    of the class mixing these tests in (before PublicPagesCommon). It names:

    - ``page_urls()``: its pages, opened with GET (the first one holds the form),
    - ``form_url()``: where the form posts, ``form_values(**values)``: a valid form,
    - ``written()``: what a refused request must not have written,
    - ``guess_url``: a guessed link of the page's kind,
    - ``free_text_field``: a field of the form that takes free text."""

    def csrf(self, url=None):
        return CSRF_RE.search(self.get(url or self.page_urls()[0]).text).group(1)

    # ------------------------------------------------------------
    # Headers
    # ------------------------------------------------------------

    def test_security_headers_on_pages(self):
        for url in self.page_urls():
            with self.subTest(url=url[:40]):
                page = self.get(url)
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
            self.form_url(),
            data={"csrf_token": "expired", **self.form_values()},
            headers={"Accept-Language": "de-DE"},
        )
        self.assertFriendly(response, 400, "Die Seite war zu lange geöffnet")
        self.assertFalse(self.written())

    def test_body_too_large(self):
        values = self.form_values(**{self.free_text_field: "1" * MAX_FORM_BYTES})
        response = self.url_open(self.form_url(), data={"csrf_token": self.csrf(), **values})
        self.assertFriendly(response, 413)
        self.assertFalse(self.written())

    def test_overlong_value_and_files(self):
        response = self.url_open(
            self.form_url(),
            data={"csrf_token": self.csrf(), **self.form_values(x="a" * (MAX_VALUE_LENGTH + 1))},
        )
        self.assertFriendly(response, 400)
        response = self.url_open(
            self.form_url(),
            data={"csrf_token": self.csrf(), **self.form_values()},
            files={"photo": ("a.txt", b"hello")},
        )
        self.assertFriendly(response, 400)
        self.assertFalse(self.written())

    # ------------------------------------------------------------
    # Rate limits
    # ------------------------------------------------------------

    def test_rate_limit_per_address(self):
        with self.one_window():
            self._test_rate_limit_per_address()

    def _test_rate_limit_per_address(self):
        self.env["ir.config_parameter"].set_param(RATE_LIMIT_PARAM, "3")
        page_url = self.page_urls()[0]
        csrf = self.csrf()
        for _attempt in range(2):
            self.assertEqual(self.get(page_url).status_code, 200)
        response = self.get(page_url, lang="de-DE")
        self.assertFriendly(response, 429, "Zu viele Anfragen")
        self.assertGreaterEqual(int(response.headers["Retry-After"]), 1)
        self.assertLessEqual(int(response.headers["Retry-After"]), 60)
        # Bad links count too: guessing costs requests.
        self.assertEqual(self.get(self.guess_url).status_code, 429)
        # Submitting is refused before anything is written.
        response = self.url_open(self.form_url(), data={"csrf_token": csrf, **self.form_values()})
        self.assertEqual(response.status_code, 429)
        self.assertFalse(self.written())

    def test_counts_are_hashed(self):
        self.get(self.page_urls()[0])
        keys = self.env["kommune.rate.limit"].search([]).mapped("key")
        self.assertTrue(keys)
        self.assertFalse([key for key in keys if "127.0.0.1" in key], "no address is stored")
