"""The page of the personal registration link of invitation campaigns.

The pages work without login, JavaScript or a large screen: server-rendered QWeb with
plain POST forms carrying Odoo's CSRF token. Public users have no access to the
network's records, so each handler checks the personal link first (an HMAC, compared in
constant time, see kommune.training._get_invitation_from_token), validates every input
and only then works with sudo() on the records the link stands for. A bad link gets the
same friendly page whatever was wrong with it, in the browser's language. Rate limits,
input limits and the error pages are shared with the other public pages (see
kommune_interkulturell's controllers/kommune_public.py)."""

import re
from urllib.parse import quote as url_quote

from odoo import http
from odoo.addons.kommune_interkulturell.controllers.kommune_public import (
    MAX_FORM_BYTES,
    KommunePublicController,
    get_chosen_lang,
    is_plain_text,
)
from odoo.addons.kommune_interkulturell.models.res_partner import NETWORK_ROLES
from odoo.http import request
from odoo.tools import is_html_empty

# What the registration form accepts.
PHONE_RE = re.compile(r"[0-9+()/.\- ]{3,32}")
ORGANIZATION_MAX_LENGTH = 128
# States in which submitting the form again changes nothing.
SETTLED_STATES = ("confirmed", "waitlist", "attended", "absent")
# States a participant can cancel online.
CANCELLABLE_STATES = ("registered", "confirmed", "waitlist")
# The routes of the page's forms (register, cancel): posted from the page, or their
# address opened again (see _open_invitation_form).
FORM_ROUTE = {
    "type": "http",
    "auth": "public",
    "methods": ["GET", "POST"],
    "sitemap": False,
    "max_content_length": MAX_FORM_BYTES,
}


