from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import KommuneTourCase


@tagged("post_install", "-at_install")
class TestTrainingUi(KommuneTourCase):
    def test_training_tour(self):
        """Trainings kanban, a training's form and its registrations, as a plain User
        working in German; the tour confirms a seat from the registrations list."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["res.users"].create(
            {
                "name": "Training Tour User",
                "login": "ki_training_tour",
                "password": "ki_training_tour",
                "lang": "de_DE",
                "group_ids": [
                    (6, 0, [self.env.ref("kommune_interkulturell.group_kommune_user").id])
                ],
            }
        )
        training = self.env["kommune.training"].create(
            {
                "name": "Tour Schulung Fördermittel",
                "stage_id": self.env.ref("kommune_interkulturell.training_stage_open").id,
                "district_id": self.env.ref("kommune_interkulturell.district_berlin_neukoelln").id,
                "seats_max": 10,
            }
        )
        start = datetime.now().replace(microsecond=0) + timedelta(days=20)
        self.env["kommune.training.session"].create(
            {"training_id": training.id, "start": start, "stop": start + timedelta(hours=3)}
        )
        person = self.env["res.partner"].create({"name": "Tour Teilnehmerin"})
        self.env["kommune.training.registration"].create(
            {"training_id": training.id, "partner_id": person.id, "consent": True}
        )
        self.start_tour("/odoo", "kommune_training_tour", login="ki_training_tour")
        self.assertEqual(training.registration_ids.state, "confirmed")
