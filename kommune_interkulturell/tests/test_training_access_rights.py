from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_training import KommuneTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingAccessRights(KommuneTrainingCommon):
    def test_user_runs_trainings(self):
        """A User plans a training, its sessions, registrations and attendance."""
        Training = self.env["kommune.training"].with_user(self.user)
        training = Training.create(
            {
                "name": "Nutzerin plant",
                "topic_id": self.topic_fundraising.id,
                "seats_max": 1,
                "trainer_ids": [(6, 0, self.trainer.ids)],
            }
        )
        training.write({"district_id": self.district_mitte.id, "stage_id": self.stage_open.id})
        session = (
            self.env["kommune.training.session"]
            .with_user(self.user)
            .create(
                {
                    "training_id": training.id,
                    "start": datetime(2031, 9, 1, 8),
                    "stop": datetime(2031, 9, 1, 11),
                }
            )
        )
        session.write({"start": datetime(2031, 9, 2, 8), "stop": datetime(2031, 9, 2, 11)})
        first = training._register_participant(self.persons[0], consent=True)
        second = training._register_participant(self.persons[1], consent=True)
        self.assertEqual((first.state, second.state), ("confirmed", "waitlist"))
        session.action_mark_all_present()
        self.assertEqual(first.state, "attended")
        first.action_cancel()
        self.assertEqual(second.state, "confirmed")
        session.action_cancel()
        training.action_cancel()
        self.assertTrue(training.is_cancelled)

    def test_user_cannot_configure_or_delete(self):
        for model in ("kommune.training.topic", "kommune.training.stage", "kommune.training.tag"):
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.user)
                with self.assertRaises(AccessError):
                    Model.create({"name": f"Neu {model}"})
                record = self.env[model].search([], limit=1) or self.env[model].create(
                    {"name": "Vorhanden"}
                )
                self.assertTrue(record.with_user(self.user).name)
                with self.assertRaises(AccessError):
                    record.with_user(self.user).write({"name": "Umbenannt"})
                with self.assertRaises(AccessError):
                    record.with_user(self.user).unlink()
        registration = self.training._register_participant(self.persons[0], consent=True)
        for record in (
            self.training,
            self.sessions[0],
            registration,
            self.sessions[0].attendance_ids[0],
        ):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.user).unlink()

    def test_manager_configures_and_deletes(self):
        for model in ("kommune.training.topic", "kommune.training.stage", "kommune.training.tag"):
            with self.subTest(model=model):
                record = self.env[model].with_user(self.manager).create({"name": f"Neu {model}"})
                record.write({"name": f"Umbenannt {model}"})
                record.unlink()
        registration = self.training._register_participant(self.persons[0], consent=True)
        registration.with_user(self.manager).unlink()
        self.sessions[0].with_user(self.manager).unlink()
        self.training.with_user(self.manager).unlink()
        self.assertFalse(self.training.exists())

    def test_employee_without_group_has_no_access(self):
        employee = self.env["res.users"].create(
            {
                "name": "Other Employee",
                "login": "ki_training_employee",
                "group_ids": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.env["kommune.training"].with_user(employee).search([])
        with self.assertRaises(AccessError):
            self.env["kommune.training.registration"].with_user(employee).search([])

    def test_other_company_does_not_see_trainings(self):
        other_company = self.env["res.company"].create({"name": "Andere Gesellschaft"})
        other_user = self.env["res.users"].create(
            {
                "name": "Other Company User",
                "login": "ki_training_other_company",
                "company_id": other_company.id,
                "company_ids": [(6, 0, other_company.ids)],
                "group_ids": [
                    (6, 0, [self.env.ref("kommune_interkulturell.group_kommune_user").id])
                ],
            }
        )
        registration = self.training._register_participant(self.persons[0], consent=True)
        self.assertEqual(registration.company_id, self.training.company_id)
        self.assertEqual(self.sessions.company_id, self.training.company_id)
        for model, field in (
            ("kommune.training", "id"),
            ("kommune.training.session", "training_id"),
            ("kommune.training.registration", "training_id"),
            ("kommune.training.attendance", "training_id"),
        ):
            with self.subTest(model=model):
                domain = [(field, "=", self.training.id)]
                self.assertTrue(self.env[model].search(domain))
                self.assertFalse(self.env[model].with_user(other_user).search(domain))
        own = self.env["kommune.training"].with_user(other_user).create({"name": "Eigene"})
        self.assertEqual(own.company_id, other_company)
