from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common_cooperation import CooperationCommon

DIALOGUE_TYPE = "kommune_interkulturell.mail_activity_type_cooperation_dialogue"


@tagged("post_install", "-at_install")
class TestCooperationDialogue(CooperationCommon):
    """The daily follow-up of the continuous dialogue, day by day (freeze_time)."""

    def _dialogue_activities(self, cooperations):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "kommune.cooperation"),
                ("res_id", "in", cooperations.ids),
                ("activity_type_id", "=", self.env.ref(DIALOGUE_TYPE).id),
            ]
        )

    def test_cron_reminds_once_per_overdue_cooperation(self):
        Cooperation = self.env["kommune.cooperation"]
        # The reminder speaks the language of the person who reads it.
        self.env["res.lang"]._activate_lang("de_DE")
        self.user.lang = "en_US"
        self.manager.lang = "de_DE"
        with freeze_time("2026-01-05 10:00:00"):
            overdue = self._create_cooperation("Überfällig", user_id=self.user.id)
            overdue_too = self._create_cooperation("Auch überfällig", user_id=self.manager.id)
            recent = self._create_cooperation("Kürzlich gesprochen")
            closed = self._create_cooperation("Beendet", stage_id=self.stage_paused.id)
            planned = self._create_cooperation("Treffen geplant")
            no_follow_up = self._create_cooperation(
                "Ohne Intervall",
                kind_id=self.env["kommune.cooperation.kind"]
                .create({"name": "Lose Kontakte", "dialogue_interval": 0})
                .id,
            )
            for coop in overdue | overdue_too | recent | closed | planned | no_follow_up:
                self._create_meeting(coop, datetime(2026, 1, 5, 9, 0))
            # Stored dates are computed at flush: flush while the clock is frozen.
            self.env.flush_all()
        everyone = overdue | overdue_too | recent | closed | planned | no_follow_up
        self.assertEqual(overdue.dialogue_due_date, date(2026, 3, 6))

        with freeze_time("2026-03-01 10:00:00"):
            self._create_meeting(recent, datetime(2026, 2, 27, 9, 0))
            self._create_meeting(planned, datetime(2026, 3, 20, 9, 0))
            self.env.flush_all()

        # Day 60 after the contact: still in time.
        with freeze_time("2026-03-06 04:00:00"):
            self.assertFalse(Cooperation._cron_dialogue_followup())
            self.assertFalse(self._dialogue_activities(everyone))

        with freeze_time("2026-03-07 04:00:00"):
            reminded = Cooperation._cron_dialogue_followup()
            self.assertEqual(reminded, overdue | overdue_too)
            activities = self._dialogue_activities(everyone)
            self.assertEqual(len(activities), 2)
            by_record = {activity.res_id: activity for activity in activities}
            self.assertEqual(by_record[overdue.id].user_id, self.user)
            self.assertEqual(by_record[overdue_too.id].user_id, self.manager)
            self.assertEqual(str(by_record[overdue.id].date_deadline), "2026-03-07")
            self.assertEqual(
                by_record[overdue.id].summary, "No contact for 61 days: get back in touch"
            )
            self.assertEqual(
                by_record[overdue_too.id].summary,
                "Seit 61 Tagen kein Kontakt: wieder Kontakt aufnehmen",
            )
            self.assertTrue(overdue.is_dialogue_overdue)
            self.assertEqual(
                Cooperation.search(
                    [("is_dialogue_overdue", "=", True), ("id", "in", everyone.ids)]
                ),
                overdue | overdue_too,
            )
            self.assertEqual(
                Cooperation.search(
                    [("is_dialogue_overdue", "=", False), ("id", "in", everyone.ids)]
                ),
                recent | closed | planned | no_follow_up,
            )

        # Not every day: the next run leaves them alone, even if the to-do was deleted.
        with freeze_time("2026-03-08 04:00:00"):
            by_record[overdue_too.id].unlink()
            self.assertFalse(Cooperation._cron_dialogue_followup())
            self.assertEqual(self._dialogue_activities(everyone), by_record[overdue.id])

        # Getting back in touch (the to-do marked done) resets the clock; 61 days later
        # the cooperation is due again and gets a new reminder. By then the one met on
        # 27 February is overdue too; the other one still waits for a contact.
        with freeze_time("2026-03-09 11:00:00"):
            by_record[overdue.id].action_feedback(feedback="Telefoniert")
            self.env.flush_all()
            self.assertFalse(overdue.is_dialogue_overdue)
            self.assertEqual(overdue.days_since_contact, 0)
        with freeze_time("2026-05-09 04:00:00"):
            self.assertEqual(Cooperation._cron_dialogue_followup(), overdue | recent)

    def test_cron_counts_meetings_whose_time_came(self):
        # Planned on day 1 for day 20: the meeting becomes the last contact when its day
        # has come, although nothing is written then.
        with freeze_time("2026-01-01 10:00:00"):
            coop = self._create_cooperation(
                "Geplantes Treffen", member_ids=[Command.create({"partner_id": self.mo.id})]
            )
            meeting = self._create_meeting(coop, datetime(2026, 1, 20, 9, 0))
            self.env.flush_all()
        self.assertFalse(coop.date_last_contact)
        with freeze_time("2026-01-21 04:00:00"):
            self.env["kommune.cooperation"].with_context(
                lastcall=datetime(2026, 1, 20, 4, 0)
            )._cron_dialogue_followup()
            self.assertEqual(coop.date_last_contact, meeting.start)
            self.assertEqual(self.mo.date_last_contact, meeting.start)
            self.assertEqual(coop.dialogue_due_date, date(2026, 3, 21))

    def test_kanban_marks_overdue_cards(self):
        with freeze_time("2026-01-01 10:00:00"):
            coop = self._create_cooperation(
                "Lange still", member_ids=[Command.create({"partner_id": self.mo.id})]
            )
            self.env.flush_all()
        with freeze_time("2026-04-01 10:00:00"):
            records = (
                self.env["kommune.cooperation"]
                .with_user(self.user)
                .web_search_read(
                    [("id", "=", coop.id)],
                    {"is_dialogue_overdue": {}, "days_since_contact": {}, "date_last_contact": {}},
                )["records"]
            )
            self.assertTrue(records[0]["is_dialogue_overdue"])
            self.assertFalse(records[0]["date_last_contact"])
            member = coop.member_ids
            self.assertTrue(member.is_dialogue_overdue, "the dialogue report marks it too")