class KommuneInvitationController(KommunePublicController):
    # ------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------

    @http.route(
        "/kommune/invitation/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def invitation_page(self, token, **kwargs):
        """The training and, depending on the person's registration, the registration
        form, their status or the way to cancel. Opening it from a mailing's mail counts
        as a click in the mailing's statistics. Extra parameters are ignored."""
        opened = self._open_invitation(token, count_click=True)
        if not isinstance(opened, tuple):
            return opened
        training, partner, mailing, registration = opened
        return self._render_page(token, training, partner, mailing, registration=registration)

    @http.route("/kommune/invitation/<string:token>/register", **FORM_ROUTE)
    def invitation_register(self, token, **post):
        opened = self._open_invitation_form(token, post)
        if not isinstance(opened, tuple):
            return opened
        training, partner, mailing, registration = opened
        if registration.state in SETTLED_STATES:
            # Submitted twice (or already registered by staff): nothing changes.
            return self._render_page(token, training, partner, mailing, registration=registration)
        if not training._is_registration_open():
            return self._render_error("closed", training=training, status=410)
        values, errors = self._validate_registration_form(partner, post)
        if errors:
            return self._render_page(
                token,
                training,
                partner,
                mailing,
                registration=registration,
                errors=errors,
                form=post,
                status=400,
            )
        registration_vals = {"consent": True}
        if mailing:
            registration_vals.update(mailing_id=mailing.id, campaign_id=mailing.campaign_id.id)
        # Confirmed or waitlisted by the training's rules under its row lock, in a
        # transaction of its own that waits for others registering at the same moment
        # instead of failing; the confirmation (or waitlist) mail is queued.
        registered = training._register_participant_public(
            partner,
            partner_vals=values["partner"],
            source="invitation",
            **registration_vals,
        )
        if not registered:
            return self._render_error("closed", training=training, status=410)
        # This request's transaction began before the registration was committed: a new
        # one shows it, and the seats, as they are now.
        request.env.cr.commit()
        self._wake_up_mail_queue()
        return self._render_page(
            token,
            training,
            partner,
            mailing,
            registration=registration.browse(registered),
            just_registered=True,
        )

    @http.route("/kommune/invitation/<string:token>/cancel", **FORM_ROUTE)
    def invitation_cancel(self, token, **post):
        opened = self._open_invitation_form(token, post)
        if not isinstance(opened, tuple):
            return opened
        training, partner, mailing, registration = opened
        if registration.state in CANCELLABLE_STATES:
            if not training._can_cancel_online():
                return self._render_page(
                    token,
                    training,
                    partner,
                    mailing,
                    registration=registration,
                    errors={"cancel": True},
                    status=409,
                )
            # Frees the seat; the first person on the waitlist moves up and is told.
            registration.action_cancel()
            registration.message_post(
                body=request.env._("Cancelled by the participant through their personal link."),
                subtype_xmlid="mail.mt_note",
                author_id=partner.id,
            )
            self._wake_up_mail_queue()
        return self._render_page(
            token, training, partner, mailing, registration=registration, just_cancelled=True
        )

    @http.route(
        "/kommune/invitation/preview/<int:training_id>",
        type="http",
        auth="user",
        methods=["GET"],
        sitemap=False,
        # Staff only, no rate limit, no statistics: it only reads, from a replica when
        # the deployment has one.
        readonly=True,
    )
    def invitation_preview(self, training_id, **kwargs):
        """The page as invited people see it, for staff (test mails link here)."""
        training = request.env["kommune.training"].browse(training_id).exists()
        if not training or not training.has_access("read"):
            return self._render_error("invalid", status=404)
        self._set_lang(request.env.user.partner_id)
        # sudo: the page shows what a public visitor sees (seats left, venue), which
        # reads registrations and contacts the staff member may not; their read access
        # to the training itself was checked above.
        return self._render_page(
            "",
            training.sudo(),
            request.env.user.partner_id,
            request.env["mailing.mailing"],
            preview=True,
        )

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def _open_invitation(self, token, post=None, count_click=False):
        """What every page of the personal link checks first: the rate limits, the
        submitted form's limits, the link itself, then - in the person's language -
        whether the link still works.

        :param bool count_click: the link was opened from a mail: count the click of a
            valid link (see _set_mailing_clicked), also when the training is closed
        :return: ``(training, partner, mailing, registration)`` with sudo - the
            person's registration for the training (or an empty one), looked up once for
            the request's checks and its page - or the page refusing the request
        """
        refused = self._check_rate_limit(token)
        if not refused and post is not None:
            refused = self._check_form(post)
        if refused:
            return refused
        invitation = self._get_invitation(token)
        if not invitation:
            return self._render_error("invalid", status=404)
        training, partner, mailing = invitation
        if count_click and mailing:
            self._set_mailing_clicked(partner, mailing)
        self._set_lang(partner)
        error, registration = self._get_closed_error(training, partner)
        if error:
            return self._render_error(error, training=training, status=410)
        return training, partner, mailing, registration

    def _open_invitation_form(self, token, post):
        """What a form of the personal link checks first: its address opened again (a
        bookmark, a reload in a new tab) leads back to the page, a submitted form is
        checked as the page is (see _open_invitation)."""
        if request.httprequest.method == "GET":
            return self._redirect_to_page(token)
        return self._open_invitation(token, post)

    def _redirect_to_page(self, token):
        """The address of a submitted form opened again (a bookmark, a reload in a new
        tab): back to the page, which checks the link, in the language chosen on it
        (an installed one only: nothing of the request is echoed)."""
        url = f"/kommune/invitation/{url_quote(token, safe='')}"
        if lang := get_chosen_lang():
            url = f"{url}?lang={lang}"
        return request.redirect(url, code=303)

    def _get_invitation(self, token):
        """(training, partner, mailing) with sudo, or None for a bad link."""
        # sudo: the public user may not read trainings or contacts; the records are only
        # looked at once the link's signature has proven who it was made for.
        return request.env["kommune.training"].sudo()._get_invitation_from_token(token)

    def _set_mailing_clicked(self, partner, mailing):
        """The person opened their personal link from the mailing's mail: Odoo's
        statistics count it on their trace as a click on a tracked link does (click
        implies open, see mass_mailing's link.tracker.click.add_click). Personal links
        are never tracked themselves (see mail.render.mixin), so the page counts."""
        # The records come with sudo from the checked link: its signature names the
        # person and the mailing whose trace is marked.
        traces = mailing.env["mailing.trace"].search(
            [
                ("mass_mailing_id", "=", mailing.id),
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
            ]
        )
        traces.set_opened()
        traces.set_clicked()

    def _get_registration(self, training, partner):
        # One row, not all of the training's registrations (a unique index holds one
        # per person and training).
        return training.env["kommune.training.registration"].search(
            [("training_id", "=", training.id), ("partner_id", "=", partner.id)], limit=1
        )

    def _get_closed_error(self, training, partner):
        """Why the link no longer works (or None), and the person's registration (an
        empty one when the training is over or called off: no page shows it then). A
        registered person keeps seeing their status until the training is over."""
        registration = training.env["kommune.training.registration"]
        if training.is_cancelled:
            return "cancelled", registration
        if training.is_finished:
            return "finished", registration
        registration = self._get_registration(training, partner)
        if not training._is_registration_open() and registration.state not in (
            *CANCELLABLE_STATES,
            *SETTLED_STATES,
        ):
            return "closed", registration
        return None, registration

    def _validate_registration_form(self, partner, post):
        """The form's values (only what the person's record lacks is asked) and the
        errors, by field."""
        errors = {}
        partner_vals = {}
        if post.get("consent") not in ("1", "on", "true", "yes"):
            errors["consent"] = True
        phone = (post.get("phone") or "").strip()
        if phone and not partner.phone:
            if PHONE_RE.fullmatch(phone):
                partner_vals["phone"] = phone
            else:
                errors["phone"] = True
        role = post.get("network_role") or ""
        if role and not partner.network_role:
            if role in dict(NETWORK_ROLES):
                partner_vals["network_role"] = role
            else:
                errors["network_role"] = True
        organization = " ".join((post.get("organization") or "").split())
        if organization and not partner.parent_id and not partner.company_name:
            if len(organization) <= ORGANIZATION_MAX_LENGTH and is_plain_text(organization):
                # Staff link the person to the organisation (Contacts suggests creating it
                # from the company name).
                partner_vals["company_name"] = organization
            else:
                errors["organization"] = True
        return {"partner": partner_vals}, errors

    def _get_seats_text(self, training):
        if not training.seats_max:
            return request.env._("Seats are not limited.")
        if not training.seats_available:
            return request.env._("Fully booked: registrations join the waitlist.")
        return request.env._(
            "%(free)s of %(total)s seats free",
            free=training.seats_available,
            total=training.seats_max,
        )

    def _render_page(
        self, token, training, partner, mailing, registration=None, status=200, **values
    ):
        """The page of the personal link; ``registration``: the person's, as the request
        last wrote or read it (looked up when not given)."""
        training = training.with_context(lang=request.env.lang)
        if registration is None:
            registration = self._get_registration(training, partner)
        else:
            registration = registration.with_env(training.env)
        page_values = self._get_layout_values(training)
        # The person and the venue are both shown: read together when neither is read
        # yet (after the registration's commit).
        partner = partner.with_prefetch((partner | training.venue_id).ids)
        page_values.update(
            {
                "token": token,
                "training": training,
                "partner": partner,
                "registration": registration,
                "settled": registration.state in SETTLED_STATES,
                "can_register": training._is_registration_open()
                and registration.state not in SETTLED_STATES,
                # Not in the staff preview: it has no personal link to cancel through.
                "can_cancel": registration.state in CANCELLABLE_STATES
                and training._can_cancel_online()
                and not values.get("preview"),
                "cancel_deadline": training._format_datetime_local(training._get_cancel_deadline()),
                "registration_close": training._format_datetime_local(
                    training.date_registration_close
                ),
                # The video conference only for confirmed participants (as on "My
                # trainings"): a personal link is forwarded, and the waitlist has no seat.
                "schedule": training.with_context(
                    kommune_schedule_without_online=registration.state
                    not in ("confirmed", "attended")
                )._get_schedule(),
                "seats_text": self._get_seats_text(training),
                "network_roles": training.env["res.partner"]
                ._fields["network_role"]
                ._description_selection(training.env),
                "is_html_empty": is_html_empty,
                "errors": {},
                "form": {},
                "preview": False,
                "just_registered": False,
                "just_cancelled": False,
                **values,
            }
        )
        return request.render(
            "kommune_interkulturell_mass_mailing.invitation_page", page_values, status=status
        )
