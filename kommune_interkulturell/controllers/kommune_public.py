"""What every public page of Kommune Interkulturell shares: the visitor's language, the
layout values, the friendly error page, the rate limits and the limits on form input.

The public pages (personal invitation links, the sign-up for invitations and its
confirmation) work without login. Each handler first counts the request against the
rate limits, then checks the link or the form, and only then works with sudo() on the
records the checked input stands for."""

import ipaddress
import re

from odoo import http
from odoo.http import request
from odoo.tools import email_normalize

from ..models.kommune_consent import CONFIRMATION_DAYS

# Public paths: their errors get the friendly page and their responses the security
# headers (see ir.http).
PUBLIC_PATH_PREFIX = "/kommune/"
# The largest form a public page accepts; Odoo refuses larger bodies with 413 before
# reading them (the route's max_content_length).
MAX_FORM_BYTES = 16 * 1024
# No single form value is longer (names, e-mail addresses, organisations, tokens).
MAX_VALUE_LENGTH = 1024
# Form submissions per personal link and minute: a person clicks a few times, a script
# trying values on one link is stopped.
TOKEN_POST_LIMIT = 10
# The person of a public form (sign-up, catalogue registration).
NAME_MAX_LENGTH = 128
EMAIL_MAX_LENGTH = 254
CHECKED_VALUES = ("1", "on", "true", "yes")
# A language code as the language switcher sends it, e.g. "de_DE", "ar_001", "fa_IR".
LANG_CODE_RE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]{2,4})?")
# Zero-width non-joiner and joiner: not printable for Python, yet part of how Persian
# (and emoji) are written, in names and organisations too - between two letters.
JOINERS = frozenset("\u200c\u200d")
# Printable for Python, yet shown as nothing: Hangul fillers and the blank Braille
# pattern, the usual way to pass an empty name off as a filled one.
BLANK_LOOKING = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def _is_visible(char):
    return char.isprintable() and not char.isspace() and char not in BLANK_LOOKING


def _joins(text, index):
    """Whether the joiner at ``index`` stands between two visible characters."""
    return 0 < index < len(text) - 1 and all(
        _is_visible(text[neighbour]) for neighbour in (index - 1, index + 1)
    )


def is_plain_text(text):
    """Whether ``text`` is what people write in a form field: printable characters
    (no control character such as a NUL byte, which PostgreSQL refuses, no invisible
    format or blank-looking character that makes a value read as another), Persian's
    joiners allowed between two letters."""
    return all(
        _joins(text, index) if char in JOINERS else char.isprintable() and char not in BLANK_LOOKING
        for index, char in enumerate(text)
    )


def plain_text(text):
    """``text`` with what is_plain_text refuses as blanks (a joiner that joins nothing
    dropped), and every run of blanks as one space."""
    blanked = "".join(
        char if char in JOINERS or (char.isprintable() and char not in BLANK_LOOKING) else " "
        for char in text
    )
    joined = "".join(
        char for index, char in enumerate(blanked) if char not in JOINERS or _joins(blanked, index)
    )
    return " ".join(joined.split())


