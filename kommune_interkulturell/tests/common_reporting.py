from datetime import datetime, timedelta

from odoo.tests import new_test_user

from .common_training import KommuneTrainingCommon


class KommuneReportingCommon(KommuneTrainingCommon):
    """A funding period 2031 and its predecessor 2030, a reporting user, and helpers to
    build trainings with sessions and attendance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reporter = new_test_user(
            cls.env,
            login="ki_reporter",
            name="Rita Reporting",
            groups="kommune_interkulturell.group_kommune_reporting",
        )
        Period = cls.env["kommune.funding.period"]
        cls.period_2030 = Period.create(
            {"name": "Test Periode 2030", "date_start": "2030-01-01", "date_end": "2030-12-31"}
        )
        cls.period = Period.create(
            {"name": "Test Periode 2031", "date_start": "2031-01-01", "date_end": "2031-12-31"}
        )

    @classmethod
    def make_training(cls, name, start, session_hours, **vals):
        """A training with a session of each length in ``session_hours``, a week apart,
        starting at ``start`` (naive UTC)."""
        training = (
            cls.env["kommune.training"]
            .with_context(kommune_training_no_mail=True)
            .create(
                {
                    "name": name,
                    "stage_id": cls.stage_open.id,
                    "seats_max": 50,
                    "user_id": cls.user.id,
                    **vals,
                }
            )
        )
        cls.env["kommune.training.session"].with_context(no_mail_to_attendees=True).create(
            [
                {
                    "training_id": training.id,
                    "start": start + timedelta(days=7 * index),
                    "stop": start + timedelta(days=7 * index, hours=hours),
                }
                for index, hours in enumerate(session_hours)
            ]
        )
        return training

    @classmethod
    def attend(cls, training, persons, sessions=None):
        """Register, confirm and mark persons present at the given sessions (all by
        default)."""
        training = training.with_context(kommune_training_no_mail=True, no_mail_to_attendees=True)
        for person in persons:
            training._register_participant(person, consent=True)
        training._sync_participants()
        sessions = sessions if sessions is not None else training.session_ids
        sessions.attendance_ids.filtered(lambda line: line.partner_id in persons).write(
            {"present": True}
        )


START_2031 = datetime(2031, 2, 3, 8, 0)
START_2030 = datetime(2030, 11, 4, 8, 0)
