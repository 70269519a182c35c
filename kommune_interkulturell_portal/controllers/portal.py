"""The network's pages in Odoo's portal ("My Account"): a participant's trainings,
certificates, consents and data.

Portal users read their own registrations and consents under record rules (see
security/kommune_interkulturell_portal_security.xml); every page first reads the record
as the user, which proves it is theirs, and only then acts on it with sudo() through the
app's own methods (cancellation, withdrawal), so that a page does exactly what staff's
buttons do and is logged the same way."""

from odoo import http
from odoo.addons.kommune_interkulturell.controllers.kommune_public import (
    MAX_FORM_BYTES,
    plain_text,
    render_public_error,
)
from odoo.addons.kommune_interkulturell.models.kommune_training import DEFAULT_TZ
from odoo.addons.kommune_interkulturell.models.kommune_training_registration import (
    OPEN_STATES,
)
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import format_datetime

CERTIFICATE_REPORT = "kommune_interkulturell.action_report_training_certificate"
REGISTRATION_MODEL = "kommune.training.registration"
# The contact data a person keeps up to date themselves on "My data".
CONTACT_FIELDS = ("phone", "street", "zip", "city")
PERSON_FIELDS = ("phone",)
CONTACT_VALUE_MAX_LENGTH = 128
# What the person ends themselves: a consent (Art. 7 (3) DSGVO) or, by objecting, a
# legitimate interest (Art. 21); a contract or a legal obligation they cannot withdraw.
WITHDRAWABLE_BASES = ("consent", "legitimate_interest")
# Downloads of one's own data per user and hour: each one searches every table and is
# logged twice.
EXPORTS_PER_HOUR = 5


