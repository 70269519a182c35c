import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

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

# What a complete questionnaire answers ("no answer" is an answer). The special
# categories are voluntary and never make a questionnaire incomplete.
REQUIRED_ANSWERS = (
    "first_name",
    "last_name",
    "zip",
    "gender",
    "employment_status",
    "age_group",
    "education",
    "third_country_national",
    "foreign_background",
)
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


class KommuneParticipantQuestionnaire(models.Model):
    """The participant questionnaire (Teilnahmefragebogen) of ESF Plus: one per person
    and funding period, answers as of the person's entry into the project (Regulation
    (EU) 2021/1057, Annex I). Staff fill it in from the paper form.

    Only what the funder asks for, each question with "no answer". Disability and
    minority are special categories (Art. 9 DSGVO): they need the person's own explicit
    consent and only the Reporting group reads or writes them. First name, last name and
    postcode serve the funder's duplicate check only; the pseudonymised export never
    contains them."""

    _name = "kommune.participant.questionnaire"
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
        return super().create(vals_list)

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
        return super().write(vals)

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

    def _kommune_anonymize(self):
        """Part of the erasure of their person: the names and postcode go, and the
        special categories with their consent (the row stays linked to the anonymised
        contact, and Art. 9 data needs a person's consent that no longer stands); the
        other answers stay as an anonymous row so that the period's figures do not
        change.

        sudo: the special categories are the Reporting group's, but whoever erases the
        person must erase them too."""
        self.write({"first_name": False, "last_name": False, "zip": False})
        self.sudo().write({"special_consent": False})

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_registration_states(self, registrations):
        """The questionnaire state of each registration, as ``{registration id: state}``
        (see QUESTIONNAIRE_STATES): the questionnaire of its person for the funding period
        of its training's start, in a few queries for any number of registrations."""
        registrations = registrations.filtered("id")
        periods = self.env["kommune.funding.period"].search(
            [("company_id", "in", registrations.company_id.ids)]
        )
        period_of = {}
        for registration in registrations:
            start = registration.training_id.date_begin
            # The Berlin date, as the reporting view cuts the periods.
            day = start and pytz.utc.localize(start).astimezone(pytz.timezone(REPORTING_TZ)).date()
            period_of[registration.id] = next(
                (
                    period
                    for period in periods
                    if day
                    and period.company_id == registration.company_id
                    and period.date_start <= day <= period.date_end
                ),
                None,
            )
        answered = {
            (questionnaire.partner_id.id, questionnaire.period_id.id): questionnaire.is_complete
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
                states[registration.id] = "no_period"
                continue
            hours = attended.get((registration.partner_id.id, period.id), 0.0)
            # Cancelled and absent people will attend no more than they did.
            planned = (
                registration.training_id.duration_hours
                if registration.state in ("invited", "registered", "confirmed", "waitlist")
                else 0.0
            )
            if hours < threshold and planned < threshold:
                states[registration.id] = "short_contact"
                continue
            complete = answered.get((registration.partner_id.id, period.id))
            states[registration.id] = (
                "missing" if complete is None else "complete" if complete else "incomplete"
            )
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
