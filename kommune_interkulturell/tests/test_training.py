from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_training import KommuneTrainingCommon


@tagged("post_install", "-at_install")
class TestTraining(KommuneTrainingCommon):
    # ------------------------------------------------------------
    # Configuration and stages
    # ------------------------------------------------------------

    def test_shipped_topics_and_stages(self):
        topics = self.env["kommune.training.topic"].search([])
        self.assertGreaterEqual(len(topics), 6)
        self.assertIn("Fundraising", topics.mapped("name"))
        stages = self.env["kommune.training.stage"].search([])
        self.assertEqual(
            stages[:5].mapped("name"),
            ["Planning", "Registration open", "Running", "Completed", "Called off"],
        )
        self.assertEqual(stages.filtered("fold"), self.stage_done | self.stage_cancelled)
        self.assertEqual(stages.filtered("is_cancel"), self.stage_cancelled)

    def test_stages_in_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        stages = self.env["kommune.training.stage"].with_context(lang="de_DE").search([])
        self.assertEqual(
            stages[:5].mapped("name"),
            ["Planung", "Anmeldung offen", "Laufend", "Abgeschlossen", "Abgesagt"],
        )

    def test_new_training_defaults(self):
        training = self.env["kommune.training"].with_user(self.user).create({"name": "Neu"})
        self.assertEqual(training.stage_id, self.stage_planning)
        self.assertEqual(training.user_id, self.user)
        self.assertEqual(training.company_id, self.env.company)
        self.assertEqual(training.language_ids.code, "de")
        self.assertEqual(training.seats_max, 0)
        self.assertFalse(training.date_begin)

    def test_kanban_shows_every_stage(self):
        """Empty stages are columns too (group_expand), folded ones stay folded."""
        Training = self.env["kommune.training"]
        domain = [("id", "=", self.training.id)]
        groups = Training.formatted_read_group(domain, ["stage_id"], ["__count"])
        self.assertEqual(len(groups), 1, "without expansion only the used stage")
        result = Training.with_context(read_group_expand=True).web_read_group(
            domain,
            ["stage_id"],
            ["__count"],
            auto_unfold=True,
            unfold_read_specification={"name": {}},
        )
        stages = self.env["kommune.training.stage"].search([])
        self.assertEqual([g["stage_id"][0] for g in result["groups"]], stages.ids)
        # Folded columns come without their cards.
        folded = {g["stage_id"][0] for g in result["groups"] if "__records" not in g}
        self.assertEqual(folded, set((self.stage_done | self.stage_cancelled).ids))
        counts = {g["stage_id"][0]: g["__count"] for g in result["groups"]}
        self.assertEqual(counts[self.stage_open.id], 1)
        self.assertEqual(counts[self.stage_planning.id], 0)

    # ------------------------------------------------------------
    # Dates and counts
    # ------------------------------------------------------------

    def test_dates_derive_from_sessions(self):
        self.assertEqual(self.training.session_count, 2)
        self.assertEqual(self.training.date_begin, self.first_start)
        self.assertEqual(self.training.date_end, self.first_start + timedelta(days=7, hours=3))
        self.assertEqual(self.training.duration_hours, 6.0)
        later = self.first_start + timedelta(days=30)
        self.sessions[1].write({"start": later, "stop": later + timedelta(hours=4)})
        self.assertEqual(self.training.date_end, later + timedelta(hours=4))
        self.assertEqual(self.training.duration_hours, 7.0)
        self.sessions[0].action_cancel()
        self.assertEqual(self.training.session_count, 1)
        self.assertEqual(self.training.date_begin, later)

    def test_registration_counts(self):
        registrations = self.register(self.persons[:3])
        self.assertEqual(registrations.mapped("state"), ["confirmed", "confirmed", "waitlist"])
        self.env["kommune.training.registration"].create(
            {"training_id": self.training.id, "partner_id": self.persons[3].id}
        )
        training = self.training
        self.assertEqual(training.seats_taken, 2)
        self.assertEqual(training.seats_available, 0)
        self.assertEqual(training.waiting_count, 1)
        self.assertEqual(training.registered_count, 3)
        self.assertEqual(training.registration_count, 4)
        registrations[0].action_cancel()
        self.assertEqual(training.registration_count, 3)
        self.assertEqual(training.seats_taken, 2, "the waiting person moved up")
        self.assertEqual(training.waiting_count, 0)

    # ------------------------------------------------------------
    # Constraints and German messages
    # ------------------------------------------------------------

    def test_negative_seats_refused(self):
        with self.assertRaises(ValidationError):
            self.training.seats_max = -1
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            # Below the ORM too: the database refuses negative seats.
            self.env.cr.execute(
                "UPDATE kommune_training SET seats_max = -3 WHERE id = %s", [self.training.id]
            )

    def test_seats_below_confirmed_refused(self):
        self.register(self.persons[:2])
        with self.assertRaises(ValidationError):
            self.training.seats_max = 1
        self.training.seats_max = 3
        self.training.seats_max = 0  # unlimited is always fine

    def test_database_refuses_overbooking(self):
        """Even a write that bypasses the seat logic cannot overbook the training."""
        registrations = self.register(self.persons[:2])
        extra = self.env["kommune.training.registration"].create(
            {"training_id": self.training.id, "partner_id": self.persons[2].id, "consent": True}
        )
        self.assertEqual(registrations.mapped("state"), ["confirmed", "confirmed"])
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            extra.state = "confirmed"
            self.env.flush_all()

    def test_messages_in_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        training_de = self.training.with_context(lang="de_DE")
        with self.assertRaises(ValidationError) as error:
            training_de.seats_max = -2
        self.assertIn("Plätze", str(error.exception))
        registration = self.env["kommune.training.registration"].create(
            {"training_id": self.training.id, "partner_id": self.persons[0].id}
        )
        with self.assertRaises(UserError) as error:
            registration.with_context(lang="de_DE").action_confirm()
        self.assertIn("Einwilligung", str(error.exception))
        session = self.sessions[0].with_context(lang="de_DE")
        with self.assertRaises(ValidationError) as error:
            session.write({"stop": session.start})
        self.assertIn("Beginn", str(error.exception))

    def test_session_end_before_start_refused(self):
        with self.assertRaises(ValidationError):
            self.env["kommune.training.session"].create(
                {
                    "training_id": self.training.id,
                    "start": datetime(2031, 5, 5, 10),
                    "stop": datetime(2031, 5, 5, 9),
                }
            )

    def test_consent_needs_its_date(self):
        registration = self.env["kommune.training.registration"].create(
            {"training_id": self.training.id, "partner_id": self.persons[0].id, "consent": True}
        )
        self.assertTrue(registration.consent_date)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            registration.consent_date = False
            self.env.flush_all()

    def test_one_registration_per_person(self):
        Registration = self.env["kommune.training.registration"]
        Registration.create({"training_id": self.training.id, "partner_id": self.persons[0].id})
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            Registration.create({"training_id": self.training.id, "partner_id": self.persons[0].id})
            self.env.flush_all()

    # ------------------------------------------------------------
    # The registration entry point
    # ------------------------------------------------------------

    def test_register_participant_is_idempotent(self):
        person = self.persons[0]
        first = self.training._register_participant(person, source="web", consent=True)
        self.assertEqual(first.state, "confirmed")
        self.assertEqual(first.source, "web")
        self.assertEqual(first.organization_id, self.mo)
        self.assertTrue(first.consent_date)
        again = self.training._register_participant(person, source="manual", note="Zweimal")
        self.assertEqual(again, first)
        self.assertEqual(again.state, "confirmed")
        self.assertEqual(again.source, "web", "the first channel is kept")
        self.assertEqual(again.note, "Zweimal")
        self.assertEqual(
            self.env["kommune.training.registration"].search_count(
                [("training_id", "=", self.training.id), ("partner_id", "=", person.id)]
            ),
            1,
        )

    def test_register_participant_states(self):
        Registration = self.env["kommune.training.registration"]
        invited = Registration.create(
            {
                "training_id": self.training.id,
                "partner_id": self.persons[0].id,
                "state": "invited",
                "source": "invitation",
            }
        )
        # Without consent the person is registered, not confirmed.
        registration = self.training._register_participant(self.persons[0], source="web")
        self.assertEqual(registration, invited)
        self.assertEqual(registration.state, "registered")
        self.assertEqual(registration.source, "invitation")
        registration = self.training._register_participant(self.persons[0], consent=True)
        self.assertEqual(registration.state, "confirmed")
        # A cancelled person coming back takes a seat again (if there is one).
        registration.action_cancel()
        registration = self.training._register_participant(self.persons[0], consent=True)
        self.assertEqual(registration.state, "confirmed")
        # confirm=False only registers.
        other = self.training._register_participant(self.persons[1], consent=True, confirm=False)
        self.assertEqual(other.state, "registered")
        with self.assertRaises(ValueError):
            self.training._register_participant(self.persons[2], state="confirmed")

    def test_participants_are_persons(self):
        with self.assertRaises(UserError):
            self.training._register_participant(self.mo, consent=True)
        with self.assertRaises(ValidationError):
            self.env["kommune.training.registration"].create(
                {"training_id": self.training.id, "partner_id": self.mo.id}
            )

    def test_no_registration_on_cancelled_training(self):
        registration = self.env["kommune.training.registration"].create(
            {"training_id": self.training.id, "partner_id": self.persons[1].id, "consent": True}
        )
        self.training.action_cancel()
        self.assertEqual(self.training.stage_id, self.stage_cancelled)
        with self.assertRaises(UserError):
            self.training._register_participant(self.persons[0], consent=True)
        with self.assertRaises(UserError):
            registration.action_confirm()

    # ------------------------------------------------------------
    # Forms (UI logic)
    # ------------------------------------------------------------

    def test_training_form(self):
        with Form(self.env["kommune.training"].with_user(self.user)) as form:
            form.name = "Öffentlichkeitsarbeit für Vereine"
            form.topic_id = self.env.ref("kommune_interkulturell.training_topic_public_relations")
            form.format = "workshop"
            form.seats_max = 12
            form.district_id = self.district_mitte
            form.trainer_ids.add(self.trainer)
            with form.session_ids.new() as session:
                session.start = datetime(2031, 6, 1, 8, 0)
                # The form proposes an end (calendar default duration) and the title.
                self.assertTrue(session.stop and session.stop > session.start)
                self.assertEqual(session.name, "Öffentlichkeitsarbeit für Vereine")
                session.stop = datetime(2031, 6, 1, 12, 0)
            self.assertEqual(form.seats_available, 12)
        training = form.record
        self.assertEqual(training.session_count, 1)
        self.assertEqual(training.date_begin, datetime(2031, 6, 1, 8, 0))
        self.assertEqual(training.seats_available, 12)
        event = training.session_ids.calendar_event_id
        self.assertEqual(event.partner_ids, self.trainer)
        self.assertEqual(event.user_id, self.user)

    def test_registration_form(self):
        with Form(
            self.env["kommune.training.registration"].with_user(self.user),
            view="kommune_interkulturell.kommune_training_registration_view_form",
        ) as form:
            form.training_id = self.training
            form.partner_id = self.persons[0]
            self.assertEqual(form.organization_id, self.mo, "defaults to the person's company")
            self.assertFalse(form.consent_date)
            form.consent = True
            self.assertTrue(form.consent_date, "ticking consent dates it")
        registration = form.record
        self.assertEqual(registration.state, "registered")
        registration.action_confirm()
        self.assertEqual(registration.state, "confirmed")
