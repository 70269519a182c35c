from odoo.addons.kommune_interkulturell.controllers.kommune_public import TOKEN_POST_LIMIT
from odoo.addons.kommune_interkulturell.tests.common_public import PublicHardeningCases
from odoo.tests import tagged

from .common_invitation import InvitationPagesCommon


@tagged("post_install", "-at_install")
class TestInvitationPageHardening(PublicHardeningCases, InvitationPagesCommon):
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

    # The page and form the shared tests try (see PublicHardeningCases).
    guess_url = "/kommune/invitation/guess"
    free_text_field = "phone"

    def page_urls(self):
        return [self.url]

    def form_url(self):
        return f"{self.url}/register"

    def form_values(self, **values):
        return {"consent": "1", **values}

    def written(self):
        return self.registrations()

    # ------------------------------------------------------------
    # Refused requests
    # ------------------------------------------------------------

    def test_form_address_opened_again_and_unknown_path(self):
        response = self.url_open(f"{self.url}/register", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(self.url))
        # The language chosen on the page stays; anything else is dropped, not echoed.
        chosen = self.url_open(f"{self.url}/register?lang=en_US", allow_redirects=False)
        self.assertTrue(chosen.headers["Location"].endswith(f"{self.url}?lang=en_US"))
        for value in ("xx_XX", "en_US%27%3E%3Cscript%3E", "a" * 300):
            forged = self.url_open(f"{self.url}/register?lang={value}", allow_redirects=False)
            self.assertTrue(forged.headers["Location"].endswith(self.url), value)
        self.assertEqual(self.get(f"{self.url}/cancel").status_code, 200, "back on the page")
        self.assertFalse(self.registrations())
        self.assertFriendly(self.get("/kommune/nothing/here"), 404)

    def test_every_bad_link_gets_the_same_page(self):
        valid = self.url.rsplit("/", 1)[1]
        training_id, partner_id, mailing_id, signature = valid.split("-")
        self.assertBadLinksAlike(
            "/kommune/invitation",
            [
                "0-0-0-" + "0" * 32,
                f"{training_id}-{partner_id}-{mailing_id}-{'0' * len(signature)}",
                f"{training_id}-{self.nadi_manager.id}-{mailing_id}-{signature}",
                f"{training_id}-999999999-{mailing_id}-{signature}",
            ],
        )

    # ------------------------------------------------------------
    # Rate limits
    # ------------------------------------------------------------

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
