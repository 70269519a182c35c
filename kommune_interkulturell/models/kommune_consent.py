import re
import time
from datetime import UTC, datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import consteq, format_date, format_datetime
from odoo.tools.misc import hmac

from .kommune_consent_purpose import LEGAL_BASES, PURPOSE_INVITATION, PURPOSE_TRAINING

CONSENT_CHANNELS = [
    ("form", "Registration form"),
    ("paper", "Signed paper form"),
    ("mail", "E-mail or letter"),
    ("web", "Web page"),
    ("staff", "Recorded by staff"),
]

CONSENT_STATES = [
    ("pending", "Awaiting Confirmation"),
    ("given", "Given"),
    ("withdrawn", "Withdrawn"),
]

# Written once, then history: a consent is never edited into another one. A new
# decision of the person is a new record (or the withdrawal of this one).
IMMUTABLE_FIELDS = ("partner_id", "purpose_id", "company_id")

# A consent "given" a little in the future is a clock difference, not a typo.
CLOCK_TOLERANCE = timedelta(minutes=5)

# Double opt-in: how long the confirmation link of a sign-up works; unconfirmed
# sign-ups are deleted after that.
CONFIRMATION_DAYS = 7
CONFIRMATION_TOKEN_SCOPE = "kommune_interkulturell-consent-confirmation"
CONFIRMATION_TOKEN_RE = re.compile(r"([1-9][0-9]{0,17})-([1-9][0-9]{0,11})-([0-9a-f]{64})")
CONFIRMATION_TEMPLATE_XMLID = "kommune_interkulturell.mail_template_consent_confirmation"
ALREADY_GIVEN_TEMPLATE_XMLID = "kommune_interkulturell.mail_template_consent_already_given"

# A consent known only by its day (a signed form, a spreadsheet) was given that day in
# Berlin, where the network works: it starts at Berlin midnight, whoever enters it.
CONSENT_DAY_TZ = pytz.timezone("Europe/Berlin")


def consent_day_start(day):
    """The moment (naive UTC, as stored) a consent dated ``day`` counts from."""
    start = CONSENT_DAY_TZ.localize(datetime.combine(day, datetime.min.time()))
    return start.astimezone(pytz.utc).replace(tzinfo=None)


def consent_day(moment):
    """The day in Berlin of a stored (naive UTC) moment."""
    return pytz.utc.localize(moment).astimezone(CONSENT_DAY_TZ).date()