def get_rate_limit_address(address):
    """What the rate limit per address counts: an IPv4 address, or the /64 network of
    an IPv6 one - the network a home line or a server gets, in which a script can take
    a new address for every request."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address
    if ip.version == 4:
        return address
    if ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    return str(ipaddress.IPv6Network((ip, 64), strict=False))


def render_public_error(error, status, training=None, headers=None, values=None, partner=None):
    """The friendly error page of the public pages, rendered now (usable from
    ir.http's error handling, where no controller runs), in the language of the
    training's page, else the person's, else the browser's."""
    if training is None:
        set_public_lang(partner)
    page_values = get_layout_values(training)
    page_values.update(values or {}, error=error, training=training)
    response = request.render(
        "kommune_interkulturell.invitation_error_page",
        page_values,
        status=status,
        headers=headers,
    )
    response.flatten()
    return response


def get_nearest_lang(lang_code):
    """The installed language nearest to ``lang_code``: itself, else the same language of
    another country, or None - the match of http_routing's ir.http.get_nearest_lang
    (the app does not depend on http_routing)."""
    if not lang_code:
        return None
    installed = request.env["res.lang"]._get_active_by("code")
    if lang_code in installed:
        return lang_code
    short = lang_code.partition("_")[0]
    return next((code for code in installed if short and code.startswith(short)), None)


def get_chosen_lang():
    """The installed language the visitor chose with the language switcher (``?lang=``
    of the request), else None: nothing of the request is used unless it names one."""
    chosen = request.httprequest.args.get("lang", "")
    return get_nearest_lang(chosen) if LANG_CODE_RE.fullmatch(chosen) else None


def set_public_lang(partner=None):
    """Speak the language the visitor chose with the page's language switcher (``?lang=``),
    else the person's, else the browser's, among the installed ones (German, the
    network's language, when none fits; else the first installed). The nearest-language
    match (get_nearest_lang: exact, else the same language of another country) decides
    for each candidate."""
    lang = get_chosen_lang()
    if not lang and partner:
        lang = get_nearest_lang(partner.lang)
    if not lang:
        for accepted, _quality in request.httprequest.accept_languages:
            if lang := get_nearest_lang(accepted.replace("-", "_")):
                break
    lang = (
        lang
        or get_nearest_lang("de_DE")
        or next(iter(request.env["res.lang"]._get_active_by("code")))
    )
    request.update_context(lang=lang)
    return lang


def get_layout_values(training=None):
    company = training.company_id if training else request.env.company
    lang = request.env.lang or "de_DE"
    Lang = request.env["res.lang"]
    # sudo: the company's name, logo and address are public on every page.
    public_company = company.sudo()
    return {
        "company": public_company,
        # Arabic and Farsi pages read right to left (Odoo's assets follow env.lang).
        "html_data": {
            "lang": lang.replace("_", "-"),
            "dir": Lang._get_data(code=lang).direction or "ltr",
        },
        # The language switcher: each installed language by its own name, linked as
        # "?lang=..." on the page itself (the same page for every bad link: no path,
        # and no token, in it).
        "public_langs": [(code, name.rpartition(" / ")[2]) for code, name in Lang.get_installed()],
        "public_lang": lang,
        "title": training.name if training else public_company.name,
    }


class KommunePublicController(http.Controller):
    """Helpers of the public pages' controllers (no routes of its own)."""

    def _set_lang(self, partner=None):
        return set_public_lang(partner)

    def _get_layout_values(self, training=None):
        return get_layout_values(training)

    def _render_error(
        self, error, training=None, status=404, headers=None, values=None, partner=None
    ):
        return render_public_error(
            error, status, training=training, headers=headers, values=values, partner=partner
        )

    def _get_link_error(self, record, expired, expired_error="expired", values=None):
        """The error page of a personal link whose ``record`` was not found (404), or
        whose time ran out (410, the page ``expired_error`` with ``values``, in the
        language of the record's person), else None."""
        if not record:
            return self._render_error("invalid", status=404)
        if expired:
            return self._render_error(
                expired_error, status=410, values=values, partner=record.partner_id
            )
        return None

    def _get_confirm_error(self, consent, expired):
        """The error page of a confirmation link (see _get_link_error), else None."""
        return self._get_link_error(
            consent, expired, values={"confirmation_days": CONFIRMATION_DAYS}
        )

    def _check_rate_limit(self, token=None):
        """The 429 page when this address (or this personal link) sent too many
        requests, else None. Counted before anything is checked, so that guessing links
        costs requests too."""
        # sudo: the counters are technical and kept away from every user.
        RateLimit = request.env["kommune.rate.limit"].sudo()
        wait = RateLimit._hit(
            "ip", get_rate_limit_address(request.httprequest.remote_addr), RateLimit._get_limit()
        )
        if not wait and token and request.httprequest.method == "POST":
            wait = RateLimit._hit("token", token[:MAX_VALUE_LENGTH], TOKEN_POST_LIMIT)
        if not wait:
            return None
        return self._render_error("rate_limited", status=429, headers={"Retry-After": str(wait)})

    def _check_request(self, post, token=None):
        """The page refusing a public request, else None: the rate limits (per address,
        and per personal link for a form posted on one), then the input of a posted
        form (see _check_form). Every handler starts with it."""
        if refused := self._check_rate_limit(token):
            return refused
        if request.httprequest.method == "POST":
            return self._check_form(post)
        return None

    def _check_form(self, post):
        """The 400 page when the submitted form cannot come from our pages (files,
        overlong values), else None. The form's own fields are checked by each page."""
        if request.httprequest.files or any(
            not isinstance(value, str) or len(value) > MAX_VALUE_LENGTH for value in post.values()
        ):
            return self._render_error("bad_request", status=400)
        return None

    def _validate_person_form(self, post):
        """The name, e-mail address and consent tick of a public form (sign-up,
        catalogue registration): ({"name", "email"}, {field: True} of the invalid
        ones). The name with its blanks collapsed, the address normalised."""
        errors = {}
        name = " ".join((post.get("name") or "").split())
        if not name or len(name) > NAME_MAX_LENGTH or not is_plain_text(name):
            errors["name"] = True
        raw_email = (post.get("email") or "").strip()
        # Odoo's normalisation keeps control characters (a NUL byte, which PostgreSQL
        # refuses in the lookup of the address): no valid address has any.
        email = (
            len(raw_email) <= EMAIL_MAX_LENGTH
            and raw_email.isprintable()
            and email_normalize(raw_email)
        )
        if not email:
            errors["email"] = True
        if post.get("consent") not in CHECKED_VALUES:
            errors["consent"] = True
        return {"name": name, "email": email}, errors

    def _wake_up_mail_queue(self):
        # sudo: waking the mail queue up is technical; the confirmation should not wait
        # for the queue's next scheduled run.
        request.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
