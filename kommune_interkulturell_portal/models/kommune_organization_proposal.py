from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import escape_psql

# The profile fields a contact person may propose, with the organisation's field each
# one changes: the address and contact data as they are, the lists as text (staff pick
# the matching entries before accepting).
PROPOSAL_CHAR_FIELDS = ("street", "zip", "city", "phone", "website", "email")
PROPOSAL_TEXT_FIELDS = {
    "communities": "community_ids",
    "languages": "served_language_ids",
    "activities": "activity_area_ids",
}
# What a contact person wrote is kept while staff may still look the decision up: the
# decision itself (old and new values, or the reason) stays in the organisation's
# chatter; the proposal goes this many days after it was decided (date_decided: a later
# technical write, e.g. a recompute, must not restart the clock as write_date would).
DECIDED_PROPOSAL_DAYS = 90
# The context value under which the decision (state and date) is written: an object, so
# no call over RPC, whose context is JSON, can pass for the decision.
DECISION = object()


class KommuneOrganizationProposal(models.Model):
    """Changes to an organisation's profile proposed by one of its contact persons on
    the portal. Staff accept them (the organisation takes the proposed values in one
    write, logged in its chatter) or reject them; either closes the To-Do activity the
    proposal scheduled on the organisation."""

    _name = "kommune.organization.proposal"
    _description = "Organisation Profile Proposal"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    organization_id = fields.Many2one(
        "res.partner",
        string="Organisation",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_company", "=", True)],
        help="The organisation whose profile the proposal changes.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Proposed By",
        index="btree_not_null",
        # What they wrote goes with them: no proposal outlives its author's contact.
        ondelete="cascade",
        help="The contact person who proposed the changes on the portal.",
    )
    company_id = fields.Many2one(
        related="organization_id.company_id",
        store=True,
        index=True,
        help="The organisation's company: only its staff see the proposal.",
    )
    state = fields.Selection(
        [("to_review", "To Review"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        default="to_review",
        required=True,
        readonly=True,
        copy=False,
        help="To review: waits for staff. Accepted: the organisation took the proposed "
        "values. Rejected: the organisation stays as it was.",
    )
    street = fields.Char(help="Proposed street; empty: unchanged.")
    zip = fields.Char(string="ZIP", help="Proposed ZIP code; empty: unchanged.")
    city = fields.Char(help="Proposed city; empty: unchanged.")
    phone = fields.Char(help="Proposed phone number; empty: unchanged.")
    website = fields.Char(help="Proposed website; empty: unchanged.")
    email = fields.Char(string="E-mail", help="Proposed e-mail address; empty: unchanged.")
    communities = fields.Char(
        string="Communities Served (as proposed)",
        help="The communities as the contact person wrote them.",
    )
    languages = fields.Char(
        string="Languages Served (as proposed)",
        help="The languages as the contact person wrote them.",
    )
    activities = fields.Char(
        string="Fields of Activity (as proposed)",
        help="The fields of activity as the contact person wrote them.",
    )
    community_ids = fields.Many2many(
        "kommune.community",
        string="Communities Served",
        help="Replace the organisation's communities with these on accepting (filled "
        "with the entries named in the proposal; empty: unchanged).",
    )
    served_language_ids = fields.Many2many(
        "kommune.language",
        string="Languages Served",
        help="Replace the organisation's languages with these on accepting (filled "
        "with the entries named in the proposal; empty: unchanged).",
    )
    activity_area_ids = fields.Many2many(
        "kommune.activity.area",
        string="Fields of Activity",
        help="Replace the organisation's fields of activity with these on accepting "
        "(filled with the entries named in the proposal; empty: unchanged).",
    )
    date_decided = fields.Datetime(
        string="Decided On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When staff accepted or rejected the proposal: it is deleted 90 days later "
        "(what was decided stays in the organisation's chatter).",
    )
    reject_reason = fields.Text(
        string="Reason for Rejection",
        help="Optional: why staff did not take the changes over (logged on the organisation).",
    )
    activity_id = fields.Many2one(
        "mail.activity",
        ondelete="set null",
        help="The To-Do activity on the organisation that asks staff to review the proposal.",
    )

    _decided_with_date = models.Constraint(
        "CHECK ((state = 'to_review') = (date_decided IS NULL))",
        "A proposal has a decision date once it is accepted or rejected, and only then.",
    )

    @api.depends("organization_id")
    def _compute_display_name(self):
        for proposal in self:
            proposal.display_name = self.env._(
                "Proposal for %(organization)s", organization=proposal.organization_id.name
            )

    @api.model_create_multi
    def create(self, vals_list):
        # Created to be reviewed: the decision and its date come from Accept or Reject,
        # neither from the values nor from defaults (default_state in an RPC context).
        if not self._is_decision():
            defaults = self.default_get(["state", "date_decided"])
            for vals in vals_list:
                stored = {**defaults, **vals}
                if stored.get("state", "to_review") != "to_review" or stored.get("date_decided"):
                    raise UserError(self.env._("A proposal is decided with Accept or Reject only."))
        return super().create(vals_list)

    def copy_data(self, default=None):
        # What a contact person proposed is theirs: staff decide it, they do not make
        # more of it (a copy would be a proposal nobody made, kept until reviewed).
        raise UserError(self.env._("A proposal cannot be duplicated."))

    def write(self, vals):
        # A proposal is decided once, by Accept or Reject: its state is never set by
        # hand (e.g. back to review over RPC), and a decided proposal stays as decided.
        if not self._is_decision():
            if "state" in vals or "date_decided" in vals:
                raise UserError(self.env._("A proposal is decided with Accept or Reject only."))
            if any(proposal.state != "to_review" for proposal in self):
                raise UserError(self.env._("A decided proposal cannot be changed any more."))
        return super().write(vals)

    def _is_decision(self):
        return self.env.context.get("kommune_proposal_decision") is DECISION

    @api.autovacuum
    def _gc_decided_proposals(self):
        """Delete the proposals decided more than DECIDED_PROPOSAL_DAYS ago; those to
        review have no decision date and stay."""
        limit = fields.Datetime.now() - timedelta(days=DECIDED_PROPOSAL_DAYS)
        self.search([("state", "!=", "to_review"), ("date_decided", "<", limit)]).unlink()

    @api.model
    def _match_names(self, model, text):
        """The entries of a list (communities, languages, fields of activity) a text
        names, separated by commas, by their whole name in any case (``%`` and ``_``
        are letters here, not wildcards)."""
        records = self.env[model]
        for name in filter(None, (part.strip() for part in (text or "").split(","))):
            records |= records.search([("name", "=ilike", escape_psql(name))], limit=1)
        return records

    @api.model
    def _prepare_from_text(self, values):
        """Values of a new proposal with the lists the texts name already picked."""
        values = dict(values)
        for text_field, list_field in PROPOSAL_TEXT_FIELDS.items():
            comodel = self._fields[list_field].comodel_name
            values[list_field] = self._match_names(comodel, values.get(text_field)).ids
        return values

    @api.model
    def _create_from_portal(self, organization, partner, values, labels):
        """The proposal of contact person ``partner`` for ``organization`` with the
        texts ``values`` of the portal's form (``labels``: their names on the form): the
        record, a note in the organisation's chatter by the contact person linking to
        it, and the review activity.

        The note is of the proposal's own subtype: internal (nobody outside the staff
        reads it) and not one of the dialogue's (a proposal is no contact by staff)."""
        proposal = self.create(
            self._prepare_from_text(
                {**values, "organization_id": organization.id, "partner_id": partner.id}
            )
        )
        lines = [
            Markup("<li>%s: %s</li>") % (labels[name], value) for name, value in values.items()
        ]
        organization.message_post(
            body=Markup("<p>%s</p><ul>%s</ul><p>%s</p>")
            % (
                self.env._("Proposed changes to the organisation's profile:"),
                Markup("").join(lines),
                proposal._get_html_link(title=self.env._("Review the proposal")),
            ),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="kommune_interkulturell_portal.mt_profile_proposal",
        )
        proposal._schedule_review_activity()
        return proposal

    def _get_reviewer(self):
        """Who reviews the proposal: the organisation's responsible staff member, else a
        manager of the network in its company."""
        self.ensure_one()
        user = self.organization_id.user_id
        if user and not user.share and user.has_group("kommune_interkulturell.group_kommune_user"):
            return user
        company = self.company_id or self.env.company
        return self.env["res.users"].search(
            [
                (
                    "all_group_ids",
                    "in",
                    self.env.ref("kommune_interkulturell.group_kommune_manager").id,
                ),
                ("share", "=", False),
                ("company_ids", "in", company.id),
            ],
            order="id",
            limit=1,
        )

    def _schedule_review_activity(self):
        """A To-Do on the organisation for its reviewer, so that the proposal is among
        staff's activities; its note links to the proposal."""
        for proposal in self:
            reviewer = proposal._get_reviewer()
            if not reviewer:
                continue
            proposal.activity_id = proposal.organization_id.activity_schedule(
                "kommune_interkulturell_portal.mail_activity_type_profile_proposal",
                summary=proposal.with_context(lang=reviewer.lang).env._(
                    "Review the proposed changes to the profile"
                ),
                note=proposal._get_html_link(),
                user_id=reviewer.id,
            )

    def _get_organization_values(self):
        self.ensure_one()
        values = {name: self[name] for name in PROPOSAL_CHAR_FIELDS if self[name]}
        for list_field in PROPOSAL_TEXT_FIELDS.values():
            if self[list_field]:
                values[list_field] = self[list_field].ids
        return values

    def _check_to_review(self):
        for proposal in self:
            if proposal.state != "to_review":
                raise UserError(
                    self.env._(
                        "The proposal for %(organization)s was already decided.",
                        organization=proposal.organization_id.display_name,
                    )
                )

    def action_accept(self):
        """The organisation takes the proposed values in one write, as the staff user
        (their rights on the organisation apply), and its chatter shows old and new."""
        self._check_to_review()
        for proposal in self:
            organization = proposal.organization_id
            values = proposal._get_organization_values()
            lines = []
            for name, value in values.items():
                field = organization._fields[name]
                old = organization[name]
                if field.type == "many2many":
                    old = ", ".join(old.mapped("display_name"))
                    value = ", ".join(proposal[name].mapped("display_name"))
                lines.append(
                    Markup("<li>%s: %s → %s</li>")
                    % (field._description_string(self.env), old or "–", value)
                )
            organization.write(values)
            proposal._set_decision("accepted")
            proposal._post_decision(
                Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._(
                        "Proposed changes to the profile accepted (%(link)s):",
                        link=proposal._get_html_link(),
                    ),
                    Markup("").join(lines),
                )
            )
        return True

    def action_reject(self):
        self._check_to_review()
        for proposal in self:
            proposal._set_decision("rejected")
            body = Markup("<p>%s</p>") % self.env._(
                "Proposed changes to the profile rejected (%(link)s).",
                link=proposal._get_html_link(),
            )
            if proposal.reject_reason:
                body += Markup("<p>%s</p>") % proposal.reject_reason
            proposal._post_decision(body)
        return True

    def _set_decision(self, state):
        self.with_context(kommune_proposal_decision=DECISION).write(
            {"state": state, "date_decided": fields.Datetime.now()}
        )

    def _post_decision(self, body):
        """Log the decision on the organisation (a staff note of the proposal's subtype:
        no contact with the organisation in the sense of the dialogue) and close the
        review activity."""
        self.ensure_one()
        self.organization_id.message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="kommune_interkulturell_portal.mt_profile_proposal",
        )
        if self.activity_id:
            self.activity_id.action_feedback(
                feedback=dict(self._fields["state"]._description_selection(self.env))[self.state]
            )
