"""The organisation's page in "My Account", for its contact persons (portal users of
the group Organisation Contact Person): its people's trainings and certificates (named
only with their consent), its cooperations with the next meeting and the agreed next
steps, the action items assigned to the contact person, and a form to propose changes
to the organisation's profile, which staff take over from the chatter."""

from odoo import fields, http
from odoo.addons.kommune_interkulturell.controllers.kommune_public import (
    MAX_FORM_BYTES,
    plain_text,
)
from odoo.addons.kommune_interkulturell.models.kommune_training import DEFAULT_TZ
from odoo.http import request

from ..models.kommune_organization_proposal import PROPOSAL_CHAR_FIELDS, PROPOSAL_TEXT_FIELDS
from .portal import KommunePortal

CONTACT_GROUP = "kommune_interkulturell_portal.group_kommune_portal_contact"
PURPOSE_ORGANIZATION = "organization_portal"
PROPOSAL_VALUE_MAX_LENGTH = 512
# Proposals per contact person and hour: each one is a message in the staff's chatter.
PROPOSALS_PER_HOUR = 5


class KommuneOrganizationPortal(KommunePortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "kommune_organization_count" in counters:
            values["kommune_organization_count"] = int(self._kommune_is_contact_person())
        return values

    def _kommune_is_contact_person(self):
        user = request.env.user
        return user.has_group(CONTACT_GROUP) and user.partner_id.commercial_partner_id.is_company

    @http.route("/my/kommune/organization", type="http", auth="user", methods=["GET"], website=True)
    def portal_kommune_organization(self, message=None, **kwargs):
        if not self._kommune_is_contact_person():
            return request.redirect("/my")
        user = request.env.user
        organization = user.partner_id.commercial_partner_id
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "kommune_organization",
                "organization": organization,
                "people_rows": self._kommune_people_rows(organization),
                "cooperations": self._kommune_cooperations(organization),
                # Read as the user (the record rule shows the items assigned to them),
                # shown with sudo: their meeting and cooperation are not the user's to read.
                "action_items": request.env["kommune.cooperation.action.item"]
                .search([("partner_id", "=", user.partner_id.id), ("is_done", "=", False)])
                .sudo(),
                "message": message if message in ("done", "proposed") else None,
                "now": fields.Datetime.now(),
                # Meetings are in Berlin: shown in the user's time zone, else in
                # Berlin's, never in UTC.
                "kommune_tz": user.tz or DEFAULT_TZ,
            }
        )
        return request.render(
            "kommune_interkulturell_portal.portal_my_kommune_organization", values
        )

    @http.route(
        "/my/kommune/organization/items/<int:item_id>/done",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        max_content_length=MAX_FORM_BYTES,
    )
    def portal_kommune_action_item_done(self, item_id, **post):
        if not self._kommune_is_contact_person():
            return request.redirect("/my")
        item_sudo = self._kommune_get_own_document("kommune.cooperation.action.item", item_id)
        if item_sudo is None:
            return request.redirect("/my/kommune/organization")
        item_sudo.is_done = True
        return request.redirect("/my/kommune/organization?message=done")

    @http.route(
        "/my/kommune/organization/propose",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        max_content_length=MAX_FORM_BYTES,
    )
    def portal_kommune_organization_propose(self, **post):
        if not self._kommune_is_contact_person():
            return request.redirect("/my")
        if limited := self._kommune_check_hourly_limit("proposal", PROPOSALS_PER_HOUR):
            return limited
        user = request.env.user
        organization = user.partner_id.commercial_partner_id
        values = {}
        for name in (*PROPOSAL_CHAR_FIELDS, *PROPOSAL_TEXT_FIELDS):
            # What the public forms refuse (a NUL byte, invisible characters) counts
            # as blanks here: a proposal is kept, staff decide what to take over.
            value = plain_text(str(post.get(name) or ""))[:PROPOSAL_VALUE_MAX_LENGTH]
            if value:
                values[name] = value
        if values:
            # sudo: portal users have no access to proposals (no ACL: over RPC they could
            # propose for any organisation or read others'); the route creates it for the
            # contact person's own organisation only, checked above.
            request.env["kommune.organization.proposal"].sudo()._create_from_portal(
                organization, user.partner_id, values, self._kommune_proposal_labels()
            )
        return request.redirect("/my/kommune/organization?message=proposed")

    def _kommune_proposal_labels(self):
        env = request.env
        return {
            "street": env._("Street"),
            "zip": env._("ZIP"),
            "city": env._("City"),
            "phone": env._("Phone"),
            "website": env._("Website"),
            "email": env._("E-mail"),
            "communities": env._("Communities served"),
            "languages": env._("Languages served"),
            "activities": env._("Fields of activity"),
        }

    def _kommune_people_rows(self, organization):
        """The organisation's registrations as rows (training, dates, state, certificate)
        with the person's name only where they agreed to show it to their organisation
        (a consent in force for the purpose "Shown to my organisation")."""
        # sudo: contact persons do not read their colleagues' registrations; only the
        # rows of their own organisation leave here, named with the person's consent.
        Registration = request.env["kommune.training.registration"].sudo()
        registrations = Registration.search(
            [("organization_id", "=", organization.id), ("state", "not in", ("invited",))],
            order="training_date_begin desc, id desc",
        )
        # sudo: the purpose is looked up by its code, whatever the user may read.
        purpose = request.env["kommune.consent.purpose"].sudo()._get_by_code(PURPOSE_ORGANIZATION)
        # sudo: whether each person agreed is read to decide what is shown, never shown.
        consenting = (
            request.env["kommune.consent"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", registrations.partner_id.ids),
                    ("purpose_id", "=", purpose.id),
                    ("state", "=", "given"),
                ]
            )
            .partner_id
        )
        return [
            {
                "registration": registration,
                "name": registration.partner_id.name
                if registration.partner_id in consenting
                else False,
            }
            for registration in registrations
        ]

    def _kommune_cooperations(self, organization):
        # sudo: contact persons do not read cooperations; they see those their
        # organisation is a member of, with the fields the page shows.
        return (
            request.env["kommune.cooperation"]
            .sudo()
            .search([("member_ids.partner_id", "=", organization.id)])
        )
