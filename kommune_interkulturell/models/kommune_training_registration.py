import base64
import re
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang

from .kommune_consent_purpose import PURPOSE_TRAINING
from .kommune_participant_questionnaire import QUESTIONNAIRE_STATES, SELF_FILL_STATES

REGISTRATION_STATES = [
    ("invited", "Invited"),
    ("registered", "Registered"),
    ("confirmed", "Confirmed"),
    ("attended", "Attended"),
    ("absent", "Absent"),
    ("waitlist", "Waitlist"),
    ("cancelled", "Cancelled"),
]

# States that hold one of the training's seats. Attended and absent people keep theirs:
# the count of a finished training still shows how full it was.
SEAT_STATES = ("confirmed", "attended", "absent")

# States of a registration that still waits for the training to take place.
OPEN_STATES = ("invited", "registered", "confirmed", "waitlist")

REGISTRATION_SOURCES = [
    ("manual", "Manual"),
    ("invitation", "Invitation"),
    ("web", "Web form"),
]


class KommuneTrainingRegistration(models.Model):
    """A person's registration for a training, from the invitation to the certificate.

    Invited → Registered → Confirmed → Attended / Absent, or Waitlist and Cancelled.
    Confirming takes a seat under the training's row lock or puts the registration on the
    waitlist; cancelling a seat moves the first waiting person up."""

    _name = "kommune.training.registration"
    _inherit = ["mail.thread"]
    _description = "Training Registration"
    _order = "training_id, date_registered, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    training_id = fields.Many2one(
        "kommune.training",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="training_id.company_id", store=True, index=True)
    # restrict: a registration is history (certificates, statistics); archive the
    # person instead of deleting them.
    partner_id = fields.Many2one(
        "res.partner",
        string="Participant",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', False)]",
    )
    organization_id = fields.Many2one(
        "res.partner",
        string="Organisation",
        compute="_compute_organization_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        domain="[('is_company', '=', True)]",
        help="The organisation the person takes part for; defaults to their company.",
    )
    email = fields.Char(related="partner_id.email")
    phone = fields.Char(related="partner_id.phone")
    lang = fields.Selection(related="partner_id.lang", string="Language")
    state = fields.Selection(
        REGISTRATION_STATES,
        string="Status",
        default="registered",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand=True,
    )
    source = fields.Selection(
        REGISTRATION_SOURCES,
        default="manual",
        required=True,
        help="How the person came to register.",
    )
    date_registered = fields.Datetime(
        string="Registration Date", default=fields.Datetime.now, required=True, copy=False
    )
    date_waitlist = fields.Datetime(
        string="On Waitlist Since",
        readonly=True,
        copy=False,
        help="Waiting people move up in this order when a seat becomes free.",
    )
    # The tick is the registration's view of the person's consent record for the
    # purpose "training administration" (kommune.consent): ticking it records the
    # consent, unticking it records the withdrawal, and a person whose consent is in
    # force is ticked on every new registration.
    consent = fields.Boolean(
        string="Consent to Data Processing",
        compute="_compute_consent",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        copy=False,
        help="The person agreed that the network processes their data for trainings "
        "(participant list, attendance, certificate). Required before confirmation. "
        "Ticking it records their consent, unticking it records its withdrawal.",
    )
    consent_date = fields.Datetime(
        compute="_compute_consent_date",
        store=True,
        readonly=False,
        precompute=True,  # the row is inserted with its date (CHECK constraint below)
        copy=False,
    )
    consent_id = fields.Many2one(
        "kommune.consent",
        string="Consent Record",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        help="The person's consent to the processing of their data for trainings that "
        "covers this registration.",
    )
    # Sensitive: staff write here what a participant needs (child care, accessibility,
    # health), often special categories of data (Art. 9 DSGVO).
    note = fields.Text(
        string="Notes",
        groups="kommune_interkulturell.group_kommune_sensitive",
        help="What the participant needs or asked for. Visible to staff with access to "
        "sensitive data only.",
    )
    reminder_sent_date = fields.Datetime(string="Reminder Sent", readonly=True, copy=False)
    thanks_sent_date = fields.Datetime(string="Thank-you Sent", readonly=True, copy=False)

    # Attendance
    attendance_ids = fields.One2many("kommune.training.attendance", "registration_id")
    attended_session_count = fields.Integer(
        string="Sessions Attended", compute="_compute_attendance", store=True
    )
    attendance_rate = fields.Float(
        string="Attendance (%)",
        compute="_compute_attendance",
        store=True,
        aggregator="avg",
        help="Share of the training's sessions the person attended.",
    )
    attended_hours = fields.Float(
        string="Hours Attended", compute="_compute_attendance", store=True
    )

    # Reporting: stored so that pivot and graph group by them
    topic_id = fields.Many2one(related="training_id.topic_id", store=True)
    district_id = fields.Many2one(
        related="training_id.district_id", store=True, string="Training District"
    )
    training_date_begin = fields.Datetime(
        related="training_id.date_begin", store=True, string="Training Start"
    )
    organization_type_id = fields.Many2one(
        related="organization_id.organization_type_id", store=True
    )
    organization_category = fields.Selection(
        related="organization_id.organization_category", store=True
    )
    organization_district_id = fields.Many2one(
        related="organization_id.district_id", store=True, string="Organisation District"
    )

    # Funder reporting
    questionnaire_state = fields.Selection(
        QUESTIONNAIRE_STATES,
        string="Questionnaire",
        compute="_compute_questionnaire_state",
        help="The participant questionnaire of the person for the funding period of the "
        "training: missing, incomplete or complete.",
    )
    questionnaire_self_fill_state = fields.Selection(
        SELF_FILL_STATES,
        string="Questionnaire Link",
        compute="_compute_questionnaire_state",
        help="Whether the person received their personal link to the questionnaire, "
        "filled it in (staff should check it) or staff checked it.",
    )

    _partner_training_unique = models.UniqueIndex(
        "(training_id, partner_id)",
        "This person is already registered for this training.",
    )
    _consent_dated = models.Constraint(
        "CHECK (consent IS NOT TRUE OR consent_date IS NOT NULL)",
        "A consent to data processing needs the date it was given.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_questionnaire_state(self):
        info = self.env["kommune.participant.questionnaire"]._get_registration_info(self)
        for registration in self:
            state, questionnaire, _period = info.get(registration.id, ("no_period", None, None))
            registration.questionnaire_state = state
            registration.questionnaire_self_fill_state = (
                questionnaire.self_fill_state if questionnaire else False
            )

    @api.depends("partner_id")
    def _compute_organization_id(self):
        for registration in self:
            parent = registration.partner_id.parent_id
            registration.organization_id = parent if parent.is_company else False

    # training_id rather than company_id: the related company is not precomputed, and
    # the tick must be known when the row is inserted (CHECK constraint below).
    @api.depends("partner_id", "training_id")
    def _compute_consent(self):
        in_force = self._get_training_consents_in_force()
        for registration in self:
            registration.consent = registration._consent_key() in in_force

    @api.depends("consent")
    def _compute_consent_date(self):
        in_force = self._get_training_consents_in_force()
        for registration in self:
            if not registration.consent:
                registration.consent_date = False
            elif not registration.consent_date:
                consent = in_force.get(registration._consent_key())
                registration.consent_date = consent.date_given if consent else fields.Datetime.now()

    @api.depends(
        "attendance_ids.present",
        "attendance_ids.session_id.active",
        "attendance_ids.session_id.duration",
        "training_id.session_count",
    )
    def _compute_attendance(self):
        for registration in self:
            attended = registration.attendance_ids.filtered(
                lambda attendance: attendance.present and attendance.session_id.active
            )
            total = registration.training_id.session_count
            registration.attended_session_count = len(attended)
            registration.attendance_rate = 100.0 * len(attended) / total if total else 0.0
            registration.attended_hours = sum(attended.session_id.mapped("duration"))

    @api.depends("partner_id", "training_id")
    def _compute_display_name(self):
        for registration in self:
            registration.display_name = (
                f"{registration.partner_id.name or ''} – {registration.training_id.name or ''}"
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("partner_id")
    def _check_partner_is_person(self):
        for registration in self:
            if registration.partner_id.is_company:
                raise ValidationError(
                    self.env._(
                        "%(organization)s is an organisation: register one of its people.",
                        organization=registration.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        registrations = super().create(vals_list)
        registrations._sync_training_consent()
        registrations.training_id._sync_participants()
        return registrations

    def write(self, vals):
        if "state" in vals and vals["state"] == "waitlist":
            vals.setdefault("date_waitlist", fields.Datetime.now())
        withdrawn = self.browse()
        if "consent" in vals and not vals["consent"]:
            withdrawn = self.filtered("consent")
        res = super().write(vals)
        if withdrawn and not self.env.context.get("kommune_consent_withdrawn"):
            # Unticked by hand: the person withdrew their consent (dated, kept).
            withdrawn.consent_id.action_withdraw()
        if vals.keys() & {"consent", "partner_id", "training_id"}:
            self._sync_training_consent()
        if "state" in vals or "partner_id" in vals:
            self.training_id._sync_participants()
        return res

    def unlink(self):
        freed = self.filtered(lambda registration: registration.state in SEAT_STATES).training_id
        res = super().unlink()
        freed.exists()._promote_waitlist()
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_register(self):
        """The invited person said yes (or a cancelled one came back)."""
        self.filtered(lambda r: r.state in ("invited", "cancelled")).write({"state": "registered"})

    def action_confirm(self):
        """Confirm the seats, or put the registrations on the waitlist when full."""
        self._check_can_confirm()
        self.filtered(lambda r: r.state in ("invited", "registered", "waitlist"))._take_seat()

    def action_cancel(self):
        freed = self.filtered(lambda registration: registration.state in SEAT_STATES).training_id
        self.write({"state": "cancelled"})
        freed._promote_waitlist()

    def action_send_invitation(self):
        """(Re)send the invitation mail to invited people who may still receive it (the
        rule of every invitation, see res.partner._kommune_invitation_conditions), and
        say who did not get it and why."""
        invited = self.filtered(lambda registration: registration.state == "invited")
        refused = {}
        for training, registrations in invited.grouped("training_id").items():
            reasons = registrations.partner_id._kommune_get_invitation_refusals(training.company_id)
            refused.update(
                (registration, reasons[registration.partner_id])
                for registration in registrations
                if registration.partner_id in reasons
            )
        invited.filtered(lambda registration: registration not in refused).with_context(
            # The invitation names no video conference (see kommune.training._get_schedule).
            kommune_schedule_without_online=True
        )._send_training_mail("kommune_interkulturell.mail_template_training_invitation")
        if not refused:
            return True
        labels = self.env["kommune.training.invite.exclusion"]._get_reason_labels()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": self.env._(
                    "The invitation was not sent to: %(people)s.",
                    people="; ".join(
                        f"{registration.partner_id.display_name} ({labels[reason]})"
                        for registration, reason in refused.items()
                    ),
                ),
            },
        }

    def action_send_questionnaire_link(self):
        """Mail the personal questionnaire link to these registrations' people, creating
        their questionnaire for the training's funding period where it is missing.
        Nobody is asked outside a period, below the short-contact hours or again once
        the questionnaire is complete (or filled in and not yet checked); the others who
        may not get the link are named."""
        Questionnaire = self.env["kommune.participant.questionnaire"]
        labels = dict(self._fields["questionnaire_state"]._description_selection(self.env))
        refusals = {}
        questionnaires = {}
        info = Questionnaire._get_registration_info(self)
        for registration in self:
            state, questionnaire, period = info[registration.id]
            if state in ("no_period", "short_contact", "complete"):
                refusals[registration.partner_id] = labels[state]
                continue
            if questionnaire.self_fill_state == "filled":
                refusals[registration.partner_id] = questionnaire._get_to_check_reason()
                continue
            questionnaires.setdefault((registration.partner_id, period), questionnaire)
        # Checked before a questionnaire is created: who is refused gets no new record.
        refused = Questionnaire._get_self_fill_refusal_reasons(list(questionnaires))
        refusals.update((partner, reason) for (partner, _period), reason in refused.items())
        to_send = Questionnaire.concat(
            *(
                questionnaire
                for key, questionnaire in questionnaires.items()
                if questionnaire and key not in refused
            )
        ) | Questionnaire.create(
            [
                {"partner_id": partner.id, "period_id": period.id}
                for (partner, period), questionnaire in questionnaires.items()
                if not questionnaire and (partner, period) not in refused
            ]
        )
        message = self.env._(
            "The questionnaire link was not sent to: %(people)s.",
            people="; ".join(
                f"{partner.display_name} ({reason})" for partner, reason in refusals.items()
            ),
        )
        if not to_send:
            raise UserError(message)
        to_send._send_self_fill_link()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if refusals else "success",
                "sticky": bool(refusals),
                "message": message
                if refusals
                else self.env._(
                    "The questionnaire link was sent to %(count)s people.", count=len(to_send)
                ),
            },
        }

    @api.readonly
    def action_open_training(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kommune.training",
            "res_id": self.training_id.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_can_confirm(self):
        cancelled = self.training_id.filtered("is_cancelled")
        if cancelled:
            raise UserError(
                self.env._(
                    "“%(training)s” has been cancelled: registrations cannot be confirmed.",
                    training=cancelled[0].name,
                )
            )
        without_consent = self.filtered(
            lambda registration: (
                not (
                    registration.consent
                    and registration.consent_date
                    and registration._has_consent_in_force()
                )
            )
        )
        if without_consent:
            raise UserError(
                self.env._(
                    "Confirmation needs the participant's consent to data processing. "
                    "Tick “Consent to Data Processing” first for: %(names)s",
                    names=", ".join(without_consent.partner_id.mapped("name")),
                )
            )

    # ------------------------------------------------------------
    # CONSENT
    # ------------------------------------------------------------

    def _has_consent_in_force(self):
        """The linked consent covers this registration: given (not withdrawn or
        pending), by its participant, to its training's company."""
        self.ensure_one()
        consent = self.consent_id
        return (
            consent.state == "given"
            and consent.partner_id == self.partner_id
            and consent.company_id == self.company_id
        )

    def _consent_key(self):
        return (self.partner_id._origin.id, self.training_id.company_id._origin.id)

    def _get_training_consents_in_force(self):
        """The consents in force for training administration of these registrations'
        people, by (person id, company id)."""
        purpose = self.env["kommune.consent.purpose"]._get_by_code(PURPOSE_TRAINING)
        partners = self.partner_id._origin
        if not purpose or not partners:
            return {}
        consents = self.env["kommune.consent"].search(
            [
                ("partner_id", "in", partners.ids),
                ("purpose_id", "=", purpose.id),
                ("company_id", "in", self.training_id.company_id._origin.ids),
                ("state", "=", "given"),
            ]
        )
        return {(consent.partner_id.id, consent.company_id.id): consent for consent in consents}

    def _sync_training_consent(self):
        """Link each ticked registration to the person's consent in force for training
        administration, recording that consent first when there is none: the tick on a
        registration is how staff (and the registration forms) record it. A consent
        recorded here is dated with the registration's consent date; registrations
        keep their own date when they join a consent recorded earlier."""
        self.filtered(
            lambda registration: (
                registration.consent_id
                and registration.consent_id.partner_id != registration.partner_id
            )
        ).consent_id = False
        ticked = self.filtered(
            lambda registration: registration.consent and not registration._has_consent_in_force()
        )
        purpose = self.env["kommune.consent.purpose"]._get_by_code(PURPOSE_TRAINING)
        if not ticked or not purpose:
            return
        in_force = ticked._get_training_consents_in_force()
        Consent = self.env["kommune.consent"]
        for registration in ticked:
            key = registration._consent_key()
            consent = in_force.get(key)
            if not consent:
                consent = in_force[key] = Consent.create(
                    {
                        "partner_id": registration.partner_id.id,
                        "purpose_id": purpose.id,
                        "legal_basis": purpose.legal_basis,
                        "company_id": registration.company_id.id,
                        "date_given": registration.consent_date or fields.Datetime.now(),
                        "channel": "web" if registration.source == "web" else "form",
                        "registration_id": registration.id,
                    }
                )
            registration.consent_id = consent

    def _take_seat(self, seats_locked=False):
        """Give each registration a seat if its training has one free, else a place on
        the waitlist, in the order of ``self``, under the trainings' row lock.

        :param bool seats_locked: the caller holds the trainings' row lock in this
            transaction already (see kommune.training._lock_seats)
        :return: (confirmed registrations, waitlisted registrations)
        """
        self._check_can_confirm()
        trainings = self.training_id
        if not seats_locked:
            trainings._lock_seats()
        taken = trainings._count_seat_holders()
        confirmed = waitlisted = self.browse()
        for registration in self:
            training = registration.training_id
            if not training.seats_max or taken[training.id] < training.seats_max:
                taken[training.id] += 1
                confirmed |= registration
            else:
                waitlisted |= registration
        confirmed.write({"state": "confirmed"})
        newly_waiting = waitlisted.filtered(lambda registration: registration.state != "waitlist")
        newly_waiting.write({"state": "waitlist"})
        confirmed._notify_confirmation()
        newly_waiting._notify_waitlist()
        return confirmed, waitlisted

    def _update_attendance_state(self):
        """Derive Attended / Absent from the attendance sheets.

        A seat holder has attended once they were present at the configured share of the
        sessions. Once the training is over, the others are absent, but only if attendance
        was taken at all: a training whose sheets nobody filled in leaves its participants
        confirmed rather than marking everyone absent."""
        threshold = self.env["kommune.training"]._get_attendance_threshold()
        now = fields.Datetime.now()
        holders = self.filtered(lambda registration: registration.state in SEAT_STATES)
        taken_trainings = set(
            holders.env["kommune.training.attendance"]._read_group(
                [("training_id", "in", holders.training_id.ids), ("present", "=", True)],
                ["training_id"],
            )
        )
        taken_ids = {training.id for (training,) in taken_trainings}
        by_state = defaultdict(lambda: self.browse())
        for registration in holders:
            training = registration.training_id
            attended = registration.attended_session_count
            if attended and attended * 100 >= threshold * training.session_count:
                state = "attended"
            elif training.date_end and training.date_end < now and training.id in taken_ids:
                state = "absent"
            else:
                state = "confirmed"
            if state != registration.state:
                by_state[state] |= registration
        for state, registrations in by_state.items():
            registrations.write({"state": state})

    # ------------------------------------------------------------
    # DATA PROTECTION
    # ------------------------------------------------------------

    def _kommune_anonymize(self):
        """Part of the erasure of their person: the registration stays as an anonymous
        row for the statistics (training, topic, organisation, its type and district,
        dates, state, attendance); its notes go, and a seat or waitlist place in a
        training that has not ended is given up."""
        still_open = self.filtered(
            lambda registration: (
                registration.state in OPEN_STATES and not registration.training_id.is_finished
            )
        )
        still_open.action_cancel()
        self.write({"note": False})

    # ------------------------------------------------------------
    # CERTIFICATES
    # ------------------------------------------------------------

    def _get_certificate_lang(self):
        """Certificates are German documents (for employers, agencies and funders in
        Berlin) whenever German is installed; otherwise the printing user's language."""
        return self.env["res.lang"]._get_code("de_DE") or self.env.lang

    def _get_certificate_values(self):
        """The certificate's texts, in the language of the environment."""
        self.ensure_one()
        training = self.training_id
        hours = self.attended_hours
        formats = dict(training._fields["format"]._description_selection(self.env))
        company = self.company_id
        today = format_date(self.env, fields.Date.context_today(self), date_format="long")
        signatory = training.signatory_id
        return {
            "format": formats.get(training.format, ""),
            "dates": training._get_date_range(),
            "scope": self.env._(
                "%(attended)s of %(total)s sessions, %(hours)s hours",
                attended=self.attended_session_count,
                total=training.session_count,
                hours=formatLang(self.env, hours, digits=1 if hours % 1 else 0),
            ),
            "place": ", ".join(
                part for part in (training.venue_id.name, training.district_id.name) if part
            ),
            "place_date": f"{company.city}, {today}" if company.city else today,
            "signatory": signatory.name or "",
            "signatory_function": signatory.partner_id.function or "",
        }

    # ------------------------------------------------------------
    # MAILS
    # ------------------------------------------------------------

    def _notify_confirmation(self):
        """Confirmation with every session as .ics for the participant's calendar."""
        return self._send_training_mail(
            "kommune_interkulturell.mail_template_training_confirmation", with_ics=True
        )

    def _notify_waitlist(self):
        return self._send_training_mail("kommune_interkulturell.mail_template_training_waitlist")

    def _notify_promotion(self):
        """A seat became free: the confirmation, opened by a line saying so."""
        return self.with_context(kommune_training_promoted=True)._notify_confirmation()

    def _send_training_mail(self, template_xmlid, with_ics=False):
        """Queue a training mail to each participant, rendered in their language.

        Participants without an e-mail address are skipped; the context key
        ``kommune_training_no_mail`` silences every training mail (imports, data fixes).

        :return: the queued ``mail.mail`` records
        """
        recipients = self.filtered(lambda registration: registration.partner_id.email)
        mails = self.env["mail.mail"]
        if not recipients or self.env.context.get("kommune_training_no_mail"):
            return mails
        # Looked up only when somebody gets the mail (taking a seat asks for the
        # waitlist mail of nobody, say).
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return mails
        for training, registrations in recipients.grouped("training_id").items():
            email_values = {}
            if with_ics and (ics := training._get_sessions_ics()):
                filename = re.sub(r'[\\/:*?"<>|]+', "-", training.name)
                email_values["attachments"] = [(f"{filename}.ics", base64.b64encode(ics))]
            mails |= template.send_mail_batch(registrations.ids, email_values=email_values)
        return mails
