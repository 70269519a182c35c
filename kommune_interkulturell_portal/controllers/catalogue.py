"""The public training catalogue, without login: open trainings with filters, a page
per training and its registration form.

A registration is the app's double opt-in: the form records (for a new address, with an
archived contact) a consent to training administration awaiting confirmation that names
the training, and mails the confirmation link; the link (the app's confirmation route)
confirms the consent, and only then is the person registered (a seat or a place on the
waitlist). The answer to the form is the same whether the address
is known or not; public input never overwrites an existing contact or registration."""

import time

from odoo import http
from odoo.addons.kommune_interkulturell.controllers.kommune_public import (
    MAX_FORM_BYTES,
    MAX_VALUE_LENGTH,
    KommunePublicController,
)
from odoo.addons.kommune_interkulturell.controllers.kommune_subscription import (
    SIGNUP_MAILS_PER_HOUR,
    KommuneSubscriptionController,
)
from odoo.addons.kommune_interkulturell.models.kommune_consent import CONFIRMATION_DAYS
from odoo.addons.kommune_interkulturell.models.kommune_consent_purpose import PURPOSE_TRAINING
from odoo.http import request

CATALOGUE_PATH = "/kommune/schulungen"
CONFIRMATION_TEMPLATE = "kommune_interkulturell_portal.mail_template_catalogue_confirmation"
ALREADY_REGISTERED_TEMPLATE = (
    "kommune_interkulturell_portal.mail_template_catalogue_already_registered"
)
# Filters are ids (topic, district, language of the training): anything else is ignored.
FILTERS = ("topic", "district", "language")


