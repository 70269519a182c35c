from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists

from .kommune_participant_questionnaire import (
    AGE_GROUPS,
    DEFAULT_SHORT_CONTACT_HOURS,
    EDUCATION_LEVELS,
    EMPLOYMENT_STATUSES,
    GENDERS,
    REPORTING_GROUP,
    REPORTING_TZ,
    SHORT_CONTACT_HOURS_PARAM,
    YES_NO,
)
from .kommune_training import TARGET_AUDIENCES
from .kommune_training_registration import SEAT_STATES


class KommuneReportingAttendance(models.Model):
    """The funder's figures at their finest grain: one row per person present at a
    session of a funding period, with the breakdowns of the report (SQL view).

    Counting distinct people and organisations (``count_distinct``) keeps every pivot
    cell exact: a person in two trainings of a quarter is one participant. Whoever
    attended fewer hours in the period than the short-contact setting counts only as a
    short contact (``short_contact_id``), never as a participant (``participant_id``),
    and has no questionnaire. Erased persons stay as anonymous rows."""

    _name = "kommune.reporting.attendance"
    _description = "Funder Reporting: Attendance"
    _auto = False
    _order = "date desc, id"

    period_id = fields.Many2one("kommune.funding.period", string="Funding Period", readonly=True)
    quarter = fields.Char(readonly=True, help="Calendar quarter of the session, e.g. 2026-Q1.")
    date = fields.Date(string="Session Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    training_id = fields.Many2one("kommune.training", readonly=True)
    session_id = fields.Many2one("kommune.training.session", readonly=True)
    topic_id = fields.Many2one("kommune.training.topic", readonly=True)
    district_id = fields.Many2one("kommune.district", string="Training District", readonly=True)
    target_audience = fields.Selection(TARGET_AUDIENCES, string="Target Group", readonly=True)
    organization_type_id = fields.Many2one("kommune.organization.type", readonly=True)

    # Measures
    hours = fields.Float(string="Participant Hours", readonly=True, aggregator="sum")
    registration_id = fields.Many2one(
        "kommune.training.registration",
        string="Attendances",
        readonly=True,
        aggregator="count_distinct",
        help="Participations in trainings: a person counts once per training.",
    )
    participant_id = fields.Many2one(
        "res.partner",
        string="Participants",
        readonly=True,
        aggregator="count_distinct",
        help="Distinct persons above the short-contact hours of the period.",
    )
    short_contact_id = fields.Many2one(
        "res.partner",
        string="Short Contacts",
        readonly=True,
        aggregator="count_distinct",
        help="Distinct persons below the short-contact hours of the period: counted "
        "only in this aggregate, never asked for a questionnaire.",
    )
    organization_id = fields.Many2one(
        "res.partner", string="Organisations", readonly=True, aggregator="count_distinct"
    )
    is_short_contact = fields.Boolean(string="Short Contact", readonly=True)

    # Questionnaire (empty: short contact, or not answered yet)
    gender = fields.Selection(GENDERS, readonly=True)
    employment_status = fields.Selection(EMPLOYMENT_STATUSES, readonly=True)
    age_group = fields.Selection(AGE_GROUPS, readonly=True)
    education = fields.Selection(EDUCATION_LEVELS, string="Highest Education", readonly=True)
    third_country_national = fields.Selection(YES_NO, readonly=True)
    foreign_background = fields.Selection(YES_NO, string="Migration Background", readonly=True)
    disability = fields.Selection(YES_NO, readonly=True, groups=REPORTING_GROUP)
    minority = fields.Selection(YES_NO, readonly=True, groups=REPORTING_GROUP)

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )

    def _query(self):
        return SQL(
            """
            WITH threshold AS (
                SELECT COALESCE(
                    (SELECT value FROM ir_config_parameter WHERE key = %(param)s), %(default)s
                )::numeric AS hours
            ), present AS (%(present)s
            ), classified AS (
                SELECT present.*,
                       SUM(present.hours) OVER (PARTITION BY present.period_id, present.partner_id)
                           < (SELECT hours FROM threshold) AS is_short_contact
                  FROM present
            )
            SELECT c.id,
                   c.period_id,
                   to_char(c.date, 'YYYY') || '-Q' || to_char(c.date, 'Q') AS quarter,
                   c.date,
                   c.company_id,
                   c.training_id,
                   c.session_id,
                   c.topic_id,
                   c.district_id,
                   c.target_audience,
                   c.organization_type_id,
                   c.hours,
                   c.registration_id,
                   CASE WHEN c.is_short_contact THEN NULL ELSE c.partner_id END AS participant_id,
                   CASE WHEN c.is_short_contact THEN c.partner_id END AS short_contact_id,
                   c.organization_id,
                   c.is_short_contact,
                   q.gender,
                   q.employment_status,
                   q.age_group,
                   q.education,
                   q.third_country_national,
                   q.foreign_background,
                   q.disability,
                   q.minority
              FROM classified c
              LEFT JOIN kommune_participant_questionnaire q
                ON NOT c.is_short_contact
               AND q.partner_id = c.partner_id
               AND q.period_id = c.period_id
            """,
            param=SHORT_CONTACT_HOURS_PARAM,
            default=str(DEFAULT_SHORT_CONTACT_HOURS),
            present=self._query_present(),
        )

    def _query_present(self, where=None):
        """The attendances of persons present at a session of a funding period, with
        the session's Berlin date and hours; ``where`` narrows them early (e.g. to some
        persons), before any figure is summed over the period."""
        return SQL(
            """
                SELECT a.id,
                       period.id AS period_id,
                       a.company_id,
                       a.training_id,
                       a.session_id,
                       a.registration_id,
                       a.partner_id,
                       r.organization_id,
                       org.organization_type_id,
                       t.topic_id,
                       t.district_id,
                       t.target_audience,
                       (e.start AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS date,
                       EXTRACT(EPOCH FROM e.stop - e.start) / 3600.0 AS hours
                  FROM kommune_training_attendance a
                  JOIN kommune_training_registration r ON r.id = a.registration_id
                  JOIN kommune_training_session s ON s.id = a.session_id
                  JOIN calendar_event e ON e.id = s.calendar_event_id AND e.active
                  JOIN kommune_training t ON t.id = a.training_id
                  LEFT JOIN res_partner org ON org.id = r.organization_id
                  JOIN kommune_funding_period period
                    ON period.company_id = a.company_id
                   AND period.active
                   AND (e.start AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                       BETWEEN period.date_start AND period.date_end
                 WHERE a.present AND r.state IN %(seat_states)s AND %(where)s
            """,
            tz=REPORTING_TZ,
            seat_states=SEAT_STATES,
            where=where or SQL("TRUE"),
        )