@tagged("post_install", "-at_install")
class TestCooperationReporting(CooperationCommon):
    def test_read_group_by_district(self):
        Cooperation = self.env["kommune.cooperation"]
        neukoelln_admin = self.env["res.partner"].create(
            {
                "name": "Test Bezirksamt Neukölln",
                "is_company": True,
                "organization_type_id": self.type_integration.id,
                "district_id": self.district_neukoelln.id,
            }
        )
        spandau = self.cooperation | self._create_cooperation(
            "Zweite in Spandau",
            member_ids=[Command.create({"partner_id": self.administration.id})],
            stage_id=self.stage_active.id,
        )
        neukoelln = self._create_cooperation(
            "In Neukölln",
            member_ids=[
                Command.create({"partner_id": neukoelln_admin.id}),
                Command.create({"partner_id": self.mo.id}),
                Command.create({"partner_id": self.labour_actor.id}),
            ],
        )
        ended = self._create_cooperation(
            "Beendet in Neukölln",
            district_id=self.district_neukoelln.id,
            stage_id=self.stage_paused.id,
        )
        mine = spandau | neukoelln | ended
        self.assertEqual(spandau.district_id, self.district_spandau)
        self.assertEqual(neukoelln.district_id, self.district_neukoelln)

        live = Cooperation._read_group(
            [("id", "in", mine.ids), ("stage_id.fold", "=", False)], ["district_id"], ["__count"]
        )
        self.assertEqual(dict(live), {self.district_spandau: 2, self.district_neukoelln: 1})
        by_stage = Cooperation.with_context(read_group_expand=True).formatted_read_group(
            [("id", "in", mine.ids), ("district_id", "=", self.district_neukoelln.id)],
            ["stage_id"],
            ["__count"],
        )
        counts = {group["stage_id"][0]: group["__count"] for group in by_stage}
        self.assertEqual(counts[self.stage_contact.id], 1)
        self.assertEqual(counts[self.stage_paused.id], 1)
        self.assertEqual(counts[self.stage_active.id], 0, "every stage is a group")

        # The "Dialogue" pivot: who is in touch, per district and type category.
        Member = self.env["kommune.cooperation.member"].with_user(self.user)
        dialogue = Member._read_group(
            [("cooperation_id", "in", mine.ids), ("stage_id.fold", "=", False)],
            ["district_id", "organization_category"],
            ["partner_id:count_distinct", "cooperation_id:count_distinct"],
        )
        self.assertEqual(
            {(district.name, category): counts for district, category, *counts in dialogue},
            {
                ("Spandau", "administration"): [1, 2],
                ("Spandau", "migrant_organization"): [1, 1],
                ("Neukölln", "administration"): [1, 1],
                ("Neukölln", "migrant_organization"): [1, 1],
                ("Neukölln", "labour_market"): [1, 1],
            },
        )

    def test_dialogue_due_counts_berlin_days(self):
        # Met at half past midnight in Berlin (still the day before in UTC): the
        # interval counts from the Berlin day, as "days since contact" does.
        env = self.env(context=dict(self.env.context, tz="Europe/Berlin"))
        with freeze_time("2026-01-05 10:00:00"):
            coop = self._create_cooperation("Test Kooperation Mitternacht").with_env(env)
            coop.date_start = date(2026, 1, 5)
        with freeze_time("2026-01-20 10:00:00"):
            env["calendar.event"].create(
                {
                    "name": "Spätes Treffen",
                    "cooperation_id": coop.id,
                    "start": datetime(2026, 1, 10, 23, 30),
                    "stop": datetime(2026, 1, 11, 0, 30),
                }
            )
            self.env.flush_all()
            self.assertEqual(coop.days_since_contact, 9)
            self.assertEqual(coop.dialogue_due_date, date(2026, 3, 12), "11 January + 60 days")
