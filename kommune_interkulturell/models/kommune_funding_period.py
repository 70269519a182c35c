from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KommuneFundingPeriod(models.Model):
    """A funding period of the project (e.g. ESF Plus 2026–2028): every figure reported to
    the funder belongs to one period and one of its calendar quarters.

    Periods of a company never overlap, so that a session, a meeting or a certificate is
    counted in exactly one period."""

    _name = "kommune.funding.period"
    _description = "Funding Period"
    _order = "date_start desc, id"
    _check_company_auto = True

    name = fields.Char(required=True, help="How the funder names the period, e.g. ESF Plus 2026–2028.")
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