class KommuneConsent(models.Model):
    """A person's consent to one purpose of processing, or the other legal basis the
    network relies on for it (Art. 6 DSGVO), with when and how it was given and when it
    was withdrawn.

    Consents are history: they are never deleted, and withdrawing one dates it and
    keeps it. Giving consent again after a withdrawal records a new consent. At most one
    consent per person, purpose and company is in force at a time."""

    _name = "kommune.consent"
    _inherit = ["mail.thread"]
    _description = "Consent"
    _order = "date_given desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        # A consent is evidence: the person is anonymised, never deleted under it.
        ondelete="restrict",
    )
    purpose_id = fields.Many2one(
        "kommune.consent.purpose",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    purpose_code = fields.Char(related="purpose_id.code")
    legal_basis = fields.Selection(
        LEGAL_BASES,
        compute="_compute_legal_basis",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        help="Art. 6 (1) DSGVO. For a legitimate interest, the withdrawal is the "
        "person's objection (Art. 21).",
    )
    date_given = fields.Datetime(
        string="Given On",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        help="When the person gave their consent (or since when the other legal basis applies).",
    )
    channel = fields.Selection(
        CONSENT_CHANNELS,
        string="Given Through",
        required=True,
        default="form",
        tracking=True,
    )
    date_withdrawn = fields.Datetime(
        string="Withdrawn On",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the person withdrew their consent or objected. From then on the "
        "purpose no longer covers them; the record stays as history.",
    )
    state = fields.Selection(
        CONSENT_STATES,
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The controller (the association or project) the consent was given to.",
    )
    confirmation_pending = fields.Boolean(
        readonly=True,
        copy=False,
        help="Given on a public page and not yet confirmed through the link sent to the "
        "person's address (double opt-in): until then, the consent does not count.",
    )
    signup_created_partner = fields.Boolean(
        string="Contact Created by Sign-Up",
        readonly=True,
        copy=False,
        help="Technical: the person's contact was created by this sign-up and is "
        "deleted with it if the sign-up is never confirmed.",
    )
    registration_id = fields.Many2one(
        "kommune.training.registration",
        string="Given With Registration",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        readonly=True,
        copy=False,
        help="The training registration on which the consent was ticked.",
    )
    note = fields.Text(
        string="Details",
        groups="kommune_interkulturell.group_kommune_sensitive",
        help="Wording the person agreed to, where the signed form is filed, why they "
        "withdrew: visible to staff with access to sensitive data only.",
    )

    _one_in_force = models.UniqueIndex(
        "(partner_id, purpose_id, company_id) WHERE date_withdrawn IS NULL",
        "This person already has a consent in force for this purpose: withdraw it before "
        "recording a new one.",
    )
    _withdrawn_after_given = models.Constraint(
        "CHECK (date_withdrawn IS NULL OR date_withdrawn >= date_given)",
        "A consent cannot be withdrawn before it was given.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("purpose_id")
    def _compute_legal_basis(self):
        for consent in self:
            if not consent.legal_basis or not consent._origin:
                consent.legal_basis = consent.purpose_id.legal_basis or "consent"

    @api.depends("date_withdrawn", "confirmation_pending")
    def _compute_state(self):
        for consent in self:
            if consent.date_withdrawn:
                consent.state = "withdrawn"
            elif consent.confirmation_pending:
                consent.state = "pending"
            else:
                consent.state = "given"

    @api.depends("partner_id", "purpose_id")
    def _compute_display_name(self):
        for consent in self:
            consent.display_name = " – ".join(
                name for name in (consent.purpose_id.name, consent.partner_id.name) if name
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("date_given")
    def _check_date_given(self):
        latest = fields.Datetime.now() + CLOCK_TOLERANCE
        for consent in self:
            if consent.date_given > latest:
                raise ValidationError(
                    self.env._(
                        "The consent of %(person)s cannot be dated in the future: enter the "
                        "day it was actually given.",
                        person=consent.partner_id.display_name,
                    )
                )

    @api.constrains("partner_id", "purpose_id")
    def _check_training_consent_person(self):
        for consent in self:
            if consent.purpose_id.code == PURPOSE_TRAINING and consent.partner_id.is_company:
                raise ValidationError(
                    self.env._(
                        "%(organization)s is an organisation: trainings need the consent of "
                        "the person taking part.",
                        organization=consent.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_not_withdrawn_since(vals_list)
        self._check_invitation_opt_out_taken_back(vals_list)
        self._drop_pending_replaced_by(vals_list)
        # The index of the one consent in force is checked when the row is inserted: a
        # withdrawal earlier in the transaction must be in the database by then.
        self.flush_model(["date_withdrawn"])
        return super().create(vals_list)

    def write(self, vals):
        if changed := [name for name in IMMUTABLE_FIELDS if name in vals]:
            for consent in self:
                if any(consent[name].id != vals[name] for name in changed):
                    raise UserError(
                        self.env._(
                            "A recorded consent keeps its person, purpose and company. "
                            "Withdraw “%(consent)s” and record a new consent instead.",
                            consent=consent.display_name,
                        )
                    )
        if (
            "date_withdrawn" in vals
            and not vals["date_withdrawn"]
            and self.filtered("date_withdrawn")
        ):
            raise UserError(
                self.env._(
                    "A withdrawal cannot be undone: record a new consent if the person "
                    "agrees again."
                )
            )
        if "date_given" in vals:
            self._check_not_withdrawn_since(
                [
                    {
                        "partner_id": consent.partner_id.id,
                        "purpose_id": consent.purpose_id.id,
                        "company_id": consent.company_id.id,
                        "date_given": vals["date_given"],
                        "date_withdrawn": vals.get("date_withdrawn", consent.date_withdrawn),
                    }
                    for consent in self
                ]
            )
        res = super().write(vals)
        if vals.get("date_withdrawn"):
            self._propagate_withdrawal()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        # A sign-up never confirmed is no consent: it is deleted, not kept as evidence.
        if all(consent.state == "pending" for consent in self):
            return
        raise UserError(
            self.env._(
                "Consents are evidence and are never deleted: withdraw the consent instead. "
                "Erasing a person anonymises their consents."
            )
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_withdraw(self):
        """Record the withdrawal (or objection) now. One click: a withdrawal must be as
        easy as giving consent (Art. 7 (3) DSGVO)."""
        self.filtered(lambda consent: consent.state in ("given", "pending")).write(
            {"date_withdrawn": fields.Datetime.now(), "confirmation_pending": False}
        )
        return True

    @api.readonly
    def action_open_registration(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kommune.training.registration",
            "res_id": self.registration_id.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _check_not_withdrawn_since(self, vals_list):
        """A later withdrawal wins: a consent in force cannot be dated before a
        withdrawal of the same purpose, whichever way it is recorded (a form, the paper
        consent wizard, a spreadsheet, code). A signature from before the withdrawal is
        no consent any more; a paper form dated the day of the withdrawal is refused
        too, since a consent known only by its day counts from the start of that day
        (consent_day_start). Checked before the insert, as the opt-out below."""
        now = fields.Datetime.now()
        in_force = [
            (
                vals["partner_id"],
                vals["purpose_id"],
                vals.get("company_id") or self.env.company.id,
                fields.Datetime.to_datetime(vals.get("date_given")) or now,
            )
            for vals in vals_list
            if vals.get("partner_id") and vals.get("purpose_id") and not vals.get("date_withdrawn")
        ]
        if not in_force:
            return
        latest = {
            (partner.id, purpose.id, company.id): withdrawn
            for partner, purpose, company, withdrawn in self._read_group(
                [
                    ("partner_id", "in", [key[0] for key in in_force]),
                    ("purpose_id", "in", [key[1] for key in in_force]),
                    ("company_id", "in", [key[2] for key in in_force]),
                    ("date_withdrawn", "!=", False),
                ],
                ["partner_id", "purpose_id", "company_id"],
                ["date_withdrawn:max"],
            )
        }
        refused = [
            (partner_id, purpose_id, given)
            for partner_id, purpose_id, company_id, given in in_force
            if given < latest.get((partner_id, purpose_id, company_id), datetime.min)
        ]
        if not refused:
            return
        purpose_id, given = refused[0][1:]
        partners = self.env["res.partner"].browse(
            dict.fromkeys(
                partner_id for partner_id, purpose, _given in refused if purpose == purpose_id
            )
        )
        raise ValidationError(
            self.env._(
                "%(names)s withdrew “%(purpose)s” on or after %(date)s: a consent given "
                "before no longer counts. Record only a consent they gave after their "
                "withdrawal.",
                names=", ".join(partners.mapped("display_name")),
                purpose=self.env["kommune.consent.purpose"].browse(purpose_id).name,
                date=format_date(self.env, consent_day(given)),
            )
        )

    @api.model
    def _drop_pending_replaced_by(self, vals_list):
        """A consent awaiting confirmation is no consent, and anybody can ask for one in
        another's name (the public forms): a consent recorded in force for the same
        person, purpose and company takes its place instead of being refused by the
        one consent in force."""
        keys = {
            (vals["partner_id"], vals["purpose_id"], vals.get("company_id") or self.env.company.id)
            for vals in vals_list
            if vals.get("partner_id")
            and vals.get("purpose_id")
            and not vals.get("confirmation_pending")
            and not vals.get("date_withdrawn")
        }
        if not keys:
            return
        # sudo: only unconfirmed requests of these very people are deleted (their
        # deletion is allowed, see _unlink_never); staff may not delete consents.
        pending = (
            self.sudo()
            .search(
                [
                    ("partner_id", "in", [key[0] for key in keys]),
                    ("confirmation_pending", "=", True),
                    ("date_withdrawn", "=", False),
                ]
            )
            .filtered(
                lambda consent: (
                    (
                        consent.partner_id.id,
                        consent.purpose_id.id,
                        consent.company_id.id,
                    )
                    in keys
                )
            )
        )
        pending.unlink()

    @api.model
    def _check_invitation_opt_out_taken_back(self, vals_list):
        """A consent to invitations in force ends the person's opt-out (see
        res.partner._kommune_get_invitation_opt_out_dates). The opt-out was the person's
        own decision: only managers record that they agree again - and the person
        themselves, through the double opt-in, which confirms as superuser once their
        link is checked. And only a consent given after the opt-out: one given before
        was withdrawn by it."""
        Purpose = self.env["kommune.consent.purpose"]
        in_force = [
            vals
            for vals in vals_list
            if vals.get("purpose_id")
            and vals.get("partner_id")
            and not vals.get("date_withdrawn")
            and not vals.get("confirmation_pending")
            and Purpose.browse(vals["purpose_id"]).code == PURPOSE_INVITATION
        ]
        Partner = self.env["res.partner"]
        opted_out = Partner.browse([vals["partner_id"] for vals in in_force]).filtered(
            "invitation_opt_out"
        )
        if not opted_out:
            return
        if not (
            self.env.su or self.env.user.has_group("kommune_interkulturell.group_kommune_manager")
        ):
            raise AccessError(
                self.env._(
                    "%(names)s objected to invitations. Only a manager of Kommune "
                    "Interkulturell records their new consent to invitations; they can "
                    "also sign up again on the network's sign-up page.",
                    names=", ".join(opted_out.mapped("display_name")),
                )
            )
        now = fields.Datetime.now()
        for vals in in_force:
            partner = Partner.browse(vals["partner_id"])
            given = fields.Datetime.to_datetime(vals.get("date_given")) or now
            if partner.invitation_opt_out and given < partner.invitation_opt_out_date:
                raise ValidationError(
                    self.env._(
                        "%(person)s objected to invitations on %(date)s: a consent given "
                        "before cannot take the objection back. Record the consent they "
                        "gave since.",
                        person=partner.display_name,
                        date=format_datetime(self.env, partner.invitation_opt_out_date),
                    )
                )

    def _propagate_withdrawal(self):
        """Registrations covered by a withdrawn training consent lose their consent tick:
        they can no longer be confirmed, and nobody moves up from the waitlist without a
        new consent."""
        training = self.filtered(
            lambda consent: (
                consent.state == "withdrawn" and consent.purpose_code == PURPOSE_TRAINING
            )
        )
        if not training:
            return
        # The questionnaire link was sent under this consent: it ends with it. sudo:
        # whoever records the withdrawal (the person through their link too) ends it.
        self.env["kommune.participant.questionnaire"].sudo().search(
            [
                ("partner_id", "in", training.partner_id.ids),
                ("company_id", "in", training.company_id.ids),
                ("self_fill_expiry", "!=", False),
            ]
        )._revoke_self_fill_link()
        registrations = self.env["kommune.training.registration"].search(
            [("consent_id", "in", training.ids), ("consent", "=", True)]
        )
        registrations.with_context(kommune_consent_withdrawn=True).write({"consent": False})

    def _kommune_anonymize(self):
        """Part of the erasure of their person: consents in force are withdrawn, every
        consent loses its details; the dated records stay as evidence.

        :return: the number of consents withdrawn
        """
        in_force = self.filtered(lambda consent: consent.state in ("given", "pending"))
        in_force.action_withdraw()
        self.write({"note": False})
        return len(in_force)

    # ------------------------------------------------------------
    # DOUBLE OPT-IN
    # ------------------------------------------------------------
    # A consent given on a public page counts once the person confirmed it through a
    # link sent to their address: "<consent id>-<expiry>-<hmac>", keyed with the
    # database secret over the consent, its person and the expiry, so that it can be
    # neither forged, nor moved, nor prolonged.

    def _get_confirmation_expiry(self):
        self.ensure_one()
        # From the sign-up, which date_given is not once confirmed.
        expiry = self.create_date.replace(tzinfo=UTC) + timedelta(days=CONFIRMATION_DAYS)
        return int(expiry.timestamp())

    def _get_confirmation_token(self):
        self.ensure_one()
        expiry = self._get_confirmation_expiry()
        signature = hmac(
            self.env(su=True), CONFIRMATION_TOKEN_SCOPE, (self.id, self.partner_id.id, expiry)
        )
        return f"{self.id}-{expiry}-{signature}"

    def _get_confirmation_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/kommune/subscribe/confirm/{self._get_confirmation_token()}"

    @api.model
    def _get_from_confirmation_token(self, token):
        """The consent a confirmation link stands for, and whether the link expired.

        Anything not signed by this database (malformed, altered, for a consent that was
        deleted or withdrawn since) gives an empty recordset - the same answer for every
        case, the signature compared in constant time.

        :return: ``(consent, expired)``
        """
        match = isinstance(token, str) and CONFIRMATION_TOKEN_RE.fullmatch(token)
        if not match:
            return self.browse(), False
        consent_id, expiry = int(match.group(1)), int(match.group(2))
        consent = self.browse(consent_id).exists()
        expected = hmac(
            self.env(su=True),
            CONFIRMATION_TOKEN_SCOPE,
            (consent_id, consent.partner_id.id if consent else 0, expiry),
        )
        if not consteq(expected, match.group(3)) or not consent or consent.date_withdrawn:
            return self.browse(), False
        if consent._get_confirmation_expiry() != expiry:
            return self.browse(), False
        return consent, consent.state == "pending" and expiry < time.time()

    def _send_confirmation_request(self):
        """Mail the confirmation link to the person (queued, deleted once sent: it holds
        the link)."""
        template = self.env.ref(CONFIRMATION_TEMPLATE_XMLID)
        for consent in self.filtered(lambda consent: consent.state == "pending"):
            template.with_context(
                kommune_confirmation_url=consent._get_confirmation_url()
            ).send_mail(consent.id, email_layout_xmlid="mail.mail_notification_light")

    def _send_already_given_notice(self):
        """Tell the person that they signed up again while their consent is in force
        (queued, deleted once sent): nothing to confirm, nothing changed."""
        template = self.env.ref(ALREADY_GIVEN_TEMPLATE_XMLID)
        for consent in self.filtered(lambda consent: consent.state == "given"):
            template.send_mail(consent.id, email_layout_xmlid="mail.mail_notification_light")

    def _action_confirm(self):
        """The person confirmed through their link: the consent counts from now, and a
        contact created by the sign-up becomes an ordinary, active contact (a contact
        staff archived stays archived)."""
        pending = self.filtered(lambda consent: consent.state == "pending")
        if not pending:
            return False
        pending.write(
            {"confirmation_pending": False, "date_given": fields.Datetime.now(), "channel": "web"}
        )
        for consent in pending:
            partner = consent.partner_id
            if consent.signup_created_partner and not partner.active:
                partner.active = True
            partner.message_post(
                body=self.env._(
                    "Confirmed their consent “%(purpose)s” through the link sent to their "
                    "address (double opt-in).",
                    purpose=consent.purpose_id.name,
                ),
                subtype_xmlid="mail.mt_note",
                author_id=partner.id,
            )
        return True

    @api.autovacuum
    def _gc_unconfirmed(self):
        """Sign-ups never confirmed are deleted once their link expired, with the contact
        they created (data minimisation: nothing of it was ever used)."""
        limit = fields.Datetime.now() - timedelta(days=CONFIRMATION_DAYS, hours=1)
        expired = self.search([("confirmation_pending", "=", True), ("create_date", "<", limit)])
        partners = expired.filtered(
            lambda consent: consent.signup_created_partner and not consent.partner_id.active
        ).partner_id
        expired.unlink()
        partners.filtered(lambda partner: not partner.kommune_consent_ids).unlink()
