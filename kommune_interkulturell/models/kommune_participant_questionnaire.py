import re
import time
from datetime import UTC, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, consteq, format_date
from odoo.tools.misc import hmac

from .kommune_consent_purpose import PURPOSE_TRAINING

NO_ANSWER = ("no_answer", "No answer")

GENDERS = [("female", "Female"), ("male", "Male"), ("non_binary", "Non-binary"), NO_ANSWER]
EMPLOYMENT_STATUSES = [
    ("unemployed", "Unemployed (not long-term)"),
    ("long_term_unemployed", "Long-term unemployed"),
    ("inactive", "Inactive"),
    ("employed", "Employed, including self-employed"),
    NO_ANSWER,
]
AGE_GROUPS = [
    ("under_18", "Under 18"),
    ("18_29", "18 to 29"),
    ("30_54", "30 to 54"),
    ("55_plus", "55 and over"),
    NO_ANSWER,
]
EDUCATION_LEVELS = [
    ("isced_0_2", "ISCED 0–2 (up to lower secondary)"),
    ("isced_3_4", "ISCED 3–4 (upper secondary, post-secondary)"),
    ("isced_5_8", "ISCED 5–8 (tertiary)"),
    NO_ANSWER,
]
YES_NO = [("yes", "Yes"), ("no", "No"), NO_ANSWER]

# The answers of Annex I, in the order of the paper form (and of the funder's
# participant list).
ANNEX_ANSWERS = (
    "gender",
    "age_group",
    "employment_status",
    "education",
    "third_country_national",
    "foreign_background",
)
# What a complete questionnaire answers ("no answer" is an answer). The special
# categories are voluntary and never make a questionnaire incomplete.
REQUIRED_ANSWERS = ("first_name", "last_name", "zip", *ANNEX_ANSWERS)
SPECIAL_CATEGORIES = ("disability", "minority")
QUESTIONNAIRE_STATES = [
    ("no_period", "No funding period"),
    ("short_contact", "Short contact: none needed"),
    ("missing", "Missing"),
    ("incomplete", "Incomplete"),
    ("complete", "Complete"),
]
REPORTING_GROUP = "kommune_interkulturell.group_kommune_reporting"
SHORT_CONTACT_HOURS_PARAM = "kommune_interkulturell.short_contact_hours"
DEFAULT_SHORT_CONTACT_HOURS = 8.0
# Sessions are dated, and periods and quarters cut, in the project's time zone.
REPORTING_TZ = "Europe/Berlin"

# The participant's personal link to fill the questionnaire in themselves:
# "<questionnaire id>-<expiry>-<hmac>", keyed with the database secret over the
# questionnaire, its person and the expiry stored when the link was sent, so that it can
# be neither forged, nor moved to another questionnaire, nor prolonged. Sending a new
# link (or erasing the person) replaces the expiry and with it every older link.
SELF_FILL_STATES = [
    ("sent", "Link Sent"),
    ("filled", "Filled in by Participant"),
    ("checked", "Checked by Staff"),
]
SELF_FILL_DAYS_PARAM = "kommune_interkulturell.questionnaire_link_days"
DEFAULT_SELF_FILL_DAYS = 14
SELF_FILL_TOKEN_SCOPE = "kommune_interkulturell-questionnaire-self-fill"
SELF_FILL_TOKEN_RE = re.compile(r"([1-9][0-9]{0,17})-([1-9][0-9]{0,11})-([0-9a-f]{64})")
SELF_FILL_TEMPLATE_XMLID = "kommune_interkulturell.mail_template_questionnaire_link"
# Written only by this model's own methods (as superuser): whoever could set an expiry
# would prolong, revive or end a person's link outside the checks of sending it.
SELF_FILL_FIELDS = frozenset({"self_fill_state", "self_fill_expiry"})


def reporting_day(moment):
    """The day in Berlin of a stored (naive UTC) moment, as the periods are cut."""
    return moment and pytz.utc.localize(moment).astimezone(pytz.timezone(REPORTING_TZ)).date()


