from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import (
    email_normalize_all,
    format_date,
    format_datetime,
    html2plaintext,
    is_html_empty,
)

from .kommune_consent_purpose import PURPOSE_INVITATION

NETWORK_ROLES = [
    ("fulltime", "Full-time staff"),
    ("volunteer", "Volunteer"),
    ("management", "Management"),
    ("administration", "Administration staff"),
]

LEGAL_FORMS = [
    ("registered_association", "Registered association (e.V.)"),
    ("non_profit_company", "Non-profit limited company (gGmbH)"),
    ("foundation", "Foundation"),
    ("civil_partnership", "Civil-law partnership (GbR)"),
    ("unregistered", "Unregistered initiative"),
    ("public_body", "Public body"),
    ("other", "Other"),
]

# The button of the personal registration link in invitation mails (inline: mail clients
# ignore style sheets).
INVITATION_LINK_STYLE = (
    "display: inline-block; background-color: #875A7B; color: #ffffff; padding: 10px 18px; "
    "border-radius: 4px; text-decoration: none; font-weight: bold;"
)

# Why somebody may not be invited, in the order the first that applies is named (see
# ResPartner._kommune_invitation_conditions).
INVITATION_REFUSALS = [
    ("opt_out", "Does not want invitations"),
    ("blocklisted", "Address on the blocklist"),
    ("no_legal_basis", "No consent to invitations"),
    ("no_email", "No e-mail address"),
    ("bounced", "Mails to the address bounced"),
]
# The reasons that hold only when an invitation mail goes out.
MAIL_ONLY_INVITATION_REFUSALS = ("blocklisted", "no_email", "bounced")

