from odoo.tests import tagged, users, warmup

from .common import KommuneCommon

# What the trainings kanban asks for each card (see kommune_training_view_kanban).
KANBAN_SPEC = {
    "name": {},
    "priority": {},
    "color": {},
    "stage_id": {"fields": {"display_name": {}}},
    "topic_id": {"fields": {"display_name": {}}},
    "date_begin": {},
    "date_end": {},
    "session_count": {},
    "district_id": {"fields": {"display_name": {}}},
    "tag_ids": {"fields": {"display_name": {}, "color": {}}},
    "seats_taken": {},
    "seats_max": {},
    "waiting_count": {},
    "user_id": {"fields": {"display_name": {}}},
    "activity_ids": {},
    "activity_state": {},
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
}


@tagged("post_install", "-at_install")
class TestTrainingPerformance(KommuneCommon):
    """The trainings kanban with 200 trainings costs a fixed number of queries: every
    card field is stored, nothing is counted per record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        stages = cls.env["kommune.training.stage"].search([])
        topics = cls.env["kommune.training.topic"].search([])
        districts = cls.env["kommune.district"].search([])
        tags = cls.env["kommune.training.tag"].create(
            [{"name": f"Perf Tag {index}", "color": index} for index in range(3)]
        )
        cls.trainings = cls.env["kommune.training"].create(
            [
                {
                    "name": f"Perf Training {index}",
                    "stage_id": stages[index % len(stages)].id,
                    "topic_id": topics[index % len(topics)].id,
                    "district_id": districts[index % len(districts)].id,
                    "seats_max": 10 + index % 5,
                    "user_id": (cls.user, cls.manager)[index % 2].id,
                    "tag_ids": [(6, 0, tags[: index % 3 + 1].ids)],
                }
                for index in range(200)
            ]
        )
        persons = cls.env["res.partner"].create(
            [{"name": f"Perf Person {index}", "parent_id": cls.mo.id} for index in range(5)]
        )
        cls.env["kommune.training.registration"].create(
            [
                {"training_id": training.id, "partner_id": person.id, "consent": True}
                for training in cls.trainings[:40]
                for person in persons
            ]
        )
        for training in cls.trainings[:20]:
            training.activity_schedule("mail.mail_activity_data_todo", user_id=cls.user.id)

    @users("ki_user")
    @warmup
    def test_kanban_grouped_by_stage(self):
        Training = self.env["kommune.training"].with_context(read_group_expand=True)
        with self.assertQueryCount(ki_user=19):
            result = Training.web_read_group(
                [],
                ["stage_id"],
                ["__count"],
                auto_unfold=True,
                unfold_read_specification=KANBAN_SPEC,
                unfold_read_default_limit=80,
            )
        self.assertGreaterEqual(sum(group["__count"] for group in result["groups"]), 200)

    @users("ki_user")
    @warmup
    def test_kanban_progress_bar(self):
        Training = self.env["kommune.training"]
        with self.assertQueryCount(ki_user=3):
            Training.read_progress_bar(
                [],
                "stage_id",
                {"field": "activity_state", "colors": {"planned": "success", "overdue": "danger"}},
            )

    @users("ki_user")
    @warmup
    def test_ungrouped_cards_and_list(self):
        Training = self.env["kommune.training"]
        with self.assertQueryCount(ki_user=11):
            result = Training.web_search_read([], KANBAN_SPEC, limit=80)
        self.assertEqual(len(result["records"]), 80)
