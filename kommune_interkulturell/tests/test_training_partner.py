from odoo.tests import Form, tagged

from .common_training import KommuneTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingPartner(KommuneTrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        silent = cls.training.with_context(kommune_training_no_mail=True)
        cls.first = silent._register_participant(cls.persons[0], consent=True)
        cls.second = silent._register_participant(cls.persons[1], consent=True)
        cls.sessions.action_mark_all_present()
        cls.other_training = cls.env["kommune.training"].create({"name": "Zweite Schulung"})
        # Attended for another organisation (she changed jobs since).
        cls.other_registration = cls.other_training.with_context(
            kommune_training_no_mail=True
        )._register_participant(cls.persons[0], consent=True, organization_id=cls.administration.id)

    def test_person_history(self):
        person = self.persons[0].with_user(self.user)
        self.assertEqual(person.training_registration_ids, self.first | self.other_registration)
        self.assertEqual(person.training_attended_count, 1)
        action = person.action_open_attended_trainings()
        trainings = self.env["kommune.training"].search(action["domain"])
        self.assertEqual(trainings, self.training)

    def test_organization_trainings_of_its_people(self):
        mo = self.mo.with_user(self.user)
        self.assertEqual(mo.organization_training_registration_ids, self.first | self.second)
        self.assertEqual(mo.training_attended_count, 1, "one training, however many people")
        trainings = self.env["kommune.training"].search(
            mo.action_open_attended_trainings()["domain"]
        )
        self.assertEqual(trainings, self.training)
        self.assertEqual(self.administration.training_attended_count, 0)
        self.other_training.session_ids = [
            (0, 0, {"start": self.first_start, "stop": self.first_start.replace(hour=10)})
        ]
        self.other_training.session_ids.action_mark_all_present()
        self.assertEqual(self.other_registration.state, "attended")
        self.administration.invalidate_recordset(["training_attended_count"])
        self.assertEqual(self.administration.training_attended_count, 1)

    def test_partner_form_shows_history(self):
        with Form(self.mo.with_user(self.user)) as form:
            self.assertEqual(form.training_attended_count, 1)
            self.assertEqual(len(form.organization_training_registration_ids), 2)

    def test_employee_without_group_opens_partners(self):
        employee = self.env["res.users"].create(
            {
                "name": "Other Employee",
                "login": "ki_training_partner_employee",
                "group_ids": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        views = self.env["res.partner"].with_user(employee).get_views([(False, "form")])
        self.assertNotIn("training_attended_count", views["views"]["form"]["arch"])
        self.assertEqual(self.mo.with_user(employee).read(["name"])[0]["name"], self.mo.name)