class KommuneParticipantQuestionnaire(models.Model):
    """The participant questionnaire (Teilnahmefragebogen) of ESF Plus: one per person
    and funding period, answers as of the person's entry into the project (Regulation
    (EU) 2021/1057, Annex I). Staff fill it in from the paper form, or
    the person through a time-limited personal link; staff check and correct it then.

    Only what the funder asks for, each question with "no answer". Disability and
    minority are special categories (Art. 9 DSGVO): they need the person's own explicit
    consent and only the Reporting group reads or writes them. First name, last name and
    postcode serve the funder's duplicate check only; the pseudonymised export never
    contains them."""

    _name = "kommune.participant.questionnaire"
    _inherit = ["mail.thread"]
    _description = "Participant Questionnaire"
    _order = "period_id desc, last_name, first_name, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Participant",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        domain="[('is_company', '=', False)]",
    )
    period_id = fields.Many2one(
        "kommune.funding.period",
        string="Funding Period",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="period_id.company_id", store=True, index=True)
    date_entry = fields.Date(
        string="Entry Date",
        default=fields.Date.context_today,
        help="The day the person entered the project in this period: the answers refer to it.",
    )

    # Duplicate check of the funder
    first_name = fields.Char(help="As on the questionnaire; for the duplicate check only.")
    last_name = fields.Char(help="As on the questionnaire; for the duplicate check only.")
    zip = fields.Char(
        string="Postcode", help="Postcode of the residence; for the duplicate check only."
    )

    # Annex I
    gender = fields.Selection(GENDERS)
    employment_status = fields.Selection(
        EMPLOYMENT_STATUSES,
        help="At entry. Long-term unemployed: unemployed for more than 12 months "
        "(more than 6 months under 25).",
    )
    age_group = fields.Selection(AGE_GROUPS, help="Age at entry.")
    education = fields.Selection(
        EDUCATION_LEVELS,
        string="Highest Education",
        help="Highest completed education at entry, by the international ISCED levels.",
    )
    third_country_national = fields.Selection(
        YES_NO, help="Citizen of a country outside the European Union."
    )
    foreign_background = fields.Selection(
        YES_NO,
        string="Migration Background",
        help="The person or at least one parent was born outside Germany.",
    )

    # Special categories (Art. 9 DSGVO)
    special_consent = fields.Boolean(
        string="Consent to Special Categories",
        groups=REPORTING_GROUP,
        help="The person gave their own explicit consent (Art. 9 (2) a DSGVO) to answer the "
        "questions on disability and minority. Without it these stay empty.",
    )
    special_consent_date = fields.Date(string="Consent Given On", groups=REPORTING_GROUP)
    disability = fields.Selection(YES_NO, groups=REPORTING_GROUP)
    minority = fields.Selection(
        YES_NO,
        groups=REPORTING_GROUP,
        help="Member of a minority (including marginalised communities such as the Roma).",
    )

    is_complete = fields.Boolean(
        string="Complete",
        compute="_compute_is_complete",
        store=True,
        help="Every mandatory question is answered (“no answer” counts as an answer).",
    )

    # Self-service through the personal link
    self_fill_state = fields.Selection(
        SELF_FILL_STATES,
        string="Self-Service",
        copy=False,
        readonly=True,
        tracking=True,
        help="Link Sent: the person received a personal link to fill the questionnaire in "
        "themselves. Filled in by Participant: they saved their answers, which staff should "
        "check. Checked by Staff: staff checked (and corrected) them.",
    )
    self_fill_expiry = fields.Datetime(
        string="Link Valid Until",
        copy=False,
        readonly=True,
        help="The personal link works until then. Sending a new link replaces the old one.",
    )

    _partner_period_unique = models.UniqueIndex(
        "(partner_id, period_id)",
        "A person has one questionnaire per funding period.",
    )

    # ------------------------------------------------------------
    # COMPUTE AND CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends("partner_id", "period_id")
    def _compute_display_name(self):
        for questionnaire in self:
            questionnaire.display_name = " – ".join(
                name
                for name in (questionnaire.partner_id.name, questionnaire.period_id.name)
                if name
            )

    @api.depends(*REQUIRED_ANSWERS)
    def _compute_is_complete(self):
        for questionnaire in self:
            questionnaire.is_complete = all(questionnaire[fname] for fname in REQUIRED_ANSWERS)

    @api.constrains("special_consent", *SPECIAL_CATEGORIES)
    def _check_special_consent(self):
        # sudo: the check must hold whoever writes (a plain user cannot read these fields,
        # but a reporting user's answers are checked the same way).
        for questionnaire in self.sudo():
            answered = any(
                questionnaire[fname] and questionnaire[fname] != "no_answer"
                for fname in SPECIAL_CATEGORIES
            )
            if answered and not questionnaire.special_consent:
                raise ValidationError(
                    self.env._(
                        "Disability and minority may be recorded only with the person's own "
                        "explicit consent (Art. 9 DSGVO)."
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Prefill the duplicate-check names from the contact (Odoo keeps one name field);
        # staff correct them from the paper form.
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        for vals in vals_list:
            partner = partners.browse(vals.get("partner_id"))
            if partner and not (vals.get("first_name") or vals.get("last_name")):
                first, _sep, last = (partner.name or "").rpartition(" ")
                vals.update(first_name=first or False, last_name=last or False)
            if partner and not vals.get("zip") and partner.zip:
                vals["zip"] = partner.zip
            self._prepare_special_consent(vals)
            self._check_self_fill_write(vals)
        self._prepare_entry_dates(vals_list)
        return super().create(vals_list)

    @api.model
    def _prepare_entry_dates(self, vals_list):
        """Date the entry of questionnaires created without one (the link sent from the
        registrations) at the person's first session in the period, as the funder's list
        does without a questionnaire: the day the link went out is no entry date. The
        date of a paper form, typed by staff, stays."""
        undated = [
            vals
            for vals in vals_list
            if "date_entry" not in vals and vals.get("partner_id") and vals.get("period_id")
        ]
        if not undated:
            return
        # The reporting view reads the tables: pending attendance must be written first.
        self.env.flush_all()
        first_days = {
            (partner.id, period.id): day
            for partner, period, day in self.env["kommune.reporting.attendance"]._read_group(
                [
                    ("participant_id", "in", [vals["partner_id"] for vals in undated]),
                    ("period_id", "in", [vals["period_id"] for vals in undated]),
                ],
                ["participant_id", "period_id"],
                ["date:min"],
            )
        }
        for vals in undated:
            day = first_days.get((vals["partner_id"], vals["period_id"]))
            if day:
                vals["date_entry"] = day

    def write(self, vals):
        # The answers are the person's as of their entry into that period: moving them to
        # another person or period would report answers nobody gave. Merging contacts
        # moves them in SQL, past this check.
        if {"partner_id", "period_id"} & vals.keys() and any(
            questionnaire.partner_id.id != vals.get("partner_id", questionnaire.partner_id.id)
            or questionnaire.period_id.id != vals.get("period_id", questionnaire.period_id.id)
            for questionnaire in self
        ):
            raise UserError(
                self.env._(
                    "The participant and the funding period of a questionnaire cannot be "
                    "changed: create a questionnaire for the other person or period."
                )
            )
        self._prepare_special_consent(vals)
        self._check_self_fill_write(vals)
        return super().write(vals)

    @api.model
    def _check_self_fill_write(self, vals):
        if SELF_FILL_FIELDS & vals.keys() and not self.env.su:
            raise AccessError(
                self.env._(
                    "The questionnaire link is sent, checked and revoked with its buttons only."
                )
            )

    @api.model
    def _prepare_special_consent(self, vals):
        # The consent is dated when given; withdrawn, the special categories go with it.
        if "special_consent" not in vals:
            return
        if vals["special_consent"]:
            if not vals.get("special_consent_date"):
                vals["special_consent_date"] = fields.Date.context_today(self)
        else:
            vals.update(special_consent_date=False, disability=False, minority=False)

    # ------------------------------------------------------------
    # DATA PROTECTION
    # ------------------------------------------------------------

    def _mail_get_operation_for_mail_message_operation(self, message_operation):
        # Notes and files on a questionnaire (a scanned paper form, a remark on the
        # person's answers) may hold the special categories: only the Reporting group
        # reads them, as those fields. Everybody who may edit the questionnaire still
        # posts (the link sent, for instance).
        operations = super()._mail_get_operation_for_mail_message_operation(message_operation)
        if message_operation == "read" and not self.env.user.has_group(REPORTING_GROUP):
            return dict.fromkeys(operations, None)
        return operations

    def _kommune_anonymize(self):
        """Part of the erasure of their person: the names and postcode go, and the
        special categories with their consent (the row stays linked to the anonymised
        contact, and Art. 9 data needs a person's consent that no longer stands); the
        other answers stay as an anonymous row so that the period's figures do not
        change. Its files (scans of the paper form) are deleted.

        sudo: the special categories are the Reporting group's, but whoever erases the
        person must erase them too."""
        self.write({"first_name": False, "last_name": False, "zip": False})
        self.sudo().write({"special_consent": False, "self_fill_expiry": False})
        # sudo: the files are the Reporting group's, but go with the person's erasure.
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_registration_info(self, registrations):
        """``{registration id: (state, questionnaire, period)}``: the questionnaire state
        of each registration (see QUESTIONNAIRE_STATES), its person's questionnaire for
        the funding period of its training's start (empty when missing) and the period
        (empty when none), in a few queries for any number of registrations."""
        registrations = registrations.filtered("id")
        periods = self.env["kommune.funding.period"].search(
            [("company_id", "in", registrations.company_id.ids)]
        )
        period_of = {}
        for registration in registrations:
            # The Berlin date, as the reporting view cuts the periods.
            day = reporting_day(registration.training_id.date_begin)
            period_of[registration.id] = next(
                (
                    period
                    for period in periods
                    if day
                    and period.company_id == registration.company_id
                    and period.date_start <= day <= period.date_end
                ),
                periods.browse(),
            )
        answered = {
            (questionnaire.partner_id.id, questionnaire.period_id.id): questionnaire
            for questionnaire in self.search(
                [
                    ("partner_id", "in", registrations.partner_id.ids),
                    ("period_id", "in", periods.ids),
                ]
            )
        }
        # Asked once the person reached the short-contact hours in the period, or when
        # the training alone will reach them. sudo: the threshold is a technical setting
        # (ir.config_parameter) that every user's registrations depend on.
        threshold = float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(SHORT_CONTACT_HOURS_PARAM, DEFAULT_SHORT_CONTACT_HOURS)
        )
        attended = self._get_attended_hours(registrations.partner_id, periods)
        states = {}
        for registration in registrations:
            period = period_of[registration.id]
            if not period:
                states[registration.id] = ("no_period", self, period)
                continue
            questionnaire = answered.get((registration.partner_id.id, period.id), self)
            hours = attended.get((registration.partner_id.id, period.id), 0.0)
            # Cancelled and absent people will attend no more than they did.
            planned = (
                registration.training_id.duration_hours
                if registration.state in ("invited", "registered", "confirmed", "waitlist")
                else 0.0
            )
            if hours < threshold and planned < threshold:
                states[registration.id] = ("short_contact", questionnaire, period)
                continue
            state = (
                "complete"
                if questionnaire.is_complete
                else "incomplete"
                if questionnaire
                else "missing"
            )
            states[registration.id] = (state, questionnaire, period)
        return states

    @api.model
    def _get_attended_hours(self, partners, periods):
        """``{(partner id, period id): hours}`` attended by the persons in the periods.

        Read from the attendances of these persons only: the reporting view would sum
        every person's hours of the periods before it could filter on its participant
        and short-contact columns, on every render of a registration list."""
        if not partners or not periods:
            return {}
        self.env.flush_all()
        present = self.env["kommune.reporting.attendance"]._query_present(
            SQL(
                "r.partner_id IN %s AND period.id IN %s",
                tuple(partners.ids),
                tuple(periods.ids),
            )
        )
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, period_id, SUM(hours) FROM (%s) AS present GROUP BY 1, 2",
                present,
            )
        )
        return {
            (partner, period): float(hours) for partner, period, hours in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------
    # SELF-SERVICE: the participant's personal link
    # ------------------------------------------------------------

    def action_send_self_fill_link(self):
        """Mail each person their personal link to the questionnaire. Refused as a whole,
        with the reason for each person, when one of them may not receive it."""
        if refusals := self._get_self_fill_refusals():
            raise UserError(
                self.env._(
                    "The questionnaire link cannot be sent to: %(people)s.",
                    people="; ".join(
                        f"{questionnaire.partner_id.display_name} ({reason})"
                        for questionnaire, reason in refusals.items()
                    ),
                )
            )
        self._send_self_fill_link()
        return True

    def action_mark_self_fill_checked(self):
        """Staff checked (and corrected) the answers the person gave through the link,
        which ends it (see _get_from_self_fill_token)."""
        # sudo: the link's fields are written by these methods only (see SELF_FILL_FIELDS).
        self.filtered(lambda questionnaire: questionnaire.self_fill_state == "filled").sudo().write(
            {"self_fill_state": "checked"}
        )
        return True

    def action_revoke_self_fill_link(self):
        """End the person's link before it expires (sent by mistake, lost, forwarded)."""
        self._revoke_self_fill_link()
        return True

    def _revoke_self_fill_link(self):
        """End the live links of these questionnaires: the signature covers the expiry,
        which goes; a link never used no longer counts as sent."""
        live = self.filtered("self_fill_expiry")
        # sudo: the link's fields are written by these methods only (see SELF_FILL_FIELDS).
        live.filtered(lambda questionnaire: questionnaire.self_fill_state == "sent").sudo().write(
            {"self_fill_state": False}
        )
        live.sudo().write({"self_fill_expiry": False})

    def _get_self_fill_refusals(self):
        """``{questionnaire: reason}`` of the questionnaires whose person may not get the
        link (see _get_self_fill_refusal_reasons), nor a new one while the answers they
        gave through the last one wait for staff's check: a new link would take the
        questionnaire off the list of those to check."""
        reasons = self._get_self_fill_refusal_reasons(
            [(questionnaire.partner_id, questionnaire.period_id) for questionnaire in self]
        )
        for questionnaire in self.filtered(
            lambda questionnaire: questionnaire.self_fill_state == "filled"
        ):
            reasons.setdefault(
                (questionnaire.partner_id, questionnaire.period_id), self._get_to_check_reason()
            )
        return {
            questionnaire: reasons[questionnaire.partner_id, questionnaire.period_id]
            for questionnaire in self
            if (questionnaire.partner_id, questionnaire.period_id) in reasons
        }

    @api.model
    def _get_to_check_reason(self):
        return self.env._("filled in by the person: check the answers first")

    @api.model
    def _get_self_fill_refusal_reasons(self, pairs):
        """``{(person, period): reason}`` of the people who may not get the link to their
        questionnaire of the period (whether it exists yet or not): erased, without an
        e-mail address, without a consent in force to the processing of their training
        data by the period's company (the consent every registration needs), or a short
        contact, who is never asked. In a few queries for any number of people."""
        partners = self.env["res.partner"].concat(*(partner for partner, _period in pairs))
        periods = self.env["kommune.funding.period"].concat(*(period for _partner, period in pairs))
        # sudo: the consents decide here for whoever sends, whatever they may read.
        consents = (
            self.env["kommune.consent"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("purpose_id.code", "=", PURPOSE_TRAINING),
                    ("state", "=", "given"),
                ]
            )
        )
        consented = {(consent.partner_id.id, consent.company_id.id) for consent in consents}
        asked = self._get_asked_in_period(partners, periods.company_id)
        refusals = {}
        for partner, period in pairs:
            if partner.kommune_anonymized_date:
                refusals[partner, period] = self.env._("erased")
            elif not partner.email:
                refusals[partner, period] = self.env._("no e-mail address")
            elif (partner.id, period.company_id.id) not in consented:
                refusals[partner, period] = self.env._("no consent to data processing")
            elif (partner.id, period.id) not in asked:
                refusals[partner, period] = self.env._("short contact: not asked")
        return refusals

    @api.model
    def _get_asked_in_period(self, partners, companies):
        """``{(partner id, period id)}`` of the people who reach the short-contact hours
        in a period of these companies (attended and planned), by the same rule as the
        questionnaire state of their registrations."""
        registrations = self.env["kommune.training.registration"].search(
            [("partner_id", "in", partners.ids), ("company_id", "in", companies.ids)]
        )
        info = self._get_registration_info(registrations)
        return {
            (registration.partner_id.id, info[registration.id][2].id)
            for registration in registrations
            if info[registration.id][0] not in ("short_contact", "no_period")
        }

    def _send_self_fill_link(self):
        """Give each questionnaire a new link (older ones stop working) and queue the mail
        that holds it (deleted once sent). The chatter says that it went out, not the
        link."""
        days = int(
            # sudo: the link's validity is a technical setting every sender applies.
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(SELF_FILL_DAYS_PARAM, DEFAULT_SELF_FILL_DAYS)
        )
        # sudo: the link's fields are written by these methods only (see SELF_FILL_FIELDS).
        self.sudo().write(
            {
                "self_fill_state": "sent",
                "self_fill_expiry": fields.Datetime.now() + timedelta(days=days),
            }
        )
        template = self.env.ref(SELF_FILL_TEMPLATE_XMLID)
        for questionnaire in self:
            # The link reaches the template through the context, here only: bound to the
            # model, the template is open to the composer of every user, which must not
            # be able to produce a link.
            template.with_context(
                kommune_self_fill_url=questionnaire._get_self_fill_url(),
                kommune_self_fill_expiry=questionnaire.self_fill_expiry,
            ).send_mail(questionnaire.id, email_layout_xmlid="mail.mail_notification_light")
            questionnaire.message_post(
                body=self.env._(
                    "Personal link to the questionnaire sent to %(email)s, valid until %(date)s.",
                    email=questionnaire.partner_id.email,
                    date=format_date(self.env, questionnaire.self_fill_expiry),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _get_self_fill_expiry(self):
        self.ensure_one()
        return int(self.self_fill_expiry.replace(tzinfo=UTC).timestamp())

    def _get_self_fill_token(self):
        self.ensure_one()
        expiry = self._get_self_fill_expiry()
        signature = hmac(
            self.env(su=True), SELF_FILL_TOKEN_SCOPE, (self.id, self.partner_id.id, expiry)
        )
        return f"{self.id}-{expiry}-{signature}"

    def _get_self_fill_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/kommune/questionnaire/{self._get_self_fill_token()}"

    @api.model
    def _get_from_self_fill_token(self, token):
        """The questionnaire a personal link stands for, and whether the link ended
        (expired, or used: the person saved the form, or staff checked the answers).

        Anything not signed by this database for the questionnaire's current link
        (malformed, altered, of another questionnaire, replaced by a newer link, of an
        erased person) gives an empty recordset - the same answer for every case, the
        signature compared in constant time.

        :return: ``(questionnaire, expired)``
        """
        match = isinstance(token, str) and SELF_FILL_TOKEN_RE.fullmatch(token)
        if not match:
            return self.browse(), False
        questionnaire_id, expiry = int(match.group(1)), int(match.group(2))
        questionnaire = self.browse(questionnaire_id).exists()
        expected = hmac(
            self.env(su=True),
            SELF_FILL_TOKEN_SCOPE,
            (questionnaire_id, questionnaire.partner_id.id if questionnaire else 0, expiry),
        )
        if (
            not consteq(expected, match.group(3))
            or not questionnaire.self_fill_expiry
            or questionnaire.partner_id.kommune_anonymized_date
            or questionnaire._get_self_fill_expiry() != expiry
        ):
            return self.browse(), False
        # Used once (saved by the person, or checked by staff), the link has ended.
        return questionnaire, expiry < time.time() or questionnaire.self_fill_state != "sent"

    def _self_fill_submit(self, values):
        """Save what the person answered through their link and say in the chatter, as
        the person, which answers they changed - never the special categories, which
        only the Reporting group may know about."""
        self.ensure_one()
        changed = [
            fname
            for fname, value in values.items()
            if fname not in SPECIAL_CATEGORIES
            and fname not in ("special_consent", "special_consent_date")
            and (self[fname] or False) != (value or False)
        ]
        # The note below says it, as the person (tracking would name the public user).
        self.with_context(tracking_disable=True).write(values)
        # sudo: the link's fields are written by these methods only (see SELF_FILL_FIELDS).
        self.sudo().with_context(tracking_disable=True).write({"self_fill_state": "filled"})
        # For the staff who check it: in the organisation's language, not the person's.
        staff = self.with_context(lang=self.company_id.partner_id.lang or "de_DE")
        labels = ", ".join(self._fields[fname]._description_string(staff.env) for fname in changed)
        self.message_post(
            body=staff.env._(
                "Filled in by the participant through their personal link; please check the "
                "answers. Changed: %(fields)s.",
                fields=labels or staff.env._("nothing"),
            ),
            author_id=self.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
