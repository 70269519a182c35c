from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import KommuneCommon


@tagged("post_install", "-at_install")
class TestFundingPeriod(KommuneCommon):
    """Funding periods: quarters, no overlap, who may define them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reporter = new_test_user(
            cls.env,
            login="ki_reporter_period",
            groups="kommune_interkulturell.group_kommune_reporting",
        )
        # The company's own periods (the demo's, when installed) would overlap.
        cls.env["kommune.funding.period"].search([]).action_archive()
        cls.period = cls.env["kommune.funding.period"].create(
            {
                "name": "Test ESF Plus 2026–2028",
                "date_start": "2026-01-01",
                "date_end": "2028-12-31",
            }
        )

    def test_quarters(self):
        self.assertEqual(self.period.quarter_count, 12)
        self.assertTrue(self.period.quarter_names.startswith("2026-Q1, 2026-Q2"))
        quarters = self.period._get_quarters()
        self.assertEqual(quarters[0], ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)))
        self.assertEqual(quarters[3], ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)))
        self.assertEqual(quarters[-1], ("2028-Q4", date(2028, 10, 1), date(2028, 12, 31)))
        # A period starting mid-quarter: its first quarter is cut to its dates.
        odd = self.env["kommune.funding.period"].new(
            {"name": "Odd", "date_start": "2029-02-15", "date_end": "2029-07-10"}
        )
        self.assertEqual(
            odd._get_quarters(),
            [
                ("2029-Q1", date(2029, 2, 15), date(2029, 3, 31)),
                ("2029-Q2", date(2029, 4, 1), date(2029, 6, 30)),
                ("2029-Q3", date(2029, 7, 1), date(2029, 7, 10)),
            ],
        )

    def test_periods_do_not_overlap(self):
        with self.assertRaises(ValidationError):
            self.env["kommune.funding.period"].create(
                {"name": "Overlap", "date_start": "2028-07-01", "date_end": "2030-06-30"}
            )
        self.env["kommune.funding.period"].create(
            {"name": "Next", "date_start": "2029-01-01", "date_end": "2031-12-31"}
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["kommune.funding.period"].create(
                {"name": "Backwards", "date_start": "2033-01-01", "date_end": "2032-01-01"}
            )

    def test_access(self):
        """Users read periods (figures refer to them); reporting and managers define
        them; only managers delete."""
        Period = self.env["kommune.funding.period"]
        self.assertEqual(Period.with_user(self.user).search([]), self.period, "active only")
        with self.assertRaises(AccessError):
            Period.with_user(self.user).create(
                {"name": "User", "date_start": "2040-01-01", "date_end": "2040-12-31"}
            )
        with self.assertRaises(AccessError):
            self.period.with_user(self.user).write({"name": "Renamed"})
        created = Period.with_user(self.reporter).create(
            {"name": "Reporter", "date_start": "2040-01-01", "date_end": "2040-12-31"}
        )
        with self.assertRaises(AccessError):
            created.with_user(self.reporter).unlink()
        created.with_user(self.manager).unlink()

    def test_reporting_group(self):
        self.assertTrue(self.reporter.has_group("kommune_interkulturell.group_kommune_user"))
        self.assertFalse(self.manager.has_group("kommune_interkulturell.group_kommune_reporting"))
        self.assertFalse(self.user.has_group("kommune_interkulturell.group_kommune_reporting"))
