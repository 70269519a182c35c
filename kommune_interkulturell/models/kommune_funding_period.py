from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .kommune_participant_questionnaire import REPORTING_TZ

# The breakdowns of the participants, as columns of kommune.reporting.attendance; the
# special categories only for the Reporting group.
BREAKDOWNS = (
    "gender",
    "employment_status",
    "age_group",
    "education",
    "third_country_national",
    "foreign_background",
    "district_id",
    "topic_id",
    "organization_type_id",
    "target_audience",
)
SPECIAL_BREAKDOWNS = ("disability", "minority")


class KommuneFundingPeriod(models.Model):
    """A funding period of the project (e.g. ESF Plus 2026-2028): every figure reported to
    the funder belongs to one period and one of its calendar quarters.

    Periods of a company never overlap, so that a session, a meeting or a certificate is
    counted in exactly one period."""

    _name = "kommune.funding.period"
    _description = "Funding Period"
    _order = "date_start desc, id"
    _check_company_auto = True

    name = fields.Char(
        required=True, help="How the funder names the period, e.g. ESF Plus 2026–2028."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(string="Start", required=True)
    date_end = fields.Date(string="End", required=True)
    quarter_count = fields.Integer(
        string="Quarters",
        compute="_compute_quarters",
        help="Calendar quarters the period touches; figures are given per quarter.",
    )
    quarter_names = fields.Char(string="Quarter Labels", compute="_compute_quarters")

    # The period's figures (cards of the dashboard), computed in SQL
    participant_count = fields.Integer(
        string="Participants",
        compute="_compute_indicators",
        help="Distinct persons who attended at least the short-contact hours in the period.",
    )
    short_contact_count = fields.Integer(
        string="Short Contacts",
        compute="_compute_indicators",
        help="Distinct persons below the short-contact hours: no questionnaire.",
    )
    attendance_count = fields.Integer(
        string="Attendances",
        compute="_compute_indicators",
        help="Participations in trainings (a person once per training), short contacts included.",
    )
    participant_hours = fields.Float(compute="_compute_indicators")
    certificate_count = fields.Integer(
        string="Certificates",
        compute="_compute_indicators",
        help="Participants who attended enough of a training that ended in the period.",
    )
    mo_count = fields.Integer(
        string="Migrant Organisations Supported",
        compute="_compute_indicators",
        help="Migrant organisations with staff trained in the period or a member of a "
        "cooperation running in it.",
    )
    administration_count = fields.Integer(
        string="District Administrations Supported",
        compute="_compute_indicators",
        help="Administrations with staff trained in the period or a member of a "
        "cooperation running in it.",
    )
    cooperation_count = fields.Integer(
        string="Cooperations",
        compute="_compute_indicators",
        help="Cooperations running in the period.",
    )
    meeting_count = fields.Integer(
        string="Meetings Held",
        compute="_compute_indicators",
        help="Cooperation meetings that took place in the period.",
    )

    _dates_ordered = models.Constraint(
        "CHECK (date_end >= date_start)", "A funding period must end after it starts."
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("date_start", "date_end")
    def _compute_quarters(self):
        for period in self:
            quarters = period._get_quarters()
            period.quarter_count = len(quarters)
            period.quarter_names = ", ".join(label for label, _start, _end in quarters)

    def _compute_indicators(self):
        for period in self:
            figures = period._get_indicators() if period.id else {}
            period.participant_count = figures.get("participants", 0)
            period.short_contact_count = figures.get("short_contacts", 0)
            period.attendance_count = figures.get("attendances", 0)
            period.participant_hours = figures.get("hours", 0.0)
            period.certificate_count = figures.get("certificates", 0)
            period.mo_count = figures.get("migrant_organizations", 0)
            period.administration_count = figures.get("administrations", 0)
            period.cooperation_count = figures.get("cooperations", 0)
            period.meeting_count = figures.get("meetings", 0)

    @api.constrains("date_start", "date_end", "company_id", "active")
    def _check_no_overlap(self):
        for period in self.filtered("active"):
            overlapping = self.search_count(
                [
                    ("id", "!=", period.id),
                    ("company_id", "=", period.company_id.id),
                    ("date_start", "<=", period.date_end),
                    ("date_end", ">=", period.date_start),
                ],
                limit=1,
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "The funding period “%(period)s” overlaps another period of the "
                        "company: every figure must belong to one period.",
                        period=period.name,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_dashboard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_reporting_attendance_action"
        )
        action["domain"] = [("period_id", "=", self.id)]
        action["display_name"] = self.env._("Dashboard: %(period)s", period=self.name)
        return action

    def action_open_export(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Export for the Funder"),
            "res_model": "kommune.reporting.export",
            "view_mode": "form",
            "target": "new",
            "context": {"default_period_id": self.id},
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_quarters(self):
        """The calendar quarters of the period as ``[(label, first day, last day)]``,
        cut to the period's dates (label ``2026-Q1``)."""
        self.ensure_one()
        if not self.date_start or not self.date_end or self.date_end < self.date_start:
            return []
        quarters = []
        year, quarter = self.date_start.year, (self.date_start.month - 1) // 3 + 1
        while True:
            first = date(year, 3 * quarter - 2, 1)
            if first > self.date_end:
                break
            next_first = date(year + quarter // 4, 3 * (quarter % 4) + 1, 1)
            last = date.fromordinal(next_first.toordinal() - 1)
            quarters.append(
                (f"{year}-Q{quarter}", max(first, self.date_start), min(last, self.date_end))
            )
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        return quarters

    def _get_indicators(self, quarter=None, breakdowns=False):
        """The figures of the period, or of one of its quarters (label ``2026-Q1``), as
        the funder asks for them, in a fixed number of SQL queries whatever the volume.

        :param bool breakdowns: also the participants per answer of the questionnaire
            and per district, topic, organisation type, role and target group, as
            ``{"breakdowns": {column: {value: count}}}`` (value None: not answered);
            disability and minority only for the Reporting group
        :return: dict of ``participants``, ``short_contacts``, ``attendances``,
            ``hours``, ``organizations``, ``certificates``, ``migrant_organizations``,
            ``administrations``, ``cooperations``, ``meetings`` and
            ``cooperations_by_stage_district`` (``{(stage id, district id): count}``)
        """
        self.ensure_one()
        if quarter:
            start, end = next(
                (first, last) for label, first, last in self._get_quarters() if label == quarter
            )
        else:
            start, end = self.date_start, self.date_end
        # The figures are read in SQL from the tables: pending writes first.
        self.env.flush_all()
        cr = self.env.cr
        rows = SQL(
            "SELECT * FROM kommune_reporting_attendance WHERE period_id = %s AND %s",
            self.id,
            SQL("quarter = %s", quarter) if quarter else SQL("TRUE"),
        )
        # One pass over the period's rows: the totals and the organisations trained.
        cr.execute(
            SQL(
                """
                SELECT COUNT(DISTINCT participant_id), COUNT(DISTINCT short_contact_id),
                       COUNT(DISTINCT registration_id), COALESCE(SUM(hours), 0),
                       COUNT(DISTINCT organization_id),
                       COALESCE(ARRAY_AGG(DISTINCT organization_id)
                                FILTER (WHERE organization_id IS NOT NULL), '{}')
                  FROM (%s) AS rows
                """,
                rows,
            )
        )
        participants, short_contacts, attendances, hours, organizations, trained = cr.fetchone()
        figures = {
            "participants": participants,
            "short_contacts": short_contacts,
            "attendances": attendances,
            "hours": float(hours),
            "organizations": organizations,
        }
        local_day = SQL(
            "(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date",
            SQL.identifier("t", "date_end"),
            REPORTING_TZ,
        )
        cr.execute(
            SQL(
                """
                SELECT COUNT(*)
                  FROM kommune_training_registration r
                  JOIN kommune_training t ON t.id = r.training_id
                 WHERE r.state = 'attended' AND t.company_id = %s AND %s BETWEEN %s AND %s
                """,
                self.company_id.id,
                local_day,
                start,
                end,
            )
        )
        figures["certificates"] = cr.fetchone()[0]
        # Running in the period by the cooperation's own dates: until its end date or
        # the day it was paused, ended or archived (LEAST ignores an empty one), so that
        # closing or archiving it later leaves past periods' figures as they were.
        running = SQL(
            """
            c.company_id = %s
            AND COALESCE(c.date_start, c.create_date::date) <= %s
            AND COALESCE(LEAST(c.date_end, c.date_closed), %s) >= %s
            """,
            self.company_id.id,
            end,
            start,
            start,
        )
        cr.execute(
            SQL(
                """
                SELECT org.organization_category, COUNT(*)
                  FROM (
                      SELECT UNNEST(%s::int[]) AS id
                      UNION
                      SELECT m.partner_id FROM kommune_cooperation_member m
                        JOIN kommune_cooperation c ON c.id = m.cooperation_id
                       WHERE %s
                  ) AS supported
                  JOIN res_partner org ON org.id = supported.id
                 GROUP BY org.organization_category
                """,
                trained,
                running,
            )
        )
        supported = dict(cr.fetchall())
        figures["migrant_organizations"] = supported.get("migrant_organization", 0)
        figures["administrations"] = supported.get("administration", 0)
        cr.execute(
            SQL(
                """
                SELECT c.stage_id, c.district_id, COUNT(*)
                  FROM kommune_cooperation c WHERE %s
                 GROUP BY c.stage_id, c.district_id
                """,
                running,
            )
        )
        by_stage = {(stage, district): count for stage, district, count in cr.fetchall()}
        figures["cooperations_by_stage_district"] = by_stage
        figures["cooperations"] = sum(by_stage.values())
        cr.execute(
            SQL(
                """
                SELECT COUNT(*)
                  FROM calendar_event e
                  JOIN kommune_cooperation c ON c.id = e.cooperation_id
                 WHERE e.active AND c.company_id = %s AND e.start <= %s
                   AND (e.start AT TIME ZONE 'UTC' AT TIME ZONE %s)::date BETWEEN %s AND %s
                """,
                self.company_id.id,
                fields.Datetime.now(),
                REPORTING_TZ,
                start,
                end,
            )
        )
        figures["meetings"] = cr.fetchone()[0]
        if breakdowns:
            figures["breakdowns"] = self._get_breakdowns(rows)
        return figures

    def _get_breakdowns(self, rows):
        columns = list(BREAKDOWNS)
        if self.env.user.has_group("kommune_interkulturell.group_kommune_reporting"):
            columns += SPECIAL_BREAKDOWNS
        # One pass with grouping sets: GROUPING() tells which column a row counts by.
        self.env.cr.execute(
            SQL(
                "SELECT %s, COUNT(DISTINCT participant_id) FROM (%s) AS rows "
                "WHERE participant_id IS NOT NULL GROUP BY GROUPING SETS (%s)",
                SQL(", ").join(
                    SQL("GROUPING(%s), %s", SQL.identifier(column), SQL.identifier(column))
                    for column in columns
                ),
                rows,
                SQL(", ").join(SQL("(%s)", SQL.identifier(column)) for column in columns),
            )
        )
        result = {column: {} for column in columns}
        for row in self.env.cr.fetchall():
            count = row[-1]
            for index, column in enumerate(columns):
                if row[2 * index] == 0:  # grouped by this column
                    result[column][row[2 * index + 1]] = count
        return result
