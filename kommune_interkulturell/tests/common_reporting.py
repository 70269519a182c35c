from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
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
        # The company's own periods (the demo's, when installed) would overlap.
        Period.search([]).action_archive()
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

# Every figure is checked after the fixture's last session (freeze_time: "meetings held").
AFTER = "2032-01-15"


class KommuneReportingNetworkCommon(KommuneReportingCommon):
    """The funder's figures on a small network whose every number is known:

    ============ ======================= ====== ===========================================
    person       trainings (hours)       2031   why
    ============ ======================= ====== ===========================================
    P0 (MO)      T1 9 h, T2 8 h; T0 2030 17 h   two trainings, counted once; also in 2030
    P1 (MO)      T1 9 h                  9 h    questionnaire all "no answer"
    P2 (MO)      T3 2 h                  2 h    short contact (questionnaire not counted)
    P3 (MO)      T1 one session, T3      5 h    short contact in two trainings
    P4 (MO)      T1, never present       0 h    not counted
    Petra (BA)   T2 8 h                  8 h    exactly the threshold: a participant
    ============ ======================= ====== ===========================================

    T1 starts 3 February 2031 (Q1, Neukölln), T2 7 April (Q2, Mitte), T3 5 May (Q2, one
    session of 2 h), T0 4 November 2030. A cooperation (MO 2, the administration) runs
    from March 2031 with two meetings, one cancelled; another ended in 2029."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The company's own cooperations (the demo network's, when installed) would add
        # to the company's figures: the fixture is the whole network.
        cls.env["kommune.cooperation"].search([]).action_archive()
        Partner = cls.env["res.partner"]
        cls.admin_person = Partner.create(
            {
                "name": "Test Petra Verwaltung",
                "parent_id": cls.administration.id,
                "network_role": "administration",
            }
        )
        cls.mo_2 = Partner.create(
            {
                "name": "Test MO Zwei e.V.",
                "is_company": True,
                "organization_type_id": cls.type_mo.id,
                "district_id": cls.district_mitte.id,
            }
        )
        p0, p1, p2, p3, p4 = cls.persons
        cls.p0, cls.p2 = p0, p2
        cls.t1 = cls.make_training(
            "Test T1",
            START_2031,
            [3, 3, 3],
            district_id=cls.district_neukoelln.id,
            topic_id=cls.topic_fundraising.id,
            target_audience="mo_fulltime",
        )
        cls.t2 = cls.make_training(
            "Test T2", datetime(2031, 4, 7, 8, 0), [4, 4], district_id=cls.district_mitte.id
        )
        cls.t3 = cls.make_training(
            "Test T3", datetime(2031, 5, 5, 16, 0), [2], district_id=cls.district_mitte.id
        )
        cls.t0 = cls.make_training("Test T0", START_2030, [4, 4])
        cls.attend(cls.t1, p0 | p1)
        cls.attend(cls.t1, p3, sessions=cls.t1.session_ids[:1])
        cls.attend(cls.t1, p4, sessions=cls.t1.session_ids[:0])
        cls.attend(cls.t2, p0 | cls.admin_person)
        cls.attend(cls.t3, p2 | p3)
        cls.attend(cls.t0, p0)

        Questionnaire = cls.env["kommune.participant.questionnaire"]
        Questionnaire.create(
            {
                "partner_id": p0.id,
                "period_id": cls.period.id,
                "gender": "female",
                "employment_status": "employed",
                "age_group": "30_54",
                "education": "isced_5_8",
                "third_country_national": "yes",
                "foreign_background": "yes",
                "special_consent": True,
                "disability": "yes",
            }
        )
        Questionnaire.create(
            {
                "partner_id": p1.id,
                "period_id": cls.period.id,
                "zip": "10115",
                **dict.fromkeys(
                    (
                        "gender",
                        "employment_status",
                        "age_group",
                        "education",
                        "third_country_national",
                        "foreign_background",
                    ),
                    "no_answer",
                ),
            }
        )
        # Staff filled one in for a short contact: it must not count.
        Questionnaire.create({"partner_id": p2.id, "period_id": cls.period.id, "gender": "male"})

        stage = cls.env.ref("kommune_interkulturell.cooperation_stage_active")
        cls.stage = stage
        Cooperation = cls.env["kommune.cooperation"]
        cls.cooperation = Cooperation.create(
            {
                "name": "Test Kooperation 2031",
                "user_id": cls.user.id,
                "stage_id": stage.id,
                "district_id": cls.district_spandau.id,
                "date_start": "2031-03-01",
                "member_ids": [
                    Command.create({"partner_id": cls.mo_2.id}),
                    Command.create({"partner_id": cls.administration.id}),
                ],
            }
        )
        Cooperation.create(
            {
                "name": "Test Kooperation beendet",
                "user_id": cls.user.id,
                "date_start": "2028-01-01",
                "date_end": "2029-12-31",
                "member_ids": [Command.create({"partner_id": cls.mo_2.id})],
            }
        )
        Event = cls.env["calendar.event"].with_context(no_mail_to_attendees=True)
        meetings = Event.create(
            [
                {
                    "name": f"Test Treffen {index}",
                    "cooperation_id": cls.cooperation.id,
                    "start": datetime(2031, 6, 10 + index, 9, 0),
                    "stop": datetime(2031, 6, 10 + index, 10, 0),
                    "partner_ids": [],
                }
                for index in range(2)
            ]
        )
        meetings[1].active = False

    def indicators(self, period=None, user=None, **kwargs):
        period = (period or self.period).with_user(user or self.user)
        with freeze_time(AFTER):
            return period._get_indicators(**kwargs)