class KommunePortal(CustomerPortal):
    # Odoo merges every extension of CustomerPortal (sale, project, ...) into one
    # class: the helpers here carry the app's name, lest they override another's.
    # ------------------------------------------------------------
    # Home
    # ------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        partner = request.env.user.partner_id
        if "kommune_training_count" in counters:
            values["kommune_training_count"] = request.env[REGISTRATION_MODEL].search_count(
                self._kommune_registrations_domain(partner)
            )
        if "kommune_certificate_count" in counters:
            values["kommune_certificate_count"] = request.env[REGISTRATION_MODEL].search_count(
                self._kommune_registrations_domain(partner) + [("state", "=", "attended")]
            )
        if "kommune_consent_count" in counters:
            values["kommune_consent_count"] = request.env["kommune.consent"].search_count(
                [("partner_id", "=", partner.id), ("state", "=", "given")]
            )
        return values

    def _kommune_registrations_domain(self, partner):
        # Invitations nobody answered are the campaign's business, not the person's list.
        return [("partner_id", "=", partner.id), ("state", "!=", "invited")]

    # ------------------------------------------------------------
    # My trainings
    # ------------------------------------------------------------

    @http.route("/my/kommune/trainings", type="http", auth="user", website=True)
    def portal_kommune_trainings(self, **kwargs):
        partner = request.env.user.partner_id
        registrations = request.env[REGISTRATION_MODEL].search(
            self._kommune_registrations_domain(partner), order="training_date_begin desc, id desc"
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "kommune_trainings",
                # sudo: shows the trainings of the user's own registrations, found under
                # the record rules above; portal users do not read trainings themselves.
                "registrations": registrations.sudo(),
                "waitlist_positions": self._kommune_get_waitlist_positions(registrations),
            }
        )
        return request.render("kommune_interkulturell_portal.portal_my_kommune_trainings", values)

    @http.route(
        "/my/kommune/trainings/<int:registration_id>", type="http", auth="user", website=True
    )
    def portal_kommune_training(self, registration_id, message=None, **kwargs):
        registration_sudo = self._kommune_get_own_document(REGISTRATION_MODEL, registration_id)
        if registration_sudo is None:
            return request.redirect("/my/kommune/trainings")
        training_sudo = registration_sudo.training_id
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "kommune_training",
                "registration": registration_sudo,
                "training": training_sudo,
                # A session's video conference only for confirmed participants.
                "schedule": training_sudo.with_context(
                    kommune_schedule_without_online=registration_sudo.state
                    not in ("confirmed", "attended")
                )._get_schedule(),
                "waitlist_position": self._kommune_get_waitlist_positions(registration_sudo).get(
                    registration_sudo.id
                ),
                "can_cancel": self._kommune_can_cancel(registration_sudo),
                "cancel_deadline": self._kommune_cancel_deadline_label(training_sudo),
                "message": message if message in ("cancelled", "not_cancelled") else None,
            }
        )
        return request.render("kommune_interkulturell_portal.portal_my_kommune_training", values)

    @http.route(
        "/my/kommune/trainings/<int:registration_id>/cancel",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        max_content_length=MAX_FORM_BYTES,
    )
    def portal_kommune_training_cancel(self, registration_id, **post):
        registration_sudo = self._kommune_get_own_document(REGISTRATION_MODEL, registration_id)
        if registration_sudo is None:
            return request.redirect("/my/kommune/trainings")
        if not self._kommune_can_cancel(registration_sudo):
            return request.redirect(
                f"/my/kommune/trainings/{registration_id}?message=not_cancelled"
            )
        # The app's cancellation: frees the seat and moves the first waiting person up.
        registration_sudo.action_cancel()
        registration_sudo.message_post(
            body=request.env._("Cancelled on the portal."),
            author_id=request.env.user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return request.redirect(f"/my/kommune/trainings/{registration_id}?message=cancelled")

    @http.route(
        "/my/kommune/trainings/<int:registration_id>/calendar.ics",
        type="http",
        auth="user",
        website=True,
    )
    def portal_kommune_training_ics(self, registration_id, **kwargs):
        registration_sudo = self._kommune_get_own_document(REGISTRATION_MODEL, registration_id)
        if registration_sudo is None or registration_sudo.state == "cancelled":
            return request.redirect("/my/kommune/trainings")
        content = registration_sudo.training_id._get_sessions_ics()
        if not content:
            return request.redirect(f"/my/kommune/trainings/{registration_id}")
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", f'attachment; filename="training-{registration_id}.ics"'),
            ],
        )

    # ------------------------------------------------------------
    # My certificates
    # ------------------------------------------------------------

    @http.route("/my/kommune/certificates", type="http", auth="user", website=True)
    def portal_kommune_certificates(self, **kwargs):
        partner = request.env.user.partner_id
        registrations = request.env[REGISTRATION_MODEL].search(
            [("partner_id", "=", partner.id), ("state", "=", "attended")],
            order="training_date_begin desc, id desc",
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "kommune_certificates",
                # sudo: as on "My trainings", the trainings of the user's own registrations.
                "registrations": registrations.sudo(),
            }
        )
        return request.render(
            "kommune_interkulturell_portal.portal_my_kommune_certificates", values
        )

    @http.route(
        "/my/kommune/certificates/<int:registration_id>", type="http", auth="user", website=True
    )
    def portal_kommune_certificate(self, registration_id, **kwargs):
        registration_sudo = self._kommune_get_own_document(REGISTRATION_MODEL, registration_id)
        if registration_sudo is None or registration_sudo.state != "attended":
            return request.redirect("/my/kommune/certificates")
        return self._show_report(
            model=registration_sudo,
            report_type="pdf",
            report_ref=CERTIFICATE_REPORT,
            download=True,
        )

    # ------------------------------------------------------------
    # My consents
    # ------------------------------------------------------------

    @http.route("/my/kommune/consents", type="http", auth="user", methods=["GET"], website=True)
    def portal_kommune_consents(self, message=None, **kwargs):
        partner = request.env.user.partner_id
        # Read as the user: the record rules show their own consents only.
        consents = request.env["kommune.consent"].search([("partner_id", "=", partner.id)])
        purposes = request.env["kommune.consent.purpose"].search([])
        in_force = {
            consent.purpose_id.id: consent
            for consent in consents
            if consent.state == "given" and consent.company_id == request.env.company
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "kommune_consents",
                "purposes": purposes,
                "in_force": in_force,
                "consents": consents,
                "withdrawable_bases": WITHDRAWABLE_BASES,
                "message": message if message in ("given", "withdrawn") else None,
                # In the user's time zone, else in Berlin's, never in UTC.
                "kommune_tz": request.env.user.tz or DEFAULT_TZ,
            }
        )
        return request.render("kommune_interkulturell_portal.portal_my_kommune_consents", values)

    @http.route(
        "/my/kommune/consents/<int:purpose_id>/<string:decision>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        max_content_length=MAX_FORM_BYTES,
    )
    def portal_kommune_consent_decide(self, purpose_id, decision, **post):
        purpose = request.env["kommune.consent.purpose"].browse(purpose_id).exists()
        if decision not in ("give", "withdraw") or not purpose or not purpose.active:
            return request.redirect("/my/kommune/consents")
        partner = request.env.user.partner_id
        # Read as the user: the consent found is theirs (record rules).
        consent = request.env["kommune.consent"].search(
            [
                ("partner_id", "=", partner.id),
                ("purpose_id", "=", purpose.id),
                ("company_id", "=", request.env.company.id),
                ("state", "in", ("given", "pending")),
            ],
            limit=1,
        )
        if decision == "withdraw" and consent.legal_basis in WITHDRAWABLE_BASES:
            # sudo: portal users only read consents; this is their own, found above, and
            # the app's withdrawal dates it, keeps it and unticks their registrations.
            consent_sudo = consent.sudo()
            consent_sudo.action_withdraw()
            self._kommune_log_consent_decision(
                consent_sudo, request.env._("Withdrawn on the portal.")
            )
            return request.redirect("/my/kommune/consents?message=withdrawn")
        if decision == "give" and not consent and purpose.legal_basis == "consent":
            # sudo: portal users cannot create consents; the person records their own,
            # logged in, for the company of their account. An objection to invitations
            # is taken back the way a confirmed sign-up takes it back: by the person.
            consent = (
                request.env["kommune.consent"]
                .sudo()
                .create(
                    {
                        "partner_id": partner.id,
                        "purpose_id": purpose.id,
                        "legal_basis": "consent",
                        "company_id": request.env.company.id,
                        "channel": "web",
                    }
                )
            )
            self._kommune_log_consent_decision(consent, request.env._("Given on the portal."))
            return request.redirect("/my/kommune/consents?message=given")
        return request.redirect("/my/kommune/consents")

    def _kommune_log_consent_decision(self, consent_sudo, body):
        # On the consent's chatter, by the person, next to its tracked dates.
        consent_sudo.message_post(
            body=body,
            author_id=request.env.user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------
    # My data
    # ------------------------------------------------------------

    @http.route("/my/kommune/data", type="http", auth="user", methods=["GET"], website=True)
    def portal_kommune_data(self, message=None, **kwargs):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "kommune_data",
                "partner": request.env.user.partner_id,
                "langs": request.env["res.lang"].get_installed(),
                "message": message if message == "saved" else None,
            }
        )
        return request.render("kommune_interkulturell_portal.portal_my_kommune_data", values)

    @http.route(
        "/my/kommune/data/export.json",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
        max_content_length=MAX_FORM_BYTES,
    )
    def portal_kommune_data_export(self, **kwargs):
        """POST (with the form's CSRF token) exports: the export searches every table
        and writes two logs, which a link or a script must not set off at will. A GET
        (an old bookmark) shows the page with the button."""
        if request.httprequest.method != "POST":
            return request.redirect("/my/kommune/data")
        if limited := self._kommune_check_hourly_limit("export", EXPORTS_PER_HOUR):
            return limited
        partner = request.env.user.partner_id
        content = partner._kommune_portal_get_personal_data_json()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Disposition", 'attachment; filename="personal-data.json"'),
                ("Cache-Control", "no-store"),
            ],
        )

    @http.route(
        "/my/kommune/data",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        max_content_length=MAX_FORM_BYTES,
    )
    def portal_kommune_data_save(self, **post):
        installed = dict(request.env["res.lang"].get_installed())
        vals = {}
        if post.get("lang") in installed:
            vals["lang"] = post["lang"]
        partner = request.env.user.partner_id
        # A person of an organisation shares its address: Odoo writes a contact's
        # address through to the organisation and every colleague. Only people without
        # an organisation keep an address of their own here.
        fnames = CONTACT_FIELDS if not partner.parent_id else PERSON_FIELDS
        for fname in fnames:
            if fname in post:
                value = plain_text(str(post[fname]))[:CONTACT_VALUE_MAX_LENGTH]
                vals[fname] = value or False
        if vals:
            # sudo: as Odoo's own "My Account" form does, the person writes their own
            # contact (only the validated fields above).
            partner.sudo().write(vals)
        return request.redirect("/my/kommune/data?message=saved")

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def _kommune_check_hourly_limit(self, kind, limit):
        """The 429 page once the user did ``kind`` more than ``limit`` times this hour
        (an action that costs the database or staff's attention), else None."""
        user = request.env.user
        # sudo: the counters are technical and kept away from every user.
        RateLimit = request.env["kommune.rate.limit"].sudo()
        if wait := RateLimit._hit(kind, user.id, limit, period=3600):
            return render_public_error(
                "rate_limited", 429, headers={"Retry-After": str(wait)}, partner=user.partner_id
            )
        return None

    def _kommune_get_own_document(self, model_name, record_id):
        """The user's record as sudo, or None when it is not theirs (or gone).

        The record rules decide: reading it as the user proves it is theirs."""
        try:
            return self._document_check_access(model_name, record_id)
        except (AccessError, MissingError):
            return None

    def _kommune_get_waitlist_positions(self, registrations):
        """{registration id: its place in the waitlist, 1 for the first to move up}."""
        waiting = registrations.filtered(lambda registration: registration.state == "waitlist")
        if not waiting:
            return {}
        # sudo: the place in the queue counts the other waiting people, whom the person
        # may not read; only the positions of their own registrations leave here.
        queue = (
            request.env[REGISTRATION_MODEL]
            .sudo()
            .search(
                # The order in which the app moves people up (training._promote_waitlist):
                # people whose consent was withdrawn while waiting are skipped.
                [
                    ("training_id", "in", waiting.training_id.ids),
                    ("state", "=", "waitlist"),
                    ("consent", "=", True),
                ],
                order="date_waitlist, id",
            )
        )
        positions, counters = {}, {}
        for registration in queue:
            counters[registration.training_id.id] = counters.get(registration.training_id.id, 0) + 1
            if registration.id in waiting.ids:
                positions[registration.id] = counters[registration.training_id.id]
        return positions

    def _kommune_can_cancel(self, registration_sudo):
        if registration_sudo.state not in OPEN_STATES:
            return False
        return registration_sudo.training_id._kommune_portal_can_cancel()

    def _kommune_cancel_deadline_label(self, training_sudo):
        deadline = training_sudo._kommune_portal_get_cancel_deadline()
        if not deadline:
            return ""
        return format_datetime(request.env, deadline, tz=training_sudo.date_tz)
