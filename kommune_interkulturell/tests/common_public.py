import re
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import HttpCase

from ..models.ir_http import SECURITY_HEADERS

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
