from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import DevelopmentCheckCommon


@tagged("post_install", "-at_install")
class TestDevelopmentGoal(DevelopmentCheckCommon):
    """After a check staff agree goals per dimension with due dates: each is an
    activity on the organisation, and the next check shows them beside the new
    scores for review."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-01"):
            cls.first = cls._check({cls.dimension["finances"]: [1, 2, 1]})

    def _add_goal(self, user=None):
        action = self.first.with_user(user or self.user).action_open_goals()
        Goal = self.env[action["res_model"]].with_user(user or self.user)
        with Form(Goal.with_context(**action["context"])) as goal:
            goal.dimension_id = self.dimension["finances"]
            goal.name = "A second person checks the bookkeeping"
            goal.date_deadline = "2026-09-30"
        return goal.record

    def test_goal_is_an_activity_on_the_organisation(self):
        goal = self._add_goal()
        activity = goal.activity_id
        self.assertEqual((activity.res_model, activity.res_id), ("res.partner", self.mo.id))
        self.assertEqual(str(activity.date_deadline), "2026-09-30")
        self.assertEqual(activity.user_id, self.user)
        self.assertEqual(activity.summary, "A second person checks the bookkeeping")
        goal.date_deadline = "2026-10-31"
        self.assertEqual(str(activity.date_deadline), "2026-10-31")

    def test_next_check_shows_the_goals_with_the_new_score(self):
        goal = self._add_goal()
        with freeze_time("2026-10-01"):
            second = self._check({self.dimension["finances"]: [3, 3, 2]})
        self.assertEqual(second.with_user(self.user).previous_goal_ids, goal)
        self.assertAlmostEqual(goal.score_then, 4 / 3, places=2)
        self.assertAlmostEqual(goal.score_now, 8 / 3, places=2)
        action = second.with_user(self.user).action_review_previous_goals()
        self.assertEqual(action["domain"], [("check_id", "=", self.first.id)])
        goal.with_user(self.user).state = "reached"
        self.assertFalse(goal.activity_id.active, "the reminder is done")

    def test_a_plan_reads_its_scores_without_a_query_per_goal(self):
        """Each goal shows the score when agreed and the latest since, for its own
        dimension; a plan of many goals costs no query more than a plan of two."""
        with freeze_time("2026-10-01"):
            second = self._check(
                {self.dimension["finances"]: [3, 3, 2], self.dimension["staff"]: [4, 4, 4]}
            )
        Goal = self.env["kommune.development.goal"]
        goals = Goal.create(
            [
                {
                    "check_id": self.first.id,
                    "dimension_id": self.dimension[code].id,
                    "name": f"Goal {index}",
                    "date_deadline": "2026-09-30",
                }
                for index, code in enumerate(["finances", "staff"] * 4)
            ]
        )
        goals = goals.with_user(self.user)
        goals.mapped("score_now")  # the user's groups, cached once
        self.env.invalidate_all()
        # Measured 13 for eight goals, the user's access rules included; a query per
        # goal would be 8 more.
        with self.assertQueryCount(13):
            scores = [(goal.score_then, goal.score_now) for goal in goals]
        finances, staff = scores[0], scores[1]
        self.assertAlmostEqual(finances[0], 4 / 3, places=2)
        self.assertAlmostEqual(finances[1], 8 / 3, places=2)
        self.assertEqual(staff, (0.0, 4.0), "staff was not answered the first time")
        self.assertEqual(scores, [finances, staff] * 4)
        # A later check of the organisation in another company is not this plan's.
        other = self.env["res.company"].create({"name": "Test Other Network"})
        second.company_id = other
        goals.invalidate_recordset()
        self.assertEqual(goals[0].score_now, 0.0)

    def test_an_earlier_check_of_the_same_day_is_not_the_score_now(self):
        """Each person asked fills in their own check: two checks of one day are
        common. A goal agreed after the later one has no check since it, not the
        earlier one's score as "now"."""
        with freeze_time("2026-03-01"):
            second = self._check({self.dimension["finances"]: [4, 4, 4]})
        goal = self.env["kommune.development.goal"].create(
            {
                "check_id": second.id,
                "dimension_id": self.dimension["finances"].id,
                "name": "Keep the bookkeeping checked",
                "date_deadline": "2026-09-30",
            }
        )
        self.assertEqual(goal.score_then, 4.0)
        self.assertEqual(goal.score_now, 0.0, "no check since the goal's")

    def test_score_now_stays_in_the_goals_company_for_a_user_of_both(self):
        """A check of the organisation in another company is not this plan's, also
        for a user working in both companies at once."""
        other = self.env["res.company"].create({"name": "Test Other Network"})
        with freeze_time("2026-10-01"):
            second = self._check({self.dimension["finances"]: [4, 4, 4]})
        second.company_id = other
        goal = self.env["kommune.development.goal"].create(
            {
                "check_id": self.first.id,
                "dimension_id": self.dimension["finances"].id,
                "name": "A second person checks the bookkeeping",
                "date_deadline": "2026-09-30",
            }
        )
        self.manager.company_ids |= other
        both = goal.with_user(self.manager).with_context(
            allowed_company_ids=[self.env.company.id, other.id]
        )
        self.assertEqual(both.score_now, 0.0)

    def test_plain_users_cannot_plan_and_users_cannot_delete(self):
        goal = self._add_goal()
        with self.assertRaises(AccessError):
            self.env["kommune.development.goal"].with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            goal.with_user(self.user).unlink()
        goal.with_user(self.manager).unlink()
        self.assertFalse(self.mo.activity_ids.filtered(lambda a: a.summary == goal.name))
