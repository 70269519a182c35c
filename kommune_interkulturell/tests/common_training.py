from datetime import datetime, timedelta

from .common import KommuneCommon


class KommuneTrainingCommon(KommuneCommon):
    """A training with two sessions next year and a few persons of the test network.

    Dates are fixed (naive UTC) and far enough in the future that "now" never reaches
    them unless a test freezes time on purpose."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_planning = cls.env.ref("kommune_interkulturell.training_stage_planning")
        cls.stage_open = cls.env.ref("kommune_interkulturell.training_stage_open")
        cls.stage_done = cls.env.ref("kommune_interkulturell.training_stage_done")
        cls.stage_cancelled = cls.env.ref("kommune_interkulturell.training_stage_cancelled")
        cls.topic_fundraising = cls.env.ref("kommune_interkulturell.training_topic_fundraising")

        # The suite's database speaks German only; the test persons read English so
        # that texts in both languages are checked.
        cls.env["res.lang"]._activate_lang("en_US")
        Partner = cls.env["res.partner"]
        cls.trainer = Partner.create(
            {
                "name": "Test Trainerin Extern",
                "email": "trainerin@test-training.example.org",
                "lang": "en_US",
            }
        )
        cls.persons = Partner.create(
            [
                {
                    "name": f"Test Teilnehmende {index}",
                    "parent_id": cls.mo.id,
                    "email": f"teilnehmende{index}@test-mo.example.org",
                    "lang": "en_US",
                }
                for index in range(1, 6)
            ]
        )
        cls.first_start = datetime(2031, 3, 3, 8, 0)  # 09:00 in Berlin
        cls.training = cls.env["kommune.training"].create(
            {
                "name": "Test Fördermittel beantragen",
                "topic_id": cls.topic_fundraising.id,
                "format": "seminar_series",
                "district_id": cls.district_neukoelln.id,
                "venue_id": cls.mo.id,
                "seats_max": 2,
                "stage_id": cls.stage_open.id,
                "trainer_ids": [(6, 0, cls.trainer.ids)],
                "user_id": cls.user.id,
            }
        )
        cls.sessions = cls.env["kommune.training.session"].create(
            [
                {
                    "training_id": cls.training.id,
                    "start": cls.first_start + timedelta(days=7 * week),
                    "stop": cls.first_start + timedelta(days=7 * week, hours=3),
                }
                for week in range(2)
            ]
        )

    def register(self, persons, training=None, consent=True, **vals):
        """Register and confirm (or waitlist) persons in order, like staff would."""
        training = training or self.training
        Registration = self.env["kommune.training.registration"]
        for person in persons:
            Registration |= training._register_participant(person, consent=consent, **vals)
        return Registration
