from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .kommune_consent_purpose import PURPOSE_INVITATION

# Why somebody may not be invited, in the order the first that applies is named (see
# KommuneConsentMixin._kommune_invitation_conditions).
INVITATION_REFUSALS = [
    ("opt_out", "Does not want invitations"),
    ("blocklisted", "Address on the blocklist"),
    ("no_legal_basis", "No consent to invitations"),
    ("no_email", "No e-mail address"),
    ("bounced", "Mails to the address bounced"),
]
# The reasons that hold only when an invitation mail goes out.
MAIL_ONLY_INVITATION_REFUSALS = ("blocklisted", "no_email", "bounced")


class KommuneConsentMixin(models.AbstractModel):
    """A contact's consents (kommune.consent) and what they decide: the opt-out from
    invitations, read from the consent history, and the one rule of who may be invited
    (the legal basis, no opt-out, a reachable address), which every way of inviting
    applies - direct invitations here, campaigns in kommune_interkulturell_mass_mailing.

    The opt-out is no state of its own: it is read from the person's consent history,
    so that an unsubscribe, a later confirmed sign-up and the consents staff record
    cannot contradict each other.

    Inherited by res.partner only (its fields are the contact's)."""

    _name = "kommune.consent.mixin"
    _description = "Consents and Invitation Rule of a Contact"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    kommune_consent_ids = fields.One2many(
        "kommune.consent",
        "partner_id",
        string="Consents",
        groups="kommune_interkulturell.group_kommune_user",
    )
    kommune_consent_count = fields.Integer(
        string="Consents in Force",
        compute="_compute_kommune_consent_count",
        groups="kommune_interkulturell.group_kommune_user",
    )
    invitation_opt_out = fields.Boolean(
        string="No Invitations",
        compute="_compute_invitation_opt_out",
        inverse="_inverse_invitation_opt_out",
        store=True,  # searched by mailings on contacts, through the partial index
        readonly=False,
        tracking=True,
        copy=False,
        help="The person objected to the network's invitations: their consent to "
        "invitations was withdrawn (e.g. through the unsubscribe link of a campaign) and "
        "none is in force. Every mailing to contacts skips their e-mail address. Ticking "
        "it records the objection; only a new consent of the person takes it back.",
    )
    # A compute of its own: writing the flag protects the fields of its compute from
    # recomputation, and the date follows the objection that the write records.
    invitation_opt_out_date = fields.Datetime(
        string="No Invitations Since",
        compute="_compute_invitation_opt_out_date",
        store=True,
        copy=False,
    )
    kommune_invitation_allowed = fields.Boolean(
        string="May Be Invited",
        compute="_compute_kommune_invitation_allowed",
        search="_search_kommune_invitation_allowed",
        groups="kommune_interkulturell.group_kommune_user",
        help="The network's invitation mails may reach this contact: there is a legal "
        "basis (a consent to invitations in force, or, where the company relies on "
        "legitimate interest, an organisation of the network that did not object), no "
        "opt-out, and an e-mail address that is neither blocklisted nor bounced.",
    )

    # Mailings on contacts (kommune_interkulturell_mass_mailing) look the few opted-out
    # persons up among all partners.
    _invitation_opt_out_index = models.Index("(id) WHERE invitation_opt_out IS TRUE")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_kommune_consent_count(self):
        counts = dict(
            self.env["kommune.consent"]._read_group(
                [("partner_id", "in", self._origin.ids), ("state", "=", "given")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.kommune_consent_count = counts.get(partner._origin, 0)

    def _compute_kommune_invitation_allowed(self):
        allowed = self.browse()
        if self._origin.ids:
            allowed = self.with_context(active_test=False).search(
                Domain("id", "in", self._origin.ids) & self._kommune_invitable_domain()
            )
        for partner in self:
            partner.kommune_invitation_allowed = partner._origin in allowed

    def _search_kommune_invitation_allowed(self, operator, value):
        if operator != "in":
            return NotImplemented
        return self._kommune_invitable_domain()

    @api.depends(
        "kommune_consent_ids.state",
        "kommune_consent_ids.date_withdrawn",
        "kommune_consent_ids.purpose_id",
    )
    def _compute_invitation_opt_out(self):
        dates = self._kommune_get_invitation_opt_out_dates()
        for partner in self:
            partner.invitation_opt_out = partner._origin.id in dates

    @api.depends(
        "kommune_consent_ids.state",
        "kommune_consent_ids.date_withdrawn",
        "kommune_consent_ids.purpose_id",
    )
    def _compute_invitation_opt_out_date(self):
        dates = self._kommune_get_invitation_opt_out_dates()
        for partner in self:
            partner.invitation_opt_out_date = dates.get(partner._origin.id, False)

    def _inverse_invitation_opt_out(self):
        # Ticked by staff: the objection goes into the consent history. (Unticking is
        # refused by write: only the person's new consent takes an opt-out back.)
        dates = self._kommune_get_invitation_opt_out_dates()
        self.filtered(
            lambda partner: partner.invitation_opt_out and partner.id not in dates
        )._kommune_record_invitation_objection(channel="staff")

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if "invitation_opt_out" in vals and not vals["invitation_opt_out"]:
            self._check_invitation_opt_out_kept()
        if vals.get("email") and "message_bounce" not in vals:
            # A corrected address is a new chance: its bounces were the old address's,
            # and bounced addresses get no invitations (see _kommune_invitation_conditions).
            changed = self.filtered(
                lambda partner: partner.message_bounce and partner.email != vals["email"]
            )
            if changed:
                super(KommuneConsentMixin, changed).write({"message_bounce": 0})
        return super().write(vals)

    # ------------------------------------------------------------
    # THE OPT-OUT, READ FROM THE CONSENT HISTORY
    # ------------------------------------------------------------

    def _check_invitation_opt_out_kept(self):
        """No record can say that a person who opted out agrees again but their own new
        consent: unticking "No Invitations" is refused, before anything is written."""
        taken_back = self.filtered("invitation_opt_out")
        if taken_back:
            raise UserError(
                self.env._(
                    "%(names)s objected to invitations. Only their new consent takes the "
                    "objection back: a manager of Kommune Interkulturell records it under "
                    "Data Protection, or the person signs up again for invitations.",
                    names=", ".join(taken_back.mapped("display_name")),
                )
            )

    def _kommune_get_invitation_opt_out_dates(self):
        """Who of these partners opted out of invitations, and since when, read from the
        consent history: a record of the purpose "invitations" was withdrawn (a consent
        withdrawn, or an objection) and none is in force, in any company - the reading
        of an organisation's objection in _kommune_invitation_basis_domain, for one flag
        that every mailing on contacts respects. A consent given later ends it; one
        awaiting its confirmation (double opt-in) does not yet.

        Reads the consents of every company (sudo): the flag is one for all of them.

        :return: ``{partner id: date of the latest withdrawal}`` of those opted out
        """
        dates = {}
        for partner in self.sudo():
            records = partner.kommune_consent_ids.filtered(
                lambda consent: consent.purpose_id.code == PURPOSE_INVITATION
            )
            states = set(records.mapped("state"))
            if "withdrawn" in states and "given" not in states:
                dates[partner._origin.id] = max(filter(None, records.mapped("date_withdrawn")))
        return dates

    def _kommune_record_invitation_objection(self, channel, company=None):
        """Record in the consent history that these persons object to invitations (Art.
        7 (3), Art. 21 DSGVO): their invitation consents in force or awaiting
        confirmation are withdrawn, in every company; who then has no withdrawn record
        gets an objection record - legal basis legitimate interest, given and withdrawn
        at once - to ``company`` (the current one by default).

        Runs with sudo: the objection ends invitations from every company, whose
        consents the user may not see; it only ever withdraws.

        :param str channel: how the objection came (see kommune.consent.channel)
        """
        Consent = self.env["kommune.consent"].sudo()
        Consent.search(
            [
                ("partner_id", "in", self.ids),
                ("purpose_id.code", "=", PURPOSE_INVITATION),
                ("state", "in", ("given", "pending")),
            ]
        ).action_withdraw()
        purpose = Consent.env["kommune.consent.purpose"]._get_by_code(PURPOSE_INVITATION)
        dates = self._kommune_get_invitation_opt_out_dates()
        now = fields.Datetime.now()
        company = company or self.env.company
        Consent.create(
            [
                {
                    "partner_id": partner.id,
                    "purpose_id": purpose.id,
                    "legal_basis": "legitimate_interest",
                    "company_id": (partner.company_id or company).id,
                    "channel": channel,
                    "date_given": now,
                    "date_withdrawn": now,
                }
                for partner in self
                if partner.id not in dates
            ]
        )

    def _set_invitation_opt_out(self, reason=None, company=None):
        """The person's own opt-out (the unsubscribe link of a campaign): recorded in the
        consent history (idempotent), and, with ``reason``, said on their chatter in their
        name.

        :param company: the company whose campaign they unsubscribed from
        :return: the partners who were not opted out before
        """
        partners = self.filtered(lambda partner: not partner.invitation_opt_out)
        partners._kommune_record_invitation_objection(channel="web", company=company)
        if reason:
            for partner in partners:
                partner.message_post(
                    body=reason, subtype_xmlid="mail.mt_note", author_id=partner.id
                )
        return partners

    # ------------------------------------------------------------
    # WHO MAY BE INVITED: the one rule of every invitation (campaigns,
    # direct invitations, invitations sent again)
    # ------------------------------------------------------------

    @api.model
    def _kommune_consent_domain(self, purpose_code, company=None, legal_bases=None, state="given"):
        """Partners with a consent in force for the purpose of this technical code (see
        kommune.consent.purpose) given to ``company``.

        :param str purpose_code: e.g. ``"invitation"``, ``"training"``, ``"photo"``
        :param company: ``res.company``; the current company when omitted
        :param legal_bases: only these legal bases, e.g. ``["consent"]``
        :param str state: ``"withdrawn"`` for the consents withdrawn (objections)
        :return: a ``Domain`` on res.partner
        """
        company = company or self.env.company
        consent = (
            Domain("purpose_id.code", "=", purpose_code)
            & Domain("company_id", "=", company.id)
            & Domain("state", "=", state)
        )
        if legal_bases:
            consent &= Domain("legal_basis", "in", list(legal_bases))
        return Domain("kommune_consent_ids", "any", consent)

    @api.model
    def _kommune_invitation_basis_domain(self, company=None):
        """Partners ``company`` (the current company when omitted) has a legal basis to
        invite, by its setting ``kommune_invitation_basis``:

        - opt-in required: a consent (legal basis "consent") to invitations is in force;
        - legitimate interest: in addition, organisations of the network (their
          functional address, e.g. info@) unless they objected, i.e. have a withdrawn
          invitation record and none in force. People always need their consent.

        The legal basis only: who may be invited is _kommune_invitable_domain.

        :return: a ``Domain`` on res.partner
        """
        company = company or self.env.company
        opted_in = self._kommune_consent_domain(
            PURPOSE_INVITATION, company, legal_bases=["consent"]
        )
        if company.kommune_invitation_basis != "legitimate_interest":
            return opted_in
        organization = Domain("is_company", "=", True) & Domain("organization_type_id", "!=", False)
        in_force = self._kommune_consent_domain(PURPOSE_INVITATION, company)
        objected = self._kommune_consent_domain(PURPOSE_INVITATION, company, state="withdrawn")
        return opted_in | (organization & (in_force | ~objected))

    @api.model
    def _kommune_invitation_conditions(self, company=None, mail=True):
        """The conditions of an invitation from ``company``, each with the reason named
        when it fails, in the order in which reasons are named (see INVITATION_REFUSALS):
        no opt-out, no blocklisted address, a legal basis (_kommune_invitation_basis_domain),
        an e-mail address, no bounces (reset when the address is corrected or mail comes
        in from it).

        The address conditions hold only for an invitation mail: somebody invited by
        phone (``mail=False``) needs the legal basis and no opt-out, not an address.

        :return: list of ``(reason, Domain of the partners who meet the condition)``
        """
        conditions = [
            ("opt_out", Domain("invitation_opt_out", "=", False)),
            ("blocklisted", Domain("is_blacklisted", "=", False)),
            ("no_legal_basis", self._kommune_invitation_basis_domain(company)),
            ("no_email", Domain("email_normalized", "!=", False)),
            ("bounced", Domain("message_bounce", "=", 0)),
        ]
        if not mail:
            conditions = [
                (reason, domain)
                for reason, domain in conditions
                if reason not in MAIL_ONLY_INVITATION_REFUSALS
            ]
        return conditions

    @api.model
    def _kommune_invitable_domain(self, company=None, mail=True):
        """Partners ``company`` may invite (by mail, or otherwise with ``mail=False``):
        all of _kommune_invitation_conditions, for counting and mailing in SQL.

        :return: a ``Domain`` on res.partner
        """
        return Domain.AND(
            domain for _reason, domain in self._kommune_invitation_conditions(company, mail)
        )

    def _kommune_get_invitation_refusals(self, company=None, mail=True):
        """Why ``company`` may not invite some of these partners: for each partner left
        out, the first of _kommune_invitation_conditions it fails (one query per
        condition, on these partners only).

        :return: ``{partner: reason}`` (reasons: see INVITATION_REFUSALS)
        """
        refusals = {}
        pending = self.with_context(active_test=False)
        for reason, domain in self._kommune_invitation_conditions(company, mail):
            if not pending:
                break
            meeting = pending.search(Domain("id", "in", pending.ids) & domain)
            refusals.update(dict.fromkeys(pending - meeting, reason))
            pending = meeting
        return {partner.with_env(self.env): reason for partner, reason in refusals.items()}