class KommuneCatalogueController(KommunePublicController):
    # Odoo merges every subclass of a controller into one class: the public pages of the
    # app and its bridges share KommunePublicController, so the helpers here carry the
    # catalogue's name, lest they override another page's (the fuzz test caught one).
    @http.route(CATALOGUE_PATH, type="http", auth="public", methods=["GET"], sitemap=False)
    def catalogue(self, **kwargs):
        if limited := self._check_rate_limit():
            return limited
        self._set_lang()
        filters = self._parse_catalogue_filters(kwargs)
        if filters is None:
            return self._render_error("bad_request", status=400)
        Training = self._get_catalogue_trainings_sudo()
        domain = Training._get_catalogue_domain()
        for name, fname in (
            ("topic", "topic_id"),
            ("district", "district_id"),
            ("language", "language_ids"),
        ):
            if filters.get(name):
                domain.append((fname, "in", [filters[name]]))
        trainings = Training.search(domain, order="date_begin, id", limit=200)
        values = self._get_layout_values()
        values.update(
            {
                "title": request.env._("Trainings"),
                "trainings": trainings,
                "filters": filters,
                # sudo: vocabularies (topics, districts, languages) are public words.
                "topics": request.env["kommune.training.topic"].sudo().search([]),
                "districts": request.env["kommune.district"].sudo().search([]),
                "languages": request.env["kommune.language"].sudo().search([]),
            }
        )
        return request.render("kommune_interkulturell_portal.catalogue_page", values)

    @http.route(
        f"{CATALOGUE_PATH}/<int:training_id>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def catalogue_training(self, training_id, **kwargs):
        if limited := self._check_rate_limit():
            return limited
        self._set_lang()
        training = self._get_catalogue_training(training_id)
        if not training:
            return self._render_error("invalid", status=404)
        return self._render_catalogue_training(training)

    @http.route(
        f"{CATALOGUE_PATH}/<int:training_id>/register",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
        max_content_length=MAX_FORM_BYTES,
    )
    def catalogue_register(self, training_id, **post):
        if refused := self._check_request(post):
            return refused
        self._set_lang()
        training = self._get_catalogue_training(training_id)
        if not training:
            return self._render_error("invalid", status=404)
        values, errors = self._validate_catalogue_form(post)
        if errors:
            return self._render_catalogue_training(training, errors=errors, form=post, status=400)
        # sudo: the counters are technical and kept away from every user.
        RateLimit = request.env["kommune.rate.limit"].sudo()
        if not RateLimit._hit("signup", values["email"], SIGNUP_MAILS_PER_HOUR, period=3600):
            record, kind = self._register_from_catalogue(training, values)
            if kind == "known":
                # The consent is sudo()ed (see _register_from_catalogue): its person is
                # mailed a link registering them, at their address, nowhere else.
                record._kommune_catalogue_send_request(training)
            else:
                # sudo: the visitor may not read mail templates; these mail the
                # registration's or consent's person, at the address just validated.
                template = CONFIRMATION_TEMPLATE
                if kind == "registered":
                    template = ALREADY_REGISTERED_TEMPLATE
                request.env.ref(template).sudo().send_mail(
                    record.id, email_layout_xmlid="mail.mail_notification_light"
                )
            self._wake_up_mail_queue()
        # The same page whatever happened (known address, already registered, asked too
        # often): that is nobody's business but the address owner's.
        return self._render_catalogue_training(training, done=True)

    @http.route(
        f"{CATALOGUE_PATH}/confirm/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
        max_content_length=MAX_FORM_BYTES,
    )
    def catalogue_confirm(self, token, **post):
        """The link mailed to a known person who registered in the catalogue. GET shows
        a button, its POST registers: mail scanners open the links of incoming mails,
        and must not register in the person's place."""
        submitted = request.httprequest.method == "POST"
        if refused := self._check_request(post, token):
            return refused
        # sudo: the public user may not read consents; the record is only looked at
        # once the link's signature has proven which consent and training it names.
        consent, training, expiry, registration = (
            request.env["kommune.consent"].sudo()._kommune_get_from_catalogue_request(token)
        )
        if error := self._get_confirm_error(consent, expiry < time.time()):
            return error
        self._set_lang(consent.partner_id)
        confirmed = registration.browse()
        if submitted:
            confirmed = consent.with_context(
                lang=request.env.lang
            )._kommune_catalogue_confirm_request(training, expiry, registration)
            if not confirmed:
                return self._render_error("invalid", status=404, training=training)
        values = self._get_layout_values(training)
        values.update(
            {
                "token": token,
                "confirm_action": f"{CATALOGUE_PATH}/confirm/{token}",
                "partner": consent.partner_id,
                "training": training,
                "confirmed": bool(confirmed),
            }
        )
        return request.render("kommune_interkulturell_portal.catalogue_confirm_page", values)

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def _get_catalogue_trainings_sudo(self):
        # sudo: the public user may not read trainings; only those of the catalogue's
        # domain (published, open) are searched and shown, with the fields the
        # templates name.
        return request.env["kommune.training"].sudo()

    def _get_catalogue_training(self, training_id):
        Training = self._get_catalogue_trainings_sudo()
        return Training.search(
            [("id", "=", training_id), *Training._get_catalogue_domain()], limit=1
        )

    def _parse_catalogue_filters(self, kwargs):
        """The filters as ids, or None when a value is not an id at all."""
        filters = {}
        for name in FILTERS:
            raw = kwargs.get(name)
            if not raw:
                continue
            if not isinstance(raw, str) or len(raw) > 12 or not (raw.isascii() and raw.isdigit()):
                return None
            filters[name] = int(raw)
        return filters

    def _validate_catalogue_form(self, post):
        values, errors = self._validate_person_form(post)
        values["lang"] = request.env.lang
        return values, errors

    def _register_from_catalogue(self, training, values):
        """What to mail for this registration: ``(record, kind)``, every kind mailed
        (the same work, so that the answer's time tells nothing either):

        - ``new``: a new pending consent naming the training, for a person without a
          consent to training administration in force: its confirmation link confirms
          the consent and registers;
        - ``known``: the person's consent in force or awaiting confirmation: they are
          mailed a link of its own that registers them for this training (see
          kommune.consent._kommune_catalogue_send_request);
        - ``registered``: the person's registration for this training: they are told
          that they are registered already.

        Only contacts of the training's company (or of none) are looked up: the
        consent is the company's. Nothing of an existing contact is changed, and
        nothing is in force before the address's owner followed the link."""
        # sudo: the visitor may not read or create contacts; the one with the validated
        # address is looked up, or created archived with what the form validated.
        partner, created = (
            request.env["res.partner"]
            .sudo()
            ._kommune_find_or_create_signup_person(values, training.company_id)
        )
        # sudo: only this person's registration for this training is looked at.
        registration = (
            request.env["kommune.training.registration"]
            .sudo()
            .search(
                [
                    ("training_id", "=", training.id),
                    ("partner_id", "=", partner.id),
                    ("state", "not in", ("invited", "cancelled")),
                ],
                limit=1,
            )
        )
        if registration:
            return registration, "registered"
        # sudo: the purpose's wording and id; the visitor reads no purpose themselves.
        purpose = request.env["kommune.consent.purpose"].sudo()._get_by_code(PURPOSE_TRAINING)
        # sudo: the visitor may not read or create consents; only this person's
        # consent to training administration is looked at, and a pending one recorded.
        Consent = request.env["kommune.consent"].sudo()
        in_force = Consent.search(
            [
                ("partner_id", "=", partner.id),
                ("purpose_id", "=", purpose.id),
                ("company_id", "=", training.company_id.id),
                ("date_withdrawn", "=", False),
            ],
            limit=1,
        )
        if in_force:
            return in_force, "known"
        consent = Consent.create(
            {
                "partner_id": partner.id,
                "purpose_id": purpose.id,
                "company_id": training.company_id.id,
                "legal_basis": "consent",
                "channel": "web",
                "confirmation_pending": True,
                "signup_created_partner": created,
                "catalogue_training_id": training.id,
            }
        )
        return consent, "new"

    def _render_catalogue_training(self, training, errors=None, form=None, done=False, status=200):
        values = self._get_layout_values(training)
        # sudo: the purpose's wording is what the visitor consents to.
        purpose = request.env["kommune.consent.purpose"].sudo()._get_by_code(PURPOSE_TRAINING)
        values.update(
            {
                "training": training,
                "schedule": training._get_schedule(),
                "errors": errors or {},
                "form": form or {},
                "done": done,
                "confirmation_days": CONFIRMATION_DAYS,
                "purpose": purpose.with_context(lang=request.env.lang),
                "max_length": MAX_VALUE_LENGTH,
            }
        )
        return request.render(
            "kommune_interkulturell_portal.catalogue_training_page", values, status=status
        )


class KommuneCatalogueSubscriptionController(KommuneSubscriptionController):
    def _render_confirm_page(self, token, consent):
        """A confirmation link of the catalogue confirms a registration, not a sign-up
        for invitations: its page says so."""
        training = consent.catalogue_training_id
        if not training:
            return super()._render_confirm_page(token, consent)
        # The person's registration, looked up once for the page's checks.
        registration = consent._kommune_catalogue_get_registration(training)
        # The link registers once: cancelled since, it is void (as a request link).
        if registration._kommune_catalogue_link_used(consent._get_confirmation_expiry()):
            return self._render_error("invalid", status=404, training=training)
        values = self._get_layout_values(training)
        values.update(
            {
                "token": token,
                "partner": consent.partner_id,
                "training": training,
                # Confirmed once the person holds the registration the link was mailed
                # for (or the catalogue no longer takes it): until then the button stays.
                "confirmed": consent.state == "given"
                and (
                    registration._kommune_catalogue_holds_place()
                    or not training._kommune_portal_is_registration_open()
                ),
            }
        )
        return request.render("kommune_interkulturell_portal.catalogue_confirm_page", values)
