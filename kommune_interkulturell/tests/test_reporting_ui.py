from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KommuneTourCase
from .common_reporting import AFTER, KommuneReportingNetworkCommon


@tagged("post_install", "-at_install")
class TestReportingDashboard(KommuneReportingNetworkCommon, KommuneTourCase):
    """The dashboard of a period: each card opens what it counts, so that the list or
    pivot it opens shows the card's number; a plain user reads the aggregates, never
    the special categories."""

    def test_each_card_opens_what_it_counts(self):
        period = self.period.with_user(self.user)
        Dashboard = self.env["kommune.reporting.attendance"].with_user(self.user)
        with freeze_time(AFTER):
            figures = period._get_indicators()
            for method, measure, expected in (
                ("action_open_participants", "participant_id:count_distinct", 3),
                ("action_open_short_contacts", "short_contact_id:count_distinct", 2),
                ("action_open_attendances", "registration_id:count_distinct", 7),
                ("action_open_hours", "hours:sum", 41.0),
            ):
                action = getattr(period, method)()
                self.assertEqual(action["res_model"], "kommune.reporting.attendance")
                self.assertEqual(action["context"]["pivot_measures"], [measure.split(":")[0]])
                ((value,),) = Dashboard._read_group(action["domain"], [], [measure])
                self.assertEqual(value, expected, method)
            for method, model, key in (
                ("action_open_certificates", "kommune.training.registration", "certificates"),
                ("action_open_migrant_organizations", "res.partner", "migrant_organizations"),
                ("action_open_administrations", "res.partner", "administrations"),
                ("action_open_cooperations", "kommune.cooperation", "cooperations"),
                ("action_open_meetings", "calendar.event", "meetings"),
            ):
                action = getattr(period, method)()
                self.assertEqual(action["res_model"], model)
                records = (
                    self.env[model]
                    .with_user(self.user)
                    .with_context(**action["context"])
                    .search(action["domain"])
                )
                self.assertEqual(len(records), figures[key], method)
                self.assertTrue(records, f"{method}: the fixture has some")
        self.assertEqual(
            self.period.with_user(self.user).action_open_cooperations()["context"],
            {"active_test": False},
            "a cooperation archived after the period still counted in it",
        )

    def test_plain_user_sees_aggregates_not_special_categories(self):
        action = self.period.with_user(self.user).action_open_participants()
        Dashboard = self.env["kommune.reporting.attendance"].with_user(self.user)
        groups = Dashboard.formatted_read_group(
            action["domain"], ["gender"], ["participant_id:count_distinct"]
        )
        self.assertEqual(
            {group["gender"]: group["participant_id:count_distinct"] for group in groups},
            {"female": 1, "no_answer": 1, False: 1},
        )
        for column in ("disability", "minority"):
            with self.assertRaises(AccessError):
                Dashboard.formatted_read_group(action["domain"], [column], ["__count"])
        breakdowns = self.indicators(user=self.user, breakdowns=True)["breakdowns"]
        self.assertNotIn("disability", breakdowns)
        self.assertNotIn("minority", breakdowns)

    def test_dashboard_tour(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.reporter.lang = "de_DE"
        self.start_tour("/odoo", "kommune_funding_period_tour", login="ki_reporter")
