"""The public sign-up for the network's invitations, with double opt-in.

Anybody may sign up on /kommune/subscribe; the consent to invitations counts only once
the person followed the confirmation link mailed to the address they entered. Until
then they receive nothing else: a contact created by the sign-up stays archived (out of
every list and audience), and the consent is "awaiting confirmation", which no
invitation domain accepts. Unconfirmed sign-ups are deleted after the link expired.

The answer to a sign-up is the same whether the address is known or not (no
enumeration); public input never overwrites an existing contact."""

from odoo import http
from odoo.http import request

from ..models.kommune_consent import CONFIRMATION_DAYS
from ..models.kommune_consent_purpose import PURPOSE_INVITATION
from .kommune_public import MAX_FORM_BYTES, KommunePublicController, is_plain_text

ORGANIZATION_MAX_LENGTH = 128
# Confirmation mails per address and hour: enough to ask again, too few to flood a
# stranger's mailbox with sign-ups in their name.
SIGNUP_MAILS_PER_HOUR = 3


class KommuneSubscriptionController(KommunePublicController):
    @http.route("/kommune/subscribe", type="http", auth="public", methods=["GET"], sitemap=False)
    def subscribe_page(self, **kwargs):
        if limited := self._check_rate_limit():
            return limited
        self._set_lang()
        return self._render_subscribe_page()

    @http.route(
        "/kommune/subscribe",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
        max_content_length=MAX_FORM_BYTES,
    )
    def subscribe(self, **post):
        if refused := self._check_request(post):
            return refused
        self._set_lang()
        values, errors = self._validate_subscribe_form(post)
        if errors:
            return self._render_subscribe_page(errors=errors, form=post, status=400)
        # sudo: the counters are technical and kept away from every user.
        RateLimit = request.env["kommune.rate.limit"].sudo()
        if not RateLimit._hit("signup", values["email"], SIGNUP_MAILS_PER_HOUR, period=3600):
            consent = self._sign_up(values)
            # Every address gets a mail: the work, whose time a stranger can measure,
            # is the same whether the consent is in force already or not.
            if consent.state == "given":
                consent._send_already_given_notice()
            else:
                consent._send_confirmation_request()
            self._wake_up_mail_queue()
        # The same page whatever happened: whether the address is known, already
        # confirmed or asked too often is nobody's business but its owner's.
        return self._render_subscribe_page(done=True)

    @http.route(
        "/kommune/subscribe/confirm/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
        max_content_length=MAX_FORM_BYTES,
    )
    def confirm(self, token, **post):
        """GET shows a button, its POST confirms: mail scanners open the links of
        incoming mails, and must not confirm in the person's place."""
        submitted = request.httprequest.method == "POST"
        if refused := self._check_request(post, token):
            return refused
        consent, expired = self._get_consent(token)
        if error := self._get_confirm_error(consent, expired):
            return error
        self._set_lang(consent.partner_id)
        if submitted:
            # In the page's language (the person's), not the request's first guess.
            consent.with_context(lang=request.env.lang)._action_confirm()
        return self._render_confirm_page(token, consent)

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def _get_consent(self, token):
        # sudo: the public user may not read consents; the record is only looked at
        # once the link's signature has proven which consent it was made for.
        return request.env["kommune.consent"].sudo()._get_from_confirmation_token(token)

    def _get_purpose(self):
        # sudo: the purpose's wording is what the visitor consents to.
        return request.env["kommune.consent.purpose"].sudo()._get_by_code(PURPOSE_INVITATION)

    def _validate_subscribe_form(self, post):
        values, errors = self._validate_person_form(post)
        organization = " ".join((post.get("organization") or "").split())
        if len(organization) > ORGANIZATION_MAX_LENGTH or not is_plain_text(organization):
            errors["organization"] = True
        installed = dict(request.env["res.lang"].get_installed())
        lang = post.get("lang") or request.env.lang
        if lang not in installed:
            errors["lang"] = True
        values.update({"organization": organization, "lang": lang})
        return values, errors

    def _sign_up(self, values):
        """The consent of the sign-up: the person's consent in force, else the pending
        one (created, or the one still waiting).

        Writes only what the form validated (name, address, language, organisation)
        into a new, archived contact, and a consent awaiting confirmation; an existing
        contact is only read."""
        purpose = self._get_purpose()
        company = request.env.company
        # sudo: the visitor may not read or create contacts; the one with the validated
        # address is looked up, or created archived with what the form validated.
        partner, created = (
            request.env["res.partner"]
            .sudo()
            ._kommune_find_or_create_signup_person(
                values, company, company_name=values["organization"] or False
            )
        )
        # sudo: the visitor may not read or create consents; only this person's
        # consent to invitations is looked at, and a pending one recorded.
        Consent = request.env["kommune.consent"].sudo()
        consent = Consent.search(
            [
                ("partner_id", "=", partner.id),
                ("purpose_id", "=", purpose.id),
                ("company_id", "=", company.id),
                ("date_withdrawn", "=", False),
            ],
            limit=1,
        )
        if consent:
            return consent
        return Consent.create(
            {
                "partner_id": partner.id,
                "purpose_id": purpose.id,
                "company_id": company.id,
                "legal_basis": "consent",
                "channel": "web",
                "confirmation_pending": True,
                "signup_created_partner": created,
            }
        )

    def _render_subscribe_page(self, errors=None, form=None, done=False, status=200):
        values = self._get_layout_values()
        installed = request.env["res.lang"].get_installed()
        values.update(
            {
                "purpose": self._get_purpose().with_context(lang=request.env.lang),
                "langs": installed,
                "errors": errors or {},
                "form": form or {"lang": request.env.lang},
                "done": done,
                "confirmation_days": CONFIRMATION_DAYS,
            }
        )
        return request.render("kommune_interkulturell.subscribe_page", values, status=status)

    def _render_confirm_page(self, token, consent):
        values = self._get_layout_values()
        values.update(
            {
                "token": token,
                "partner": consent.partner_id,
                "purpose": consent.purpose_id.with_context(lang=request.env.lang),
                "confirmed": consent.state == "given",
            }
        )
        return request.render("kommune_interkulturell.subscribe_confirm_page", values)
