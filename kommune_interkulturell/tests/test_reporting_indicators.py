from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged, users, warmup

from .common_reporting import AFTER, KommuneReportingNetworkCommon


@tagged("post_install", "-at_install")
class TestReportingIndicators(KommuneReportingNetworkCommon):
    """The funder's figures on the fixture network (see KommuneReportingNetworkCommon)."""

    def test_period_figures(self):
        figures = self.indicators()
        self.assertEqual(figures["participants"], 3, "P0 once for two trainings, P1, Petra")
        self.assertEqual(figures["short_contacts"], 2, "P2, P3")
        self.assertEqual(figures["attendances"], 7)
        self.assertEqual(figures["hours"], 41.0)
        self.assertEqual(figures["organizations"], 2)
        self.assertEqual(figures["certificates"], 6, "all but P3 in T1 (one of three)")
        self.assertEqual(figures["migrant_organizations"], 2, "trained MO, cooperating MO 2")
        self.assertEqual(figures["administrations"], 1, "trained and cooperating: once")
        self.assertEqual(figures["cooperations"], 1, "the one of 2029 ended before")
        self.assertEqual(
            figures["cooperations_by_stage_district"],
            {(self.stage.id, self.district_spandau.id): 1},
        )
        self.assertEqual(figures["meetings"], 1, "the cancelled meeting was not held")

    def test_quarters(self):
        q1 = self.indicators(quarter="2031-Q1")
        self.assertEqual(
            (q1["participants"], q1["short_contacts"], q1["attendances"], q1["hours"]),
            (2, 1, 3, 21.0),
        )
        q2 = self.indicators(quarter="2031-Q2")
        self.assertEqual(
            (q2["participants"], q2["short_contacts"], q2["attendances"], q2["hours"]),
            (2, 2, 4, 20.0),
        )
        self.assertEqual((q2["meetings"], q2["certificates"]), (1, 4))
        q3 = self.indicators(quarter="2031-Q3")
        self.assertEqual((q3["participants"], q3["meetings"], q3["cooperations"]), (0, 0, 1))

    def test_a_person_counts_in_each_period(self):
        figures = self.indicators(self.period_2030)
        self.assertEqual(
            (figures["participants"], figures["attendances"], figures["hours"]), (1, 1, 8.0)
        )
        self.assertEqual(figures["cooperations"], 0)

    def test_paused_cooperation_counts_until_its_pause(self):
        """A cooperation paused in May 2031 without an end date ran in 2030 and 2031,
        not in 2032; archiving it later leaves every period's figures as they were."""
        mo_3 = self.env["res.partner"].create(
            {
                "name": "Test MO Drei e.V.",
                "is_company": True,
                "organization_type_id": self.type_mo.id,
            }
        )
        period_2032 = self.env["kommune.funding.period"].create(
            {"name": "Test Periode 2032", "date_start": "2032-01-01", "date_end": "2032-12-31"}
        )
        cooperation = self.env["kommune.cooperation"].create(
            {
                "name": "Test Kooperation pausiert",
                "user_id": self.user.id,
                "stage_id": self.stage.id,
                "date_start": "2030-06-01",
                "member_ids": [Command.create({"partner_id": mo_3.id})],
            }
        )
        with freeze_time("2031-05-01"):
            cooperation.with_user(self.user).stage_id = self.env.ref(
                "kommune_interkulturell.cooperation_stage_paused"
            )
            self.env.flush_all()
        self.assertEqual(str(cooperation.date_closed), "2031-05-01")

        def counts():
            return [
                (figures["cooperations"], figures["migrant_organizations"])
                for figures in map(self.indicators, (self.period_2030, self.period, period_2032))
            ]

        expected = [(1, 2), (2, 3), (1, 1)]
        self.assertEqual(counts(), expected, "2030, 2031 with MO 3; 2032 without")
        with freeze_time("2031-09-01"):
            cooperation.with_user(self.user).action_archive()
            self.env.flush_all()
        self.assertEqual(counts(), expected, "archiving rewrites no period's figures")

    def test_breakdowns(self):
        """Participants per answer; "no answer" and "not answered yet" (None) apart;
        short contacts' questionnaires never count; special categories only for
        reporting."""
        breakdowns = self.indicators(breakdowns=True)["breakdowns"]
        self.assertEqual(breakdowns["gender"], {"female": 1, "no_answer": 1, None: 1})
        self.assertEqual(breakdowns["education"], {"isced_5_8": 1, "no_answer": 1, None: 1})
        self.assertEqual(
            breakdowns["district_id"],
            {self.district_neukoelln.id: 2, self.district_mitte.id: 2},
        )
        self.assertEqual(breakdowns["target_audience"], {"mo_fulltime": 2, "mixed": 2})
        self.assertNotIn("disability", breakdowns)
        special = self.indicators(user=self.reporter, breakdowns=True)["breakdowns"]
        self.assertEqual(special["disability"], {"yes": 1, None: 2})

    def test_short_contact_setting(self):
        self.env["res.config.settings"].create({"kommune_short_contact_hours": 10}).execute()
        figures = self.indicators()
        self.assertEqual((figures["participants"], figures["short_contacts"]), (1, 4))
        self.assertEqual(figures["hours"], 41.0, "hours count whoever attended")

    def test_short_contacts_need_no_questionnaire(self):
        states = {
            (registration.training_id, registration.partner_id): registration.questionnaire_state
            for registration in (self.t1 | self.t2 | self.t3).registration_ids
        }
        p0, p1, p2, p3 = self.persons[:4]
        self.assertEqual(states[self.t3, p2], "short_contact")
        self.assertEqual(states[self.t3, p3], "short_contact")
        self.assertEqual(states[self.t1, p0], "incomplete", "special answers are voluntary")
        self.assertEqual(states[self.t1, p1], "complete")
        self.assertEqual(states[self.t2, self.admin_person], "missing")
        self.assertEqual(
            states[self.t1, p3], "missing", "a nine-hour training asks, whoever skips it"
        )

    def test_dashboard_for_users(self):
        """A plain user reads the aggregates, per quarter and district; the rows of
        other companies stay out; special categories stay with reporting."""
        Dashboard = self.env["kommune.reporting.attendance"].with_user(self.user)
        groups = Dashboard.formatted_read_group(
            [("period_id", "=", self.period.id)],
            ["quarter"],
            ["participant_id:count_distinct", "short_contact_id:count_distinct", "hours:sum"],
        )
        self.assertEqual(
            [
                (
                    group["quarter"],
                    group["participant_id:count_distinct"],
                    group["short_contact_id:count_distinct"],
                    group["hours:sum"],
                )
                for group in groups
            ],
            [("2031-Q1", 2, 1, 21.0), ("2031-Q2", 2, 2, 20.0)],
        )
        with self.assertRaises(AccessError):
            Dashboard.formatted_read_group([], ["disability"], ["__count"])
        other = self.env["res.company"].create({"name": "Test Other Reporting"})
        self.user.company_ids = [Command.link(other.id)]
        self.assertEqual(Dashboard.with_context(allowed_company_ids=other.ids).search_count([]), 0)

    def test_erasure_keeps_the_figures(self):
        """Erasing a participant (Art. 17) leaves every figure, breakdown and pivot cell
        as it was, but for the special categories: their rows stay, anonymous; the
        questionnaire loses names and postcode, and disability and minority with the
        consent they were given under (Art. 9 data of a person who is gone)."""

        def snapshot():
            figures = [
                self.indicators(user=self.reporter, breakdowns=True, quarter=quarter)
                for quarter in (None, "2031-Q1", "2031-Q2")
            ]
            cells = self.env["kommune.reporting.attendance"].formatted_read_group(
                [],
                ["period_id", "quarter", "district_id", "gender", "organization_type_id"],
                ["participant_id:count_distinct", "registration_id:count_distinct", "hours:sum"],
            )
            return figures, [{k: v for k, v in c.items() if k != "__extra_domain"} for c in cells]

        before = snapshot()
        action = self.p0.with_user(self.manager).action_kommune_anonymize()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"confirm": True})
        )
        wizard.action_anonymize()
        self.assertTrue(self.p0.kommune_anonymized_date)
        questionnaire = self.env["kommune.participant.questionnaire"].search(
            [("partner_id", "=", self.p0.id), ("period_id", "=", self.period.id)]
        )
        self.assertFalse(questionnaire.first_name or questionnaire.last_name or questionnaire.zip)
        self.assertEqual(questionnaire.gender, "female")
        self.assertFalse(questionnaire.special_consent or questionnaire.special_consent_date)
        self.assertFalse(questionnaire.disability or questionnaire.minority)
        after = snapshot()
        self.assertIn("yes", before[0][0]["breakdowns"]["disability"], "it was counted")
        self.assertEqual(after[1], before[1], "every pivot cell")
        for figures_after, figures_before in zip(after[0], before[0], strict=True):
            breakdowns_after = figures_after.pop("breakdowns")
            breakdowns_before = figures_before.pop("breakdowns")
            self.assertEqual(figures_after, figures_before)
            for column in ("disability", "minority"):
                counts_after = breakdowns_after.pop(column)
                counts_before = breakdowns_before.pop(column)
                self.assertNotIn("yes", counts_after, "the erased person's answer is gone")
                self.assertEqual(sum(counts_after.values()), sum(counts_before.values()))
            self.assertEqual(breakdowns_after, breakdowns_before)

    @users("ki_user")
    @warmup
    def test_dashboard_query_count(self):
        """The period's cards and the dashboard's grouping take a fixed number of
        queries, whatever the volume."""
        period = self.period.with_env(self.env)
        with freeze_time(AFTER), self.assertQueryCount(ki_user=8):
            period.invalidate_recordset()
            period.read(["participant_count", "short_contact_count", "meeting_count", "mo_count"])
        Dashboard = self.env["kommune.reporting.attendance"]
        with self.assertQueryCount(ki_user=3):
            Dashboard.formatted_read_group(
                [("period_id", "=", period.id)],
                ["quarter", "district_id"],
                ["participant_id:count_distinct", "hours:sum"],
            )
