from datetime import datetime, timedelta

from odoo.addons.kommune_interkulturell.tests.common_training import KommuneTrainingCommon
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import DevelopmentCheckCommon


@tagged("post_install", "-at_install")
class TestDevelopmentRecommendation(DevelopmentCheckCommon, KommuneTrainingCommon):
    """A dimension scoring below the threshold of the settings recommends the upcoming
    trainings on its topics; one click opens the app's invite wizard for the
    organisation's staff."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The fundraising training of the common data starts in 2031; one that is over
        # and one on another topic are not recommended for finances.
        cls.past_training = cls.env["kommune.training"].create(
            {"name": "Test Förderung gestern", "topic_id": cls.topic_fundraising.id}
        )
        cls.env["kommune.training.session"].create(
            {
                "training_id": cls.past_training.id,
                "start": datetime(2020, 1, 6, 9),
                "stop": datetime(2020, 1, 6, 12),
            }
        )
        cls.pr_training = cls.env["kommune.training"].create(
            {
                "name": "Test Pressearbeit",
                "topic_id": cls.env.ref(
                    "kommune_interkulturell.training_topic_public_relations"
                ).id,
            }
        )
        cls.env["kommune.training.session"].create(
            {
                "training_id": cls.pr_training.id,
                "start": cls.first_start + timedelta(days=30),
                "stop": cls.first_start + timedelta(days=30, hours=2),
            }
        )
        # The database may hold other trainings (demo data): compare these only.
        cls.own_trainings = cls.training | cls.past_training | cls.pr_training
        cls.check = cls._check(
            {
                cls.dimension["finances"]: [1, 2, 2],
                cls.dimension["public_relations"]: [3, 3, 4],
            }
        )

    def test_weak_dimension_recommends_upcoming_trainings_on_its_topics(self):
        check = self.check.with_user(self.user)
        self.assertEqual(check.weak_dimension_ids, self.dimension["finances"])
        self.assertEqual(check.recommended_training_ids & self.own_trainings, self.training)
        weak = check.line_ids.filtered("is_weak")
        self.assertEqual(weak.dimension_id, self.dimension["finances"])
        self.assertEqual(
            self.env["kommune.development.check.line"]
            .with_user(self.user)
            .search([("check_id", "=", check.id), ("is_weak", "=", True)]),
            weak,
        )

    def test_recommendations_stay_in_the_checks_company(self):
        """An upcoming training of another company is not recommended, also to a
        user working in both companies at once: the organisation's people would be
        invited to a training of a network the check was not made in."""
        other = self.env["res.company"].create({"name": "Test Other Network"})
        training = self.env["kommune.training"].create(
            {
                "name": "Test Förderung anderswo",
                "topic_id": self.topic_fundraising.id,
                "company_id": other.id,
            }
        )
        self.env["kommune.training.session"].create(
            {
                "training_id": training.id,
                "start": self.first_start + timedelta(days=30),
                "stop": self.first_start + timedelta(days=30, hours=2),
            }
        )
        self.manager.company_ids |= other
        check = self.check.with_user(self.manager).with_context(
            allowed_company_ids=[self.env.company.id, other.id]
        )
        self.assertEqual(
            check.recommended_training_ids & (self.own_trainings | training), self.training
        )

    def test_threshold_comes_from_the_settings(self):
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.kommune_development_weak_threshold, 2.5)
        settings.kommune_development_weak_threshold = 3.5
        settings.save().execute()
        self.check.invalidate_recordset()
        self.check.line_ids.invalidate_recordset()
        check = self.check.with_user(self.user)
        self.assertEqual(
            check.weak_dimension_ids,
            self.dimension["finances"] | self.dimension["public_relations"],
        )
        self.assertEqual(
            check.recommended_training_ids & self.own_trainings, self.training | self.pr_training
        )

    def test_threshold_outside_the_scale_is_refused(self):
        # Scores run from 1 to 4: above, every answered dimension would be weak and
        # recommend trainings; the settings say so instead of saving it.
        for value in (0.0, 4.5, 9.0):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                self.env["res.config.settings"].create(
                    {"kommune_development_weak_threshold": value}
                )
        self.env["res.config.settings"].create(
            {"kommune_development_weak_threshold": 4.0}
        ).execute()
        self.assertEqual(self.env["kommune.development.check.line"]._get_weak_threshold(), 4.0)

    def test_one_click_to_the_invite_wizard_for_the_staff(self):
        action = (
            self.training.with_user(self.user)
            .with_context(kommune_invite_organization_id=self.mo.id)
            .action_kommune_invite_organization()
        )
        self.assertEqual(action["res_model"], "kommune.training.invite")
        wizard = Form(
            self.env[action["res_model"]].with_user(self.user).with_context(**action["context"])
        )
        self.assertEqual(wizard.training_id, self.training)
        self.assertEqual(wizard.organization_ids[:], self.mo)

    def test_plain_users_cannot_change_the_threshold(self):
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.user).create(
                {"kommune_development_weak_threshold": 1.0}
            ).execute()