# Migrant organisations founded before this year are very unlikely; it catches typos
# such as "201" or "2109" without pretending to know the history of every association.
FOUNDING_YEAR_MIN = 1850


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Network membership (organisations; persons inherit them, see
    # _commercial_fields)
    # ------------------------------------------------------------------
    organization_type_id = fields.Many2one(
        "kommune.organization.type",
        string="Organisation Type",
        index="btree_not_null",
        tracking=True,
        help="What kind of actor this organisation is in the network. Persons take "
        "the type of their organisation.",
    )
    organization_category = fields.Selection(
        string="Type Category",
        related="organization_type_id.category",
        store=True,
        index="btree_not_null",
    )
    district_id = fields.Many2one(
        "kommune.district",
        string="Main District",
        index="btree_not_null",
        tracking=True,
        help="The district where the organisation is based.",
    )
    active_district_ids = fields.Many2many(
        "kommune.district",
        "kommune_district_res_partner_active_rel",
        "partner_id",
        "district_id",
        string="Active in Districts",
        help="Further districts the organisation works in.",
    )

    # ------------------------------------------------------------------
    # Migrant organisations
    # ------------------------------------------------------------------
    community_ids = fields.Many2many(
        "kommune.community",
        string="Communities Served",
    )
    served_language_ids = fields.Many2many(
        "kommune.language",
        "kommune_language_res_partner_served_rel",
        "partner_id",
        "language_id",
        string="Languages Served",
    )
    activity_area_ids = fields.Many2many(
        "kommune.activity.area",
        string="Fields of Activity",
    )
    target_group_ids = fields.Many2many(
        "kommune.target.group",
        string="Target Groups",
    )
    legal_form = fields.Selection(LEGAL_FORMS)
    founding_year = fields.Integer(help="Year the organisation was founded, e.g. 2012.")
    staff_fulltime_count = fields.Integer(
        string="Full-time Staff",
        aggregator="sum",
        help="Number of paid full-time and part-time staff.",
    )
    staff_volunteer_count = fields.Integer(
        string="Volunteers",
        aggregator="sum",
        help="Number of people who regularly volunteer for the organisation.",
    )

    # ------------------------------------------------------------------
    # District administrations
    # ------------------------------------------------------------------
    administration_unit = fields.Char(
        string="Administrative Unit",
        help="Office or department, e.g. 'Büro der Integrationsbeauftragten'.",
    )
    administration_responsibility = fields.Text(
        string="Responsibility",
        help="What the unit is responsible for, in a few words.",
    )

    # ------------------------------------------------------------------
    # Persons
    # ------------------------------------------------------------------
    network_role = fields.Selection(
        NETWORK_ROLES,
        string="Role in Organisation",
        help="Whether the person works full-time or as a volunteer for their "
        "organisation, manages it, or is administration staff.",
    )

    _staff_fulltime_count_positive = models.Constraint(
        "CHECK (staff_fulltime_count IS NULL OR staff_fulltime_count >= 0)",
        "The number of full-time staff cannot be negative.",
    )
    _staff_volunteer_count_positive = models.Constraint(
        "CHECK (staff_volunteer_count IS NULL OR staff_volunteer_count >= 0)",
        "The number of volunteers cannot be negative.",
    )

    @api.constrains("founding_year")
    def _check_founding_year(self):
        this_year = fields.Date.context_today(self).year
        for partner in self:
            year = partner.founding_year
            if year and not FOUNDING_YEAR_MIN <= year <= this_year:
                raise ValidationError(
                    self.env._(
                        "The founding year %(year)s of %(name)s is not plausible: "
                        "enter a year between %(min)s and %(max)s.",
                        year=year,
                        name=partner.display_name,
                        min=FOUNDING_YEAR_MIN,
                        max=this_year,
                    )
                )

    @api.model
    def _commercial_fields(self):
        # Persons belong to the network through their organisation: syncing these
        # fields lets every search, group-by and audience work on persons directly.
        return super()._commercial_fields() + [
            "organization_type_id",
            "district_id",
            "active_district_ids",
        ]

    # ------------------------------------------------------------------
    # Cooperations and the continuous dialogue
    # ------------------------------------------------------------------
    cooperation_member_ids = fields.One2many(
        "kommune.cooperation.member",
        "partner_id",
        string="Cooperation Memberships",
        groups="kommune_interkulturell.group_kommune_user",
    )
    cooperation_count = fields.Integer(
        string="Cooperations",
        compute="_compute_cooperation_count",
        groups="kommune_interkulturell.group_kommune_user",
    )
    date_last_contact = fields.Datetime(
        string="Last Contact",
        compute="_compute_date_last_contact",
        store=True,
        help="Latest contact with the organisation or its people: a meeting they "
        "attended, a logged note or call, a message, e-mail or done activity on them, or "
        "the last contact of a cooperation the organisation is a member of.",
    )
    days_since_contact = fields.Integer(compute="_compute_days_since_contact")

    def _compute_cooperation_count(self):
        counts = dict(
            self.env["kommune.cooperation.member"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.cooperation_count = counts.get(partner, 0)

    @api.depends(
        "organization_type_id",
        "cooperation_member_ids.cooperation_id.date_last_contact",
        "meeting_ids.start",
        "meeting_ids.active",
        "child_ids.meeting_ids.start",
    )
    def _compute_date_last_contact(self):
        # Also recomputed explicitly: on every dialogue message posted on the partner or
        # one of its people, and by the daily dialogue cron for meetings whose time came.
        # Only the network's organisations and people: colleagues, customers and other
        # contacts attend meetings too, but their dialogue is nobody's concern here.
        network = self.filtered("organization_type_id")
        (self - network).date_last_contact = False
        families = {partner: partner._origin | partner._origin.child_ids for partner in network}
        family_ids = list({pid for family in families.values() for pid in family.ids})
        now = fields.Datetime.now()
        last_meetings = dict(
            self.env["calendar.event"]._read_group(
                [("partner_ids", "in", family_ids), ("start", "<=", now)],
                ["partner_ids"],
                ["start:max"],
            )
        )
        Message = self.env["mail.message"]
        last_messages = dict(
            Message._read_group(
                Domain("model", "=", "res.partner")
                & Domain("res_id", "in", family_ids)
                & Message._kommune_dialogue_domain(),
                ["res_id"],
                ["date:max"],
            )
        )
        for partner, family in families.items():
            dates = partner.cooperation_member_ids.cooperation_id.mapped("date_last_contact")
            for member in family:
                dates += [last_meetings.get(member), last_messages.get(member.id)]
            partner.date_last_contact = max(filter(None, dates), default=False)

    @api.depends("date_last_contact")
    def _compute_days_since_contact(self):
        today = fields.Date.context_today(self)
        for partner in self:
            last = partner.date_last_contact
            partner.days_since_contact = (
                (today - fields.Date.context_today(partner, last)).days if last else 0
            )

    def _message_post_after_hook(self, message, msg_values):
        # A call logged on a person is a contact with their organisation too.
        if message._kommune_is_dialogue():
            self._kommune_refresh_dialogue()
        return super()._message_post_after_hook(message, msg_values)

    def _kommune_refresh_dialogue(self):
        """Recompute "last contact" of these partners and their organisations at the
        next flush or read (see kommune.cooperation._refresh_dialogue)."""
        partners = self | self.parent_id
        self.env.add_to_compute(self._fields["date_last_contact"], partners)
        partners.modified(["date_last_contact"])

    def action_open_cooperations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_cooperation_action"
        )
        action["domain"] = [("partner_ids", "in", self.ids)]
        action["context"] = {"default_member_ids": [Command.create({"partner_id": self.id})]}
        return action

    # ------------------------------------------------------------------
    # Trainings: a person's registrations; an organisation's people's
    # registrations (for whom they took part) and the trainings attended
    # ------------------------------------------------------------------
    training_registration_ids = fields.One2many(
        "kommune.training.registration",
        "partner_id",
        string="Training Registrations",
        groups="kommune_interkulturell.group_kommune_user",
    )
    organization_training_registration_ids = fields.One2many(
        "kommune.training.registration",
        "organization_id",
        string="Training Registrations of the Organisation",
        groups="kommune_interkulturell.group_kommune_user",
    )
    training_attended_count = fields.Integer(
        string="Trainings Attended",
        compute="_compute_training_attended_count",
        groups="kommune_interkulturell.group_kommune_user",
        help="Trainings the person attended; for an organisation, the trainings its "
        "people attended for it.",
    )

    def _compute_training_attended_count(self):
        # Two grouped queries for the whole batch, persons and organisations apart.
        Registration = self.env["kommune.training.registration"]
        organizations = self.filtered("is_company")
        persons = self - organizations
        counts = {}
        for field, partners in (("partner_id", persons), ("organization_id", organizations)):
            if partners.ids:
                counts.update(
                    Registration._read_group(
                        [(field, "in", partners.ids), ("state", "=", "attended")],
                        [field],
                        ["training_id:count_distinct"],
                    )
                )
        for partner in self:
            partner.training_attended_count = counts.get(partner._origin, 0)

    def action_open_attended_trainings(self):
        """The trainings the person, or the organisation's people, attended."""
        self.ensure_one()
        field = "organization_id" if self.is_company else "partner_id"
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_training_action"
        )
        action.update(
            {
                "name": self.env._("Trainings attended: %(name)s", name=self.display_name),
                "domain": [
                    ("registration_ids", "any", [(field, "=", self.id), ("state", "=", "attended")])
                ],
                "context": {"active_test": False},
                "view_mode": "list,kanban,form",
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
            }
        )
        return action

    # ------------------------------------------------------------------
    # Mail campaigns: the opt-out from the network's invitations.
    # Odoo's mass mailing keeps opt-outs for mailing-list contacts only; persons
    # (res.partner) get their own, respected by every mailing on contacts through
    # the mass-mailing hook _mailing_get_opt_out_list below. The opt-out is no state of
    # its own: it is read from the person's consent history (kommune.consent), so that
    # an unsubscribe, a later confirmed sign-up and the consents staff record cannot
    # contradict each other.
    # ------------------------------------------------------------------
    invitation_opt_out = fields.Boolean(
        string="No Invitations",
        compute="_compute_invitation_opt_out",
        inverse="_inverse_invitation_opt_out",
        store=True,  # searched by the mailing hook below, through the partial index
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

    # The hook below looks the few opted-out persons up among all partners.
    _invitation_opt_out_index = models.Index("(id) WHERE invitation_opt_out IS TRUE")

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
                super(ResPartner, changed).write({"message_bounce": 0})
        return super().write(vals)

    @api.model
    def _mailing_get_opt_out_list(self, mailing):
        """Mass-mailing hook (see mailing.mailing._get_opt_out_list): the normalized e-mail
        addresses that must not receive ``mailing``. Odoo cancels their traces as opt-out.

        The opt-out follows the address, archived persons included: whoever shares it
        (e.g. a second contact created for the same person) is not mailed either."""
        parent = getattr(super(), "_mailing_get_opt_out_list", None)
        opt_out = set(parent(mailing)) if parent else set()
        opted_out = self.with_context(active_test=False).search_fetch(
            [("invitation_opt_out", "=", True), ("email_normalized", "!=", False)],
            ["email_normalized"],
        )
        opt_out.update(opted_out.mapped("email_normalized"))
        return opt_out

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

    # The personal registration link in invitation mailings: a field, so that mailings
    # reach it with a plain field path. Odoo lets only mail template editors write code
    # into templates (restricted rendering, the default); others may use whitelisted
    # field paths, which Odoo renders without evaluating code. The path is whitelisted
    # for contacts below, so that staff write and edit their campaigns.
    training_invitation_link = fields.Html(
        string="Registration Link",
        compute="_compute_training_invitation_link",
        sanitize=False,  # built here from a URL and a label, both escaped
        groups="mass_mailing.group_mass_mailing_user",
        help="Technical: the personal registration link as invitation mailings render it.",
    )
    TRAINING_INVITATION_LINK_EXPRESSION = "object.training_invitation_link"

    @api.depends_context("kommune_mailing_id", "kommune_preview_mailing_id", "lang")
    def _compute_training_invitation_link(self):
        """The "Register now" button of an invitation mailing, for each person.

        A real send knows the mailing (``kommune_mailing_id``, see mailing.mailing.
        _get_mass_mailing_context): the link is the person's own, signed for them, the
        mailing's training and the mailing. Test mails, "view in browser" and previews
        render for any contact (``kommune_preview_mailing_id``): they link to the staff
        preview of the page, never to somebody's personal link."""
        Mailing = self.env["mailing.mailing"]
        mailing = Mailing.browse(self.env.context.get("kommune_mailing_id")).exists()
        preview = Mailing.browse(self.env.context.get("kommune_preview_mailing_id")).exists()
        label = self.env._("Register now")
        for partner in self:
            if mailing.training_id and partner._origin:
                url = mailing.training_id._get_invitation_url(partner._origin, mailing)
            elif preview.training_id:
                url = preview.training_id._get_invitation_preview_url()
            else:
                partner.training_invitation_link = False
                continue
            partner.training_invitation_link = Markup('<a href="%s" style="%s">%s</a>') % (
                url,
                INVITATION_LINK_STYLE,
                label,
            )

    @api.model
    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + (self.TRAINING_INVITATION_LINK_EXPRESSION,)

    # ==================================================================
    # DATA PROTECTION (DSGVO): consents, who may be invited, subject
    # access, erasure, and the activity that retention rules measure.
    # Each model erases its own part of a person (_kommune_anonymize);
    # the person orchestrates.
    # ==================================================================

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
    kommune_anonymized_date = fields.Datetime(
        string="Anonymised On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="kommune_interkulturell.group_kommune_user",
        help="When the person's data was erased. Their registrations and attendance "
        "remain as anonymous rows for the statistics.",
    )
    kommune_last_activity_date = fields.Datetime(
        string="Last Activity",
        compute="_compute_kommune_last_activity_date",
        groups="kommune_interkulturell.group_kommune_manager",
        help="Latest trace of the person in the network: registration or training, "
        "consent, meeting, message, action item or cooperation contact. Retention rules "
        "count from this date.",
    )

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

    def _compute_kommune_last_activity_date(self):
        activity = self._origin._kommune_get_last_activity()
        for partner in self:
            partner.kommune_last_activity_date = activity.get(partner._origin.id, False)

    # ------------------------------------------------------------------
    # Consents: the domains campaigns and registrations rely on
    # ------------------------------------------------------------------

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

    # ------------------------------------------------------------------
    # Who may be invited: the one rule of every invitation (campaigns,
    # direct invitations, invitations sent again)
    # ------------------------------------------------------------------

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

    def action_kommune_open_consents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_consent_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Subject access (Art. 15 DSGVO) and erasure (Art. 17)
    # ------------------------------------------------------------------

    @api.model
    def _kommune_check_privacy_manager(self):
        # The buttons are hidden from others; this is the guard (RPC, report URLs).
        if not self.env.user.has_group("kommune_interkulturell.group_kommune_manager"):
            raise AccessError(
                self.env._(
                    "Only managers of Kommune Interkulturell may export or erase a person's data."
                )
            )

    def action_kommune_personal_data(self):
        """Open the subject access dialog: what the network holds about the person, as
        JSON download and readable PDF."""
        self.ensure_one()
        self._kommune_check_privacy_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Personal Data of %(person)s", person=self.display_name),
            "res_model": "kommune.personal.data.export",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_kommune_anonymize(self):
        """Open the erasure dialog: it asks for confirmation before anything happens."""
        self._kommune_check_privacy_manager()
        self._kommune_check_anonymizable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Erase Personal Data"),
            "res_model": "kommune.partner.anonymize",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    @api.model
    def _kommune_anonymizable_domain(self):
        """Who an erasure can concern (the manual erasure checks it, the retention rules
        search with it): people, not organisations (their history is the network's and
        they are no data subjects), not users of the database (their partner belongs to
        the user account), not a company's own address, and nobody twice."""
        # sudo: every company's address counts, also of companies the user cannot open;
        # companies are a handful of records.
        companies = self.env["res.company"].sudo().with_context(active_test=False).search([])  # pylint: disable=no-search-all
        return (
            Domain("is_company", "=", False)
            & Domain("user_ids", "=", False)
            & Domain("id", "not in", companies.partner_id.ids)
            & Domain("kommune_anonymized_date", "=", False)
        )

    def _kommune_check_anonymizable(self):
        """Refuse the erasure of anybody _kommune_anonymizable_domain leaves out, saying
        why."""
        partners = self.with_context(active_test=False)
        refused = partners - partners.filtered_domain(self._kommune_anonymizable_domain())
        for partner in refused[:1]:
            if partner.is_company:
                reason = self.env._("%(name)s is an organisation.", name=partner.display_name)
            elif partner.kommune_anonymized_date:
                reason = self.env._("%(name)s is already anonymised.", name=partner.display_name)
            else:
                reason = self.env._(
                    "%(name)s is a user or a company of this database.",
                    name=partner.display_name,
                )
            raise UserError(
                self.env._("This person's data cannot be erased: %(reason)s", reason=reason)
            )

    @api.model
    def _kommune_anonymous_name(self):
        # In the company's language, whoever erases: the data reads the same for all.
        lang = self.env.company.partner_id.lang or self.env.lang
        return self.with_context(lang=lang).env._("Anonymised person")

    def _kommune_anonymize(self, rule=None):
        """Erase the personal data of these persons, irreversibly, and log it.

        The one entry point of erasure: the confirmation dialog and the retention cron
        call it. It starts from Odoo's privacy lookup of each person by name and address
        (privacy.lookup.wizard._kommune_lookup, with what the network adds to it), and
        treats what it finds by kind (see _kommune_get_erasure_labels). What identifies
        the person goes: name, contact data, address, image, notes, tags, the link to
        their organisation, their own chatter, attachments, activities and followers,
        mails waiting for them, their personal links in link trackers, the IP addresses
        of their clicks, the details of their consents; their name and e-mail are
        replaced in the messages, mails and tracking that name them, and what they
        wrote is blanked. What the funders' statistics need stays as anonymous rows:
        registrations (training, topic, organisation with its type and district, dates,
        state), attendance, mailing traces (status, dates, clicks). Consents in force are
        withdrawn and kept as dated evidence; open registrations are cancelled (the
        waitlist moves up). The mail blacklist keeps the address, so an objection stays
        honoured. Records the lookup finds only by the same name or address are left
        alone and listed in the log.

        Runs in every company (sudo after the manager check): a half-erased person is
        worse than none, and nothing is read back to the user but counts.

        :param rule: the ``kommune.retention.rule`` that found them, for the logs
        :return: dict of counts, also written to the network's privacy log; each person
            gets a line in Odoo's privacy log (privacy.log)
        """
        self._kommune_check_privacy_manager()
        self._kommune_check_anonymizable()
        user = rule.approved_user_id if rule else self.env.user
        persons = self.sudo().with_context(active_test=False, tracking_disable=True)
        env = persons.env
        identities = {partner.id: (partner.name, partner.email_normalized) for partner in persons}
        lookup = env["privacy.lookup.wizard"]._kommune_lookup(persons)
        found = defaultdict(set)
        for theirs, _others in lookup.values():
            for model, ids in theirs.items():
                found[model] |= ids

        def records(model):
            return env[model].browse(sorted(found.get(model, ()))).exists()

        # The lookup finds these through their contact; the relations say the same, and
        # keep the network's rules when a person has no name to look up.
        registrations = persons.training_registration_ids | records("kommune.training.registration")
        consents = persons.kommune_consent_ids | records("kommune.consent")
        counts = {
            "person_count": len(persons),
            "registration_count": len(registrations),
            "consent_count": consents._kommune_anonymize(),
        }
        registrations._kommune_anonymize()
        env["kommune.cooperation.member"].search([("contact_id", "in", persons.ids)]).write(
            {"contact_id": False}
        )
        done = {}  # (model, id): what was done, where it differs from the kind's rule
        deleted_mails = env["mail.mail"]._kommune_cancel_for(
            persons, records("mail.mail"), list(identities.values())
        )
        counts["mail_count"] = len(deleted_mails)
        done.update(dict.fromkeys([("mail.mail", id_) for id_ in deleted_mails], env._("Deleted")))
        counts["message_count"] = env["mail.message"]._kommune_scrub(
            persons, list(identities.values()), [registrations, consents], records("mail.message")
        )
        done.update(
            self._kommune_anonymize_campaign_traces(
                records("mailing.trace"), records("link.tracker"), records("link.tracker.click")
            )
        )
        records("mailing.contact").unlink()

        # The person's own traces.
        own = Domain("res_model", "=", self._name) & Domain("res_id", "in", persons.ids)
        env["ir.attachment"].search(own).unlink()
        env["mail.activity"].search(own).unlink()
        env["mail.followers"].search([("partner_id", "in", persons.ids)]).unlink()
        env["mail.notification"].search([("res_partner_id", "in", persons.ids)]).write(
            {"mail_email_address": False, "failure_reason": False}
        )
        persons.bank_ids.unlink()
        values = dict.fromkeys(self._kommune_anonymized_fields(), False)
        values.update(
            {
                "name": self._kommune_anonymous_name(),
                "kommune_anonymized_date": fields.Datetime.now(),
                "active": False,
                "parent_id": False,
                "category_id": [Command.clear()],
                "active_district_ids": [Command.clear()],
            }
        )
        persons.write(values)
        # The person's chatter goes completely, the tracking of what was just erased
        # included; registrations and consents keep theirs (messages name their record
        # by its current display name: the new, anonymous one).
        env["mail.message"].search(
            [("model", "=", self._name), ("res_id", "in", persons.ids)]
        ).unlink()
        if rule:
            # An automatic run: the manager who approved the rule authorised it.
            env["kommune.privacy.log"]._log("retention", rule=rule, user=user, **counts)
            note = env._("Retention rule “%(rule)s”", rule=rule.name)
        else:
            env["kommune.privacy.log"]._log(
                "erasure", partner=persons if len(persons) == 1 else None, **counts
            )
            note = env._("Erasure (Art. 17 DSGVO)")
        persons._kommune_log_privacy_lookup(lookup, identities, note, user, done=done)
        return counts

    @api.model
    def _kommune_anonymize_campaign_traces(self, traces, links, clicks):
        """Part of the erasure: the person's mailing traces stay for the statistics of
        their campaigns (status, dates, clicks) without their address; the link
        trackers holding their personal links go, with the clicks on them; the other
        clicks from their mails stay for the link statistics without the visitor's IP
        address.

        :return: ``{(model, id): what was done}`` where it differs from the kind's rule
        """
        with_links = clicks.filtered(lambda click: click.link_id in links)
        (clicks - with_links).write({"ip": False})
        links.unlink()
        traces.write({"email": False, "message_id": False, "failure_reason": False})
        label = self.env._("Deleted with the personal link")
        return dict.fromkeys([(click._name, click.id) for click in with_links], label)

    @api.model
    def _kommune_get_erasure_labels(self):
        """What the erasure does with each kind of record the lookup finds; records of
        other kinds are left as they are (see _kommune_log_privacy_lookup)."""
        anonymised = self.env._("Anonymised, kept for the statistics")
        linked = self.env._("Kept, linked to the anonymous contact")
        return {
            "res.partner": self.env._("Anonymised"),
            "kommune.training.registration": anonymised,
            "kommune.training.attendance": linked,
            "kommune.consent": self.env._("Withdrawn and kept as evidence, details removed"),
            "kommune.cooperation.member": self.env._("Contact person removed"),
            "kommune.cooperation.action.item": linked,
            "kommune.privacy.log": linked,
            "mail.message": self.env._("Cleaned"),
            "mail.mail": self.env._("Cleaned"),
            "mailing.trace": anonymised,
            "link.tracker": self.env._("Deleted"),
            "link.tracker.click": self.env._("IP address removed, kept for the statistics"),
            "mailing.contact": self.env._("Deleted"),
            "mail.blacklist": self.env._("Kept: the blocklist keeps the objection"),
        }

    def _kommune_log_privacy_lookup(self, lookup, identities, note, user, done=None):
        """A line per person in Odoo's privacy log: what the lookup found, what was done
        with it, and what it found only by the same name or address.

        :param lookup: the result of privacy.lookup.wizard._kommune_lookup
        :param identities: ``{partner id: (name, e-mail)}`` as they were
        :param str note: the operation (erasure, retention rule, subject access)
        :param user: who did it (for a retention run, who approved the rule)
        :param done: ``{(model, id): label}`` where the kind's label does not apply;
            without it, nothing was changed (subject access)
        """
        env = self.env
        models = {}

        def model_name(model):
            if model not in models:
                models[model] = env["ir.model"]._get(model).name
            return models[model]

        def format_ids(ids):
            return ", ".join(f"#{res_id}" for res_id in sorted(ids))

        labels = self._kommune_get_erasure_labels()
        unchanged = env._("Not changed (no erasure rule for these records): check them")
        elsewhere = env._("Not changed, found by the same name or address only: check them")
        values = []
        for partner_id, (found, others) in lookup.items():
            name, email = identities[partner_id]
            description = [
                f"{model_name(model)} ({len(ids)}): {format_ids(ids)}"
                for model, ids in sorted(
                    (model, found.get(model, set()) | others.get(model, set()))
                    for model in found.keys() | others.keys()
                )
                if ids
            ]
            details = []
            if done is not None:
                by_label = defaultdict(list)
                for model, ids in sorted(found.items()):
                    for res_id in ids:
                        label = done.get((model, res_id)) or labels.get(model, unchanged)
                        by_label[label, model].append(res_id)
                for model, ids in sorted(others.items()):
                    if ids:
                        by_label[elsewhere, model].extend(ids)
                details = [
                    f"{label}: {model_name(model)} {format_ids(ids)}"
                    for (label, model), ids in by_label.items()
                ]
            values.append(
                {
                    "anonymized_name": name or "",
                    "anonymized_email": email or "",
                    "user_id": user.id,
                    "records_description": "\n".join(description),
                    "execution_details": "\n".join(details) or note,
                    "additional_note": note,
                }
            )
        # sudo: Odoo's privacy log is for system administrators; the network's managers
        # write a line through the erasure and the subject access only, checked before.
        return env["privacy.log"].sudo().create(values)

    @api.model
    def _kommune_anonymized_fields(self):
        """Fields of a person the erasure clears: contact data, address, notes and image,
        and the network data that could single them out in a small organisation."""
        names = [
            *("email", "phone", "website", "street", "street2", "zip", "city"),
            *("state_id", "country_id", "function", "title", "comment", "image_1920"),
            *("vat", "ref", "user_id", "lang", "tz"),
            *("network_role", "organization_type_id", "district_id"),
        ]
        return [name for name in names if name in self._fields]

    def _kommune_get_personal_data(self, lookup=None):
        """Everything the network holds about the person, by section: what the subject
        access exports as JSON and prints as PDF.

        :param lookup: see _kommune_get_personal_records
        :return: list of ``(key, title, rows)``; each row a list of
            ``(field name, label, value, display)`` (see _kommune_export_row)
        """
        exported = self._kommune_exported_fields()
        models = self.env["ir.model"]
        data = []
        for key, title, records in self._kommune_get_personal_records(lookup):
            rows = []
            for record in records:
                fnames = exported.get(key) or exported.get(record._name)
                if fnames:
                    rows.append(self._kommune_export_row(record, fnames))
                    continue
                # A record of a kind without a section of its own: what it is.
                kind = models._get(record._name).name
                rows.append(
                    [
                        ("model", self.env._("Kind of Record"), kind, kind),
                        *self._kommune_export_row(record, ["display_name", "create_date"]),
                    ]
                )
            data.append((key, title, rows))
        return data

    def _kommune_get_personal_lookup(self):
        """Odoo's privacy lookup of the person, with what the network adds to it (see
        privacy.lookup.wizard._kommune_lookup).

        :return: ``(found, others)``: ``{model name: set of ids}`` of the records that
            are the person's, and of those found by the same name or address only
        """
        self.ensure_one()
        return self.env["privacy.lookup.wizard"]._kommune_lookup(self)[self.id]

    def _kommune_get_personal_records(self, lookup=None):
        """The records behind the subject access, by section, not yet formatted (the
        export dialog counts them).

        It starts from Odoo's privacy lookup: every record the lookup finds as the
        person's is in a section (what has no section of its own under "Other
        Records"); the network's sections add what the lookup cannot find by name and
        address (meetings and sessions, trainings led, messages on their records).

        Read with the current user's rights (a manager), in all of their companies.

        :param lookup: the person's ``(found, others)`` of _kommune_get_personal_lookup,
            looked up when not given
        :return: list of ``(key, title, records)``; records is a recordset, or a list
            of records of different models (``other_records``)
        """
        self.ensure_one()
        self._kommune_check_privacy_manager()
        person = self.with_context(
            active_test=False, allowed_company_ids=self.env.user.company_ids.ids
        )
        env = person.env
        found, _others = lookup or person._kommune_get_personal_lookup()

        def looked_up(model):
            # What the lookup found, as far as the user may read it.
            records = env[model].browse(sorted(found.get(model, ()))).exists()
            return records._filtered_access("read")

        registrations = person.training_registration_ids | looked_up(
            "kommune.training.registration"
        )
        consents = person.kommune_consent_ids | looked_up("kommune.consent")
        Message = env["mail.message"]
        emails = {person.email_normalized} - {False}
        written = looked_up("mail.message").filtered(
            lambda message: (
                message.author_id == person
                or emails & set(email_normalize_all(message.email_from or ""))
            )
        )
        messages = (
            Message.search(Message._kommune_domain_about(person, [registrations, consents]))
            | written
        ).sorted("date")
        sections = [
            ("person", env._("Person"), person),
            ("consents", env._("Consents"), consents),
            ("training_registrations", env._("Training Registrations"), registrations),
            (
                "training_attendance",
                env._("Attendance"),
                registrations.attendance_ids | looked_up("kommune.training.attendance"),
            ),
            (
                "trainings_as_trainer",
                env._("Trainings Led"),
                env["kommune.training"].search([("trainer_ids", "in", person.ids)]),
            ),
            (
                "cooperation_contacts",
                env._("Contact Person in Cooperations"),
                env["kommune.cooperation.member"].search([("contact_id", "in", person.ids)])
                | looked_up("kommune.cooperation.member"),
            ),
            (
                "action_items",
                env._("Action Items"),
                env["kommune.cooperation.action.item"].search([("partner_id", "in", person.ids)])
                | looked_up("kommune.cooperation.action.item"),
            ),
            (
                "meetings",
                env._("Meetings and Sessions"),
                env["calendar.event"].search([("partner_ids", "in", person.ids)], order="start"),
            ),
            ("messages", env._("Messages and Notes"), messages),
            (
                "mentions",
                env._("Named in Messages"),
                (looked_up("mail.message") - messages).sorted("date"),
            ),
            (
                "mail_delivery",
                env._("Mails to the Person"),
                env["mail.notification"].search([("res_partner_id", "in", person.ids)]),
            ),
            (
                "mails",
                env._("Mails Waiting or Kept"),
                # sudo: mails are technical records (system administrators only); the
                # lookup found these for the person, a manager exports them.
                env["mail.mail"].sudo().browse(sorted(found.get("mail.mail", ()))).exists(),
            ),
            (
                "mailing_traces",
                env._("Mailing Traces"),
                env["mailing.trace"].search(
                    [("model", "=", self._name), ("res_id", "in", person.ids)]
                )
                | looked_up("mailing.trace"),
            ),
            (
                "personal_links",
                env._("Personal Links in Link Trackers"),
                looked_up("link.tracker"),
            ),
            ("link_clicks", env._("Clicks on Links"), looked_up("link.tracker.click")),
        ]
        listed = {records._name for _key, _title, records in sections}
        sections.append(
            (
                "other_records",
                env._("Other Records"),
                person._kommune_get_other_records(found, listed),
            )
        )
        return sections

    def _kommune_get_other_records(self, found, listed):
        """The records the lookup found for the person that have no section of their
        own, in the user's companies.

        :param found: ``{model name: set of ids}``
        :param listed: the models that have a section
        :return: list of records
        """
        company_ids = set(self.env.user.company_ids.ids)
        records = []
        for model in sorted(found.keys() - listed):
            # sudo: some kinds are readable by administrators only (e.g. mail filters);
            # the lookup found these as the person's, a manager lists them by name and
            # date, in their companies.
            for record in self.env[model].sudo().browse(sorted(found[model])).exists():
                company = record["company_id"] if "company_id" in record._fields else None
                if not company or company.id in company_ids:
                    records.append(record)
        return records

    @api.model
    def _kommune_exported_fields(self):
        """What the subject access exports of each kind of record, by section key or
        model."""
        return {
            "res.partner": [
                fname
                for fname in (
                    *("name", "title", "function", "parent_id", "email", "phone", "website"),
                    *("street", "street2", "zip", "city", "country_id", "lang", "category_id"),
                    *("comment", "network_role", "organization_type_id", "district_id"),
                    *("active_district_ids", "is_blacklisted", "create_date"),
                    "kommune_anonymized_date",
                )
                if fname in self._fields
            ],
            "kommune.consent": [
                *("purpose_id", "legal_basis", "date_given", "channel", "date_withdrawn"),
                *("state", "company_id", "note"),
            ],
            "kommune.training.registration": [
                *("training_id", "topic_id", "training_date_begin", "organization_id"),
                *("state", "source", "date_registered", "consent", "consent_date"),
                *("attended_session_count", "attended_hours", "note", "company_id"),
            ],
            "kommune.training.attendance": ["training_id", "session_id", "present"],
            "kommune.training": ["name", "topic_id", "date_begin", "date_end", "company_id"],
            "kommune.cooperation.member": [
                *("cooperation_id", "partner_id", "role", "stage_id", "company_id"),
            ],
            "kommune.cooperation.action.item": [
                *("name", "cooperation_id", "event_id", "date_deadline", "is_done"),
            ],
            "calendar.event": ["name", "start", "stop", "location", "cooperation_id", "res_model"],
            "mail.message": [
                *("date", "record_name", "message_type", "subject", "body", "author_id"),
                "email_from",
            ],
            "mail.notification": [
                *("mail_message_id", "notification_type", "notification_status", "failure_type"),
            ],
            "mailing.trace": [
                *("mass_mailing_id", "email", "trace_status", "sent_datetime", "open_datetime"),
                *("links_click_datetime", "reply_datetime", "failure_type"),
            ],
            "mentions": ["date", "record_name", "message_type"],
            "mail.mail": ["date", "subject", "email_to", "state"],
            "link.tracker": ["url", "create_date", "mass_mailing_id", "count"],
            "link.tracker.click": ["create_date", "link_id", "ip", "country_id", "mass_mailing_id"],
        }

    @api.model
    def _kommune_export_row(self, record, fnames):
        """One record as ``[(field name, label, value, display)]``: labels in the user's
        language, values ready for JSON, display texts for the PDF. The building block
        of every section of the export."""
        return [
            (
                fname,
                record._fields[fname]._description_string(self.env),
                self._kommune_export_value(record, fname),
                self._kommune_export_display(record, fname),
            )
            for fname in fnames
            if fname in record._fields
        ]

    @api.model
    def _kommune_export_display(self, record, fname):
        field = record._fields[fname]
        value = record[fname]
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if not value and field.type not in ("integer", "float", "monetary"):
            return "–"
        if field.type == "datetime":
            return format_datetime(self.env, value, tz=self.env.user.tz, dt_format="short")
        if field.type == "date":
            return format_date(self.env, value)
        if field.type in ("one2many", "many2many"):
            return ", ".join(value.mapped("display_name"))
        return str(self._kommune_export_value(record, fname))

    @api.model
    def _kommune_export_value(self, record, fname):
        field = record._fields[fname]
        value = record[fname]
        if field.type == "many2one":
            return value.display_name or None
        if field.type in ("one2many", "many2many"):
            return value.mapped("display_name")
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value) if value else None
        if field.type in ("date", "datetime"):
            return value.isoformat() if value else None
        if field.type == "html":
            return None if is_html_empty(value) else html2plaintext(value)
        if field.type in ("boolean", "integer", "float", "monetary"):
            return value
        return value or None

    # ------------------------------------------------------------------
    # Retention: the person's last activity
    # ------------------------------------------------------------------

    def _kommune_get_last_activity(self):
        """The latest activity of each person, by id: their creation, registrations (the
        registration and the end of the training), consents given or withdrawn, meetings
        and sessions that took place, messages they wrote and the dialogue with their
        organisation, action items, cooperations they are the contact person of,
        trainings they led.

        Read in every company (sudo): a rule of one company must never erase somebody
        another company still works with. Only dates are read."""
        persons = self.sudo().with_context(active_test=False)
        ids = set(persons.ids)
        if not ids:
            return {}
        env = persons.env
        dates = defaultdict(list)
        for person in persons:
            dates[person.id] += [person.create_date, person.date_last_contact]

        def collect(model, domain, groupby, *aggregates):
            for partners, *values in env[model]._read_group(domain, [groupby], aggregates):
                for partner_id in set(partners.ids) & ids:
                    dates[partner_id].extend(values)

        person_ids = list(ids)
        now = fields.Datetime.now()
        Registration = env["kommune.training.registration"]
        registration_domain = [("partner_id", "in", person_ids)]
        collect(Registration._name, registration_domain, "partner_id", "date_registered:max")
        for partner, training in Registration._read_group(
            registration_domain, ["partner_id", "training_id"]
        ):
            dates[partner.id].append(training.date_end)
        consent_domain = [("partner_id", "in", person_ids)]
        collect(
            "kommune.consent", consent_domain, "partner_id", "date_given:max", "date_withdrawn:max"
        )
        collect(
            "calendar.event",
            [("partner_ids", "in", person_ids), ("start", "<=", now)],
            "partner_ids",
            "start:max",
        )
        collect("mail.message", [("author_id", "in", person_ids)], "author_id", "date:max")
        collect(
            "kommune.cooperation.action.item",
            [("partner_id", "in", person_ids)],
            "partner_id",
            "date_deadline:max",
        )
        member_domain = [("contact_id", "in", person_ids)]
        collect(
            "kommune.cooperation.member",
            member_domain,
            "contact_id",
            "date_last_contact:max",
            "write_date:max",
        )
        for training in env["kommune.training"].search([("trainer_ids", "in", person_ids)]):
            for trainer_id in set(training.trainer_ids.ids) & ids:
                dates[trainer_id].append(training.date_end or training.create_date)
        return {
            partner_id: max(fields.Datetime.to_datetime(value) for value in values if value)
            for partner_id, values in dates.items()
            if any(values)
        }
