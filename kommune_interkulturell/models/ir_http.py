import re

from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    NotFound,
    RequestEntityTooLarge,
)

from odoo import api, models
from odoo.http import request

# Errors of the public pages that get the friendly page, by the page's error code.
FRIENDLY_ERRORS = (
    (RequestEntityTooLarge, "too_large"),
    (NotFound, "invalid"),
    (BadRequest, "bad_request"),
)
# The headers of every public page: no caching of personal pages, no framing, and no
# personal link leaking to other sites in the Referer header (Odoo itself sends
# X-Content-Type-Options: nosniff with every response).
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
}


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @api.model
    def _get_kommune_personal_link_paths(self):
        """The paths of the personal links: public pages opened with a signed token that
        stands for one person (here the confirmation of their sign-up for invitations and
        the participant questionnaire).
        Whoever holds such a link acts as that person. Odoo's link shortener must never
        hold one: its short links (/r/<code>, a few random characters, public) can be
        enumerated. Every public route that takes a token belongs under one of these
        paths: a module adding one extends this method with its path. The shortener
        (mail.render.mixin of kommune_interkulturell_mass_mailing) and the privacy
        lookup of link trackers read it; a test checks the routes."""
        return ["/kommune/subscribe/confirm", "/kommune/questionnaire"]

    @api.model
    def _get_kommune_personal_link_patterns(self):
        """The personal paths as entries of the link shortener's blacklist: regular
        expressions that the shortener searches, followed by "/", "?", "#" or the end,
        in the whole address of an HTML link (a personal link in another address's
        parameters is kept too) and in the path of a link in text (see link_tracker's
        find_links_with_urls_and_labels and mail.render.mixin._shorten_links_text)."""
        return [re.escape(path) for path in self._get_kommune_personal_link_paths()]

    @classmethod
    def _is_kommune_public_path(cls):
        from ..controllers.kommune_public import PUBLIC_PATH_PREFIX

        return bool(request) and request.httprequest.path.startswith(PUBLIC_PATH_PREFIX)

    @classmethod
    def _handle_error(cls, exception):
        """The public pages answer what Odoo refuses before their handler runs (a form
        whose CSRF token expired, a body too large, an unknown path) with their own
        friendly page, in the visitor's language, never a bare error."""
        if not (
            isinstance(exception, HTTPException)
            and exception.code
            and 400 <= exception.code < 500
            and cls._is_kommune_public_path()
            and request.env
        ):
            return super()._handle_error(exception)
        from ..controllers.kommune_public import render_public_error

        error = next(
            (code for kind, code in FRIENDLY_ERRORS if isinstance(exception, kind)), "bad_request"
        )
        if error == "bad_request" and "CSRF" in str(exception.description):
            error = "session_expired"
        if not request.env.uid:
            cls._auth_method_public()
        if not hasattr(request, "params"):
            # The body could not be read (too large): post-dispatch hooks read params.
            request.params = {}
        try:
            response = render_public_error(error, exception.code)
        except Exception:
            return super()._handle_error(exception)
        cls._post_dispatch(response)
        return response

    @classmethod
    def _serve_fallback(cls):
        # An address no route takes is looked up among the stored files by its path, a
        # query that PostgreSQL refuses for a NUL byte (a 500): no file has such an
        # address, so it is not found, as any unknown address.
        if "\x00" in request.httprequest.path:
            return None
        return super()._serve_fallback()

    @classmethod
    def _post_dispatch(cls, response):
        result = super()._post_dispatch(response)
        if cls._is_kommune_public_path():
            response.headers.update(SECURITY_HEADERS)
        return result
