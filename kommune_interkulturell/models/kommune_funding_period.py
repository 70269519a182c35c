from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

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
# The files for the funder leave the app: below this many persons a count of a special
# category could point at the very person, so they print "< 5" instead.
SMALL_COUNT = 5


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

    # Each card opens what it counts: the attendance figures as a pivot or graph of
    # the period's rows, the other cards as the very records they count.

    def _action_open_attendance(self, name, measure, rows, search_default=None, view="pivot"):
        self.ensure_one()
        action = self.action_open_dashboard()
        action["display_name"] = self.env._("%(figure)s: %(period)s", figure=name, period=self.name)
        action["views"] = [(False, view)] + [
            (False, mode) for mode in ("pivot", "graph") if mode != view
        ]
        context = {
            "pivot_measures": [measure],
            "pivot_row_groupby": rows,
            "pivot_column_groupby": ["quarter"],
            "graph_measure": measure,
            "graph_groupbys": ["quarter", *rows[:1]],
        }
        if search_default:
            context[f"search_default_{search_default}"] = 1
        action["context"] = context
        return action

    def _action_open_records(self, name, model, ids, views=("list", "form"), xmlid=None):
        self.ensure_one()
        if xmlid:
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        else:
            action = {
                "type": "ir.actions.act_window",
                "res_model": model,
                "views": [(False, mode) for mode in views],
            }
        action.update(
            display_name=self.env._("%(figure)s: %(period)s", figure=name, period=self.name),
            domain=[("id", "in", ids)],
            # Counted until they were archived: archived records are part of the figure.
            context={"active_test": False},
        )
        return action

    def action_open_participants(self):
        return self._action_open_attendance(
            self.env._("Participants"), "participant_id", ["gender"], "participants"
        )

    def action_open_short_contacts(self):
        return self._action_open_attendance(
            self.env._("Short Contacts"), "short_contact_id", ["topic_id"], "short_contacts"
        )

    def action_open_attendances(self):
        return self._action_open_attendance(
            self.env._("Attendances"), "registration_id", ["training_id"]
        )

    def action_open_hours(self):
        return self._action_open_attendance(
            self.env._("Participant Hours"), "hours", ["topic_id"], view="graph"
        )

    def action_open_certificates(self):
        return self._action_open_records(
            self.env._("Certificates"),
            "kommune.training.registration",
            self._get_indicators()["certificate_ids"],
        )

    def action_open_migrant_organizations(self):
        return self._action_open_records(
            self.env._("Migrant Organisations Supported"),
            "res.partner",
            self._get_indicators()["migrant_organization_ids"],
        )

    def action_open_administrations(self):
        return self._action_open_records(
            self.env._("District Administrations Supported"),
            "res.partner",
            self._get_indicators()["administration_ids"],
        )

    def action_open_cooperations(self):
        return self._action_open_records(
            self.env._("Cooperations"),
            "kommune.cooperation",
            self._get_indicators()["cooperation_ids"],
            xmlid="kommune_interkulturell.kommune_cooperation_action_report",
        )

    def action_open_meetings(self):
        return self._action_open_records(
            self.env._("Meetings Held"),
            "calendar.event",
            self._get_indicators()["meeting_ids"],
        )

    def action_print_summary(self):
        self.ensure_one()
        return self.env.ref(
            "kommune_interkulturell.action_report_funding_period_summary"
        ).report_action(self)

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
            ``administrations``, ``cooperations``, ``meetings``,
            ``cooperations_by_stage_district`` (``{(stage id, district id): count}``)
            and the ids behind the cards (``certificate_ids``, ``migrant_organization_ids``,
            ``administration_ids``, ``cooperation_ids``, ``meeting_ids``)
        """
        self.ensure_one()
        figures = self._get_indicators_per_quarter([quarter or None])[quarter or None]
        if breakdowns:
            figures["breakdowns"] = self._get_breakdowns(self._get_attendance_rows(quarter))
        return figures

    def _get_attendance_rows(self, quarter=None):
        """The rows of the dashboard of the period or one of its quarters, as SQL."""
        return SQL(
            "SELECT * FROM kommune_reporting_attendance WHERE period_id = %s AND %s",
            self.id,
            SQL("quarter = %s", quarter) if quarter else SQL("TRUE"),
        )

    def _get_indicators_per_quarter(self, quarters):
        """:meth:`_get_indicators` (without breakdowns) of several quarters at once,
        each figure in one SQL query grouped by quarter: the same number of queries for
        one quarter as for twelve.

        :param list quarters: quarter labels (``2026-Q1``), None for the whole period
        :return: ``{label or None: figures}``
        """
        self.ensure_one()
        dates = {label: (first, last) for label, first, last in self._get_quarters()}
        dates[None] = (self.date_start, self.date_end)
        # Each figure is counted per span (the period or a quarter): s.quarter is the
        # label, NULL for the period, which takes every row of the period.
        spans = SQL(
            "(VALUES %s) AS s(quarter, first_day, last_day)",
            SQL(", ").join(
                SQL("(%s::varchar, %s::date, %s::date)", label, *dates[label]) for label in quarters
            ),
        )
        # The figures are read in SQL from the tables: pending writes first.
        self.env.flush_all()
        cr = self.env.cr
        rows_of_span = SQL(
            "a.period_id = %s AND (s.quarter IS NULL OR a.quarter = s.quarter)", self.id
        )
        result = {
            label: {
                "participants": 0,
                "short_contacts": 0,
                "attendances": 0,
                "hours": 0.0,
                "organizations": 0,
                "certificate_ids": [],
                "migrant_organization_ids": [],
                "administration_ids": [],
                "cooperation_ids": [],
                "cooperations_by_stage_district": {},
                "meeting_ids": [],
            }
            for label in quarters
        }
        # One pass over the rows of each span: the totals.
        cr.execute(
            SQL(
                """
                SELECT s.quarter, COUNT(DISTINCT a.participant_id),
                       COUNT(DISTINCT a.short_contact_id), COUNT(DISTINCT a.registration_id),
                       COALESCE(SUM(a.hours), 0), COUNT(DISTINCT a.organization_id)
                  FROM %s
                  JOIN kommune_reporting_attendance a ON %s
                 GROUP BY s.quarter
                """,
                spans,
                rows_of_span,
            )
        )
        for label, participants, short_contacts, attendances, hours, organizations in cr.fetchall():
            result[label].update(
                participants=participants,
                short_contacts=short_contacts,
                attendances=attendances,
                hours=float(hours),
                organizations=organizations,
            )
        local_day = SQL(
            "(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date",
            SQL.identifier("t", "date_end"),
            REPORTING_TZ,
        )
        cr.execute(
            SQL(
                """
                SELECT s.quarter, ARRAY_AGG(r.id ORDER BY r.id)
                  FROM %s
                  JOIN kommune_training t
                    ON t.company_id = %s AND %s BETWEEN s.first_day AND s.last_day
                  JOIN kommune_training_registration r
                    ON r.training_id = t.id AND r.state = 'attended'
                 GROUP BY s.quarter
                """,
                spans,
                self.company_id.id,
                local_day,
            )
        )
        for label, ids in cr.fetchall():
            result[label]["certificate_ids"] = ids
        # Running in the span by the cooperation's own dates: until its end date or
        # the day it was paused, ended or archived (LEAST ignores an empty one), so that
        # closing or archiving it later leaves past periods' figures as they were.
        running = SQL(
            """
            c.company_id = %s
            AND COALESCE(c.date_start, c.create_date::date) <= s.last_day
            AND COALESCE(LEAST(c.date_end, c.date_closed), s.first_day) >= s.first_day
            """,
            self.company_id.id,
        )
        # Supported: the organisations trained in the span, and the members of the
        # cooperations running in it.
        cr.execute(
            SQL(
                """
                SELECT supported.quarter, org.organization_category,
                       ARRAY_AGG(org.id ORDER BY org.id)
                  FROM (
                      SELECT s.quarter, a.organization_id AS id
                        FROM %s JOIN kommune_reporting_attendance a ON %s
                       WHERE a.organization_id IS NOT NULL
                      UNION
                      SELECT s.quarter, m.partner_id
                        FROM %s
                        JOIN kommune_cooperation c ON %s
                        JOIN kommune_cooperation_member m ON m.cooperation_id = c.id
                  ) AS supported
                  JOIN res_partner org ON org.id = supported.id
                 GROUP BY supported.quarter, org.organization_category
                """,
                spans,
                rows_of_span,
                spans,
                running,
            )
        )
        for label, category, ids in cr.fetchall():
            if category == "migrant_organization":
                result[label]["migrant_organization_ids"] = ids
            elif category == "administration":
                result[label]["administration_ids"] = ids
        cr.execute(
            SQL(
                """
                SELECT s.quarter, c.stage_id, c.district_id, ARRAY_AGG(c.id ORDER BY c.id)
                  FROM %s JOIN kommune_cooperation c ON %s
                 GROUP BY s.quarter, c.stage_id, c.district_id
                """,
                spans,
                running,
            )
        )
        for label, stage, district, ids in cr.fetchall():
            result[label]["cooperations_by_stage_district"][stage, district] = len(ids)
            result[label]["cooperation_ids"] += ids
        cr.execute(
            SQL(
                """
                SELECT s.quarter, ARRAY_AGG(e.id ORDER BY e.id)
                  FROM %s
                  JOIN calendar_event e
                    ON (e.start AT TIME ZONE 'UTC' AT TIME ZONE %s)::date
                       BETWEEN s.first_day AND s.last_day
                  JOIN kommune_cooperation c ON c.id = e.cooperation_id
                 WHERE e.active AND c.company_id = %s AND e.start <= %s
                 GROUP BY s.quarter
                """,
                spans,
                REPORTING_TZ,
                self.company_id.id,
                fields.Datetime.now(),
            )
        )
        for label, ids in cr.fetchall():
            result[label]["meeting_ids"] = ids
        for figures in result.values():
            for count, ids in (
                ("certificates", "certificate_ids"),
                ("migrant_organizations", "migrant_organization_ids"),
                ("administrations", "administration_ids"),
                ("cooperations", "cooperation_ids"),
                ("meetings", "meeting_ids"),
            ):
                figures[count] = len(figures[ids])
        return result

    def _get_indicator_labels(self):
        """``[(key of _get_indicators, label)]``: the rows of the indicator table."""
        period_fields = self._fields
        labels = [
            (key, period_fields[fname]._description_string(self.env))
            for key, fname in (
                ("participants", "participant_count"),
                ("short_contacts", "short_contact_count"),
                ("attendances", "attendance_count"),
                ("hours", "participant_hours"),
                ("certificates", "certificate_count"),
                ("migrant_organizations", "mo_count"),
                ("administrations", "administration_count"),
                ("cooperations", "cooperation_count"),
                ("meetings", "meeting_count"),
            )
        ]
        labels.insert(4, ("organizations", self.env._("Organisations")))
        return labels

    def _get_report_data(self):
        """The period's figures as the funder receives them: the XLSX indicator table
        and the PDF summary are both written from this, so they always agree.

        Both leave the app: the counts of the special categories are printed as
        ``"< 5"`` below five persons (the Reporting dashboard keeps the exact counts,
        for the Reporting group only). Bridges add their rows to ``indicators`` and
        their tables to ``sections`` (extend this method, call super).

        :return: dict of ``quarters`` (labels), ``indicators`` (``[(label, [period,
            quarter 1, ...])]``) and ``sections`` (``[{"key", "title", "header",
            "rows"}]``: the participants' breakdowns, the cooperations by stage and
            district)
        """
        self.ensure_one()
        quarters = [label for label, _start, _end in self._get_quarters()]
        # The period and all its quarters at once: as many queries for one quarter as
        # for twelve.
        by_quarter = self._get_indicators_per_quarter([None, *quarters])
        figures = by_quarter[None]
        figures["breakdowns"] = self._get_breakdowns(self._get_attendance_rows())
        per_quarter = [by_quarter[label] for label in quarters]
        indicators = [
            (label, [figures[key]] + [quarter[key] for quarter in per_quarter])
            for key, label in self._get_indicator_labels()
        ]
        Dashboard = self.env["kommune.reporting.attendance"]
        breakdown_rows = []
        for column, counts in figures["breakdowns"].items():
            field = Dashboard._fields[column]
            if column in SPECIAL_BREAKDOWNS:
                counts = self._suppress_small_counts(counts)
            value_ids = [value for value in counts if value] if field.type == "many2one" else []
            for value, count in sorted(counts.items(), key=lambda item: str(item[0])):
                breakdown_rows.append(
                    [
                        field._description_string(self.env),
                        self._format_value(field, value, prefetch_ids=value_ids),
                        count,
                    ]
                )
        # Cooperations without a stage or district are counted too (None: not comparable
        # with an id).
        cooperations = sorted(
            figures["cooperations_by_stage_district"].items(),
            key=lambda item: (item[0][0] or 0, item[0][1] or 0),
        )
        # Prefetched together: one read of the stages' names, one of the districts'.
        stages = self.env["kommune.cooperation.stage"].browse(
            {stage_id for (stage_id, _district_id), _count in cooperations if stage_id}
        )
        districts = self.env["kommune.district"].browse(
            {district_id for (_stage_id, district_id), _count in cooperations if district_id}
        )
        cooperation_rows = [
            [
                stages.browse(stage_id).with_prefetch(stages.ids).name or "",
                districts.browse(district_id).with_prefetch(districts.ids).name or "",
                count,
            ]
            for (stage_id, district_id), count in cooperations
        ]
        return {
            "quarters": quarters,
            "indicators": indicators,
            "sections": [
                {
                    "key": "breakdowns",
                    "title": self.env._("Participants by"),
                    "header": [
                        self.env._("Breakdown"),
                        self.env._("Value"),
                        self.env._("Participants"),
                    ],
                    "rows": breakdown_rows,
                },
                {
                    "key": "cooperations",
                    "title": self.env._("Cooperations"),
                    "header": [
                        self.env._("Stage"),
                        self.env._("District"),
                        self.env._("Cooperations"),
                    ],
                    "rows": cooperation_rows,
                },
            ],
        }

    @api.model
    def _suppress_small_counts(self, counts):
        """The counts of one breakdown as the funder's files show them: 1 to 4 persons
        as ``"< 5"``. When a single count is hidden, the smallest other one is hidden
        too (``"≥ 5"``): the total of participants minus the counts shown would give
        it away.

        :param dict counts: ``{value: count}``
        :return: ``{value: count or text}``
        """
        small = [value for value, count in counts.items() if 0 < count < SMALL_COUNT]
        hidden = dict.fromkeys(small, f"< {SMALL_COUNT}")
        others = [value for value in counts if value not in hidden]
        if len(small) == 1 and others:
            hidden[min(others, key=lambda value: counts[value])] = f"≥ {SMALL_COUNT}"
        return {value: hidden.get(value, count) for value, count in counts.items()}

    def _format_value(self, field, value, prefetch_ids=()):
        """A breakdown's value as the files show it; ``prefetch_ids``: the ids of the
        other values of the column, whose names are read with this one's."""
        if value is None:
            return self.env._("Not answered")
        if field.type == "many2one":
            return (
                self.env[field.comodel_name].browse(value).with_prefetch(prefetch_ids).display_name
            )
        return dict(field._description_selection(self.env)).get(value, value)

    def _format_report_number(self, value):
        """A cell as the PDF shows it: whole numbers without decimals, others with
        two, in the reader's language; text as it is."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        if isinstance(value, float) and not value.is_integer():
            return formatLang(self.env, value, digits=2)
        return formatLang(self.env, value, digits=0)

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
