"""The organisation's self-checks on its portal page, for its contact persons: each
check with its score per dimension and the change since the previous one, and the
development plan agreed with the network. Read as the user: the access rights and record
rules of security/ give the contact persons exactly their own organisation's checks,
scores and goals (and their colleagues nothing), so the pages and RPC show the same. The
survey answers behind a check are never read here."""

from odoo import http
from odoo.addons.kommune_interkulturell_portal.controllers.organization import (
    KommuneOrganizationPortal,
)
from odoo.http import request

CHECK_MODEL = "kommune.development.check"
GOAL_MODEL = "kommune.development.goal"


class KommuneOrganizationChecksPortal(KommuneOrganizationPortal):
    @http.route()
    def portal_kommune_organization(self, message=None, **kwargs):
        response = super().portal_kommune_organization(message=message, **kwargs)
        # Only the rendered page of a contact person has a context to add to; the
        # others were sent away by the check above.
        qcontext = getattr(response, "qcontext", None)
        if qcontext and qcontext.get("organization"):
            qcontext.update(self._kommune_development_values(qcontext["organization"]))
        return response

    def _kommune_development_values(self, organization):
        return {
            "development_checks": request.env[CHECK_MODEL].search(
                [("partner_id", "=", organization.id)]
            ),
            "development_goals": request.env[GOAL_MODEL].search(
                [("partner_id", "=", organization.id)], order="date_deadline, id"
            ),
        }

    @http.route(
        "/my/kommune/organization/checks/<int:check_id>",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_kommune_development_check(self, check_id, **kwargs):
        if not self._kommune_is_contact_person():
            return request.redirect("/my")
        organization = request.env.user.partner_id.commercial_partner_id
        # Searched as the user, within their organisation: another organisation's check,
        # a deleted one or a guessed id are all the same "not found".
        check = request.env[CHECK_MODEL].search(
            [("id", "=", check_id), ("partner_id", "=", organization.id)]
        )
        if not check:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "kommune_development_check",
                "organization": organization,
                "check": check,
            }
        )
        return request.render(
            "kommune_interkulturell_portal_survey.portal_my_kommune_development_check", values
        )
