from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged, users, warmup

from .common_cooperation import CooperationCommon

# What the cooperation kanban reads for each card (kommune_cooperation_view_kanban,
# with the fields the widgets need: kanban_activity, many2one_avatar_user, tags).
KANBAN_SPEC = {
    "stage_id": {"fields": {"display_name": {}}},
    "date_last_contact": {},
    "is_dialogue_overdue": {},
    "is_won": {},
    "company_id": {"fields": {"display_name": {}}},
    "color": {},
    "name": {},
    "district_id": {"fields": {"display_name": {}}},
    "kind_id": {"fields": {"display_name": {}}},
    "organization_names": {},
    "tag_ids": {"fields": {"display_name": {}, "color": {}}},
    "next_meeting_start": {},
    "days_since_contact": {},
    "priority": {},
    "activity_ids": {"fields": {}},
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
    "activity_state": {},
    "activity_summary": {},
    "activity_type_icon": {},
    "activity_type_id": {"fields": {"display_name": {}}},
    "probability": {},
    "user_id": {"fields": {"display_name": {}}},
}


@tagged("post_install", "-at_install", "kommune_performance")
class TestCooperationPerformance(CooperationCommon):
    """Loading the pipeline costs the same number of queries for 50 or 500 cooperations:
    nothing shown on a card is read record by record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        districts = env["kommune.district"].search([])
        kinds = env["kommune.cooperation.kind"].search([])
        stages = env["kommune.cooperation.stage"].search([])
        tags = env["kommune.cooperation.tag"].create([{"name": f"Perf-Tag {i}"} for i in range(5)])
        organisations = env["res.partner"].create(
            [
                {
                    "name": f"Perf-Organisation {i}",
                    "is_company": True,
                    "organization_type_id": (cls.type_mo if i % 2 else cls.type_integration).id,
                    "district_id": districts[i % len(districts)].id,
                }
                for i in range(40)
            ]
        )
        cls.cooperations = env["kommune.cooperation"].create(
            [
                {
                    "name": f"Perf-Kooperation {i}",
                    "kind_id": kinds[i % len(kinds)].id,
                    "stage_id": stages[i % len(stages)].id,
                    "district_id": districts[i % len(districts)].id,
                    "user_id": (cls.user if i % 2 else cls.manager).id,
                    "tag_ids": [Command.set(tags[: i % 3].ids)],
                    "member_ids": [
                        Command.create({"partner_id": organisations[i % 40].id}),
                        Command.create({"partner_id": organisations[(i + 1) % 40].id}),
                    ],
                }
                for i in range(500)
            ]
        )
        now = fields.Datetime.now()
        # Past and planned meetings on a fifth of the cooperations, to-dos on a tenth.
        env["calendar.event"].with_context(no_mail_to_attendees=True).create(
            [
                {
                    "name": f"Perf-Treffen {i}",
                    "cooperation_id": coop.id,
                    "start": now + timedelta(days=(i % 20) - 10),
                    "stop": now + timedelta(days=(i % 20) - 10, hours=1),
                }
                for i, coop in enumerate(cls.cooperations[::5])
            ]
        )
        for coop in cls.cooperations[::10]:
            coop.activity_schedule("mail.mail_activity_data_todo", user_id=cls.user.id)
        cls.domain = [("id", "in", cls.cooperations.ids)]
        cls.domain_100 = [("id", "in", cls.cooperations[:100].ids)]

    def _count_queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        count = self.cr.sql_log_count
        function()
        return self.cr.sql_log_count - count

    @users("ki_user")
    @warmup
    def test_kanban_cards_500(self):
        Cooperation = self.env["kommune.cooperation"]
        with self.assertQueryCount(ki_user=17):
            result = Cooperation.web_search_read(self.domain, KANBAN_SPEC)
        self.assertEqual(result["length"], 500)
        records = {record["id"]: record for record in result["records"]}
        meeting_coop = self.cooperations[0]
        # Both member organisations are on the card.
        self.assertEqual(
            records[meeting_coop.id]["organization_names"],
            "Perf-Organisation 0, Perf-Organisation 1",
        )
        # The count does not grow with the number of cards (below 100 cards the ORM's
        # prefetching saves one more query).
        few = self._count_queries(lambda: Cooperation.web_search_read(self.domain_100, KANBAN_SPEC))
        many = self._count_queries(lambda: Cooperation.web_search_read(self.domain, KANBAN_SPEC))
        self.assertEqual(few, many)

    @users("ki_user")
    @warmup
    def test_kanban_grouped_by_stage_500(self):
        # What the kanban view asks when it opens: the stage columns with their cards.
        Cooperation = self.env["kommune.cooperation"]
        with self.assertQueryCount(ki_user=24):
            result = Cooperation.with_context(read_group_expand=True).web_read_group(
                self.domain,
                ["stage_id"],
                auto_unfold=True,
                unfold_read_specification=KANBAN_SPEC,
                unfold_read_default_limit=80,
            )
        self.assertEqual(len(result["groups"]), 6)
        self.assertEqual(sum(group["__count"] for group in result["groups"]), 500)

        def load(domain):
            return lambda: Cooperation.with_context(read_group_expand=True).web_read_group(
                domain, ["stage_id"], auto_unfold=True, unfold_read_specification=KANBAN_SPEC
            )

        self.assertEqual(
            self._count_queries(load(self.domain_100)), self._count_queries(load(self.domain))
        )

    @users("ki_user")
    @warmup
    def test_pivot_by_district_500(self):
        Cooperation = self.env["kommune.cooperation"]
        with self.assertQueryCount(ki_user=3):
            groups = Cooperation.formatted_read_group(
                self.domain, ["district_id", "stage_id"], ["__count", "people_reached:sum"]
            )
        self.assertEqual(sum(group["__count"] for group in groups), 500)
