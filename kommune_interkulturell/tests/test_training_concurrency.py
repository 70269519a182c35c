"""Seats under concurrency: real transactions in their own cursors, committed.

These tests cannot live inside the test transaction (one transaction cannot race with
itself): they commit their data through separate cursors, as two users' requests would,
and delete it again afterwards.

The cursors come from the database connection pool itself, not from
``self.registry.cursor()``, which hands out cursors wrapping the test's own transaction
while the registry is in test mode: they would neither see the committed data nor run
in parallel. Under Odoo's test runner (odoo-bin --test-tags) the main thread also holds
the registries' lock for the whole run, so the threads would wait forever to look up
the registry (as the request threads of HttpCase would, which is why HttpCase lifts that
lock the same way)."""

import threading
import time
from contextlib import contextmanager

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.service.model import retrying
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTrainingConcurrency(TransactionCase):
    @contextmanager
    def transaction(self):
        """An environment on a connection of its own: an independent transaction,
        committed when the block ends without error, as one user's request."""
        with db_connect(self.env.cr.dbname).cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def setUp(self):
        super().setUp()
        self.patch(Registry, "_lock", DummyRLock())
        with self.transaction() as env:
            training = env["kommune.training"].create({"name": "KI-Concurrency", "seats_max": 1})
            persons = env["res.partner"].create(
                [{"name": f"KI-Concurrency Person {index}"} for index in range(2)]
            )
            registrations = env["kommune.training.registration"].create(
                [
                    {"training_id": training.id, "partner_id": person.id, "consent": True}
                    for person in persons
                ]
            )
            self.training_id = training.id
            self.partner_ids = persons.ids
            self.registration_ids = registrations.ids
        self.addCleanup(self._delete_data)

    def _delete_data(self):
        with self.transaction() as env:
            registrations = env["kommune.training.registration"].search(
                [("training_id", "=", self.training_id)]
            )
            env["mail.mail"].search(
                [("model", "=", registrations._name), ("res_id", "in", registrations.ids)]
            ).unlink()
            env["kommune.training"].browse(self.training_id).exists().unlink()
            # Consents are never deleted through the application (they are evidence);
            # this committed test data goes by SQL so that its persons can go too.
            env.cr.execute(
                "DELETE FROM kommune_consent WHERE partner_id IN %s", [tuple(self.partner_ids)]
            )
            env["res.partner"].browse(self.partner_ids).exists().unlink()

    def _states(self):
        with self.transaction() as env:
            training = env["kommune.training"].browse(self.training_id)
            return sorted(training.registration_ids.mapped("state")), training.seats_taken

    def _run_threads(self, *targets):
        threads = [threading.Thread(target=target, daemon=True) for target in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a transaction hung")

    @mute_logger("odoo.sql_db")  # the serialization failures provoked here
    def test_two_users_confirm_the_last_seat(self):
        """Two requests confirm the last seat at the same moment: one gets it, the other
        lands on the waitlist. Each runs like an RPC call (odoo.service.model.retrying:
        rollback and retry on serialization failures)."""
        barrier = threading.Barrier(2, timeout=30)
        attempts, results, errors = [], {}, []

        def confirm(registration_id):
            try:
                with self.transaction() as env:

                    def call():
                        attempts.append(registration_id)
                        registration = env["kommune.training.registration"].browse(registration_id)
                        # Start both transactions (and their snapshots) before either
                        # one decides, then decide at the same moment.
                        registration.read(["state"])
                        if attempts.count(registration_id) == 1:
                            barrier.wait()
                        registration.action_confirm()
                        return registration.state

                    results[registration_id] = retrying(call, env)
            except Exception as error:  # reported by the main thread
                errors.append(error)

        first, second = self.registration_ids
        self._run_threads(lambda: confirm(first), lambda: confirm(second))
        self.assertFalse(errors, errors)
        self.assertEqual(sorted(results.values()), ["confirmed", "waitlist"])
        self.assertEqual(self._states(), (["confirmed", "waitlist"], 1))
        self.assertEqual(len(attempts), 3, "the later request had to decide again")

    @mute_logger("odoo.sql_db")  # the serialization failures provoked here
    def test_confirmation_waits_for_the_seat_lock(self):
        """While one transaction decides about a training's seats, a confirmation in
        another transaction waits instead of counting seats that may be gone."""
        holder_has_lock = threading.Event()
        release = threading.Event()
        outcome = {}

        def hold_lock():
            with self.transaction() as env:
                training = env["kommune.training"].browse(self.training_id)
                training._lock_seats()
                holder_has_lock.set()
                release.wait(timeout=30)
                # Take the seat for someone else before letting go.
                training.registration_ids[0].state = "confirmed"
                env.flush_all()

        def confirm_second():
            holder_has_lock.wait(timeout=30)
            with self.transaction() as env:
                registration = env["kommune.training.registration"].browse(self.registration_ids[1])
                outcome["started"] = time.monotonic()
                try:
                    registration.action_confirm()
                    env.flush_all()
                    outcome["state"] = registration.state
                except SerializationFailure:
                    # What the RPC layer retries: the seat decision saw stale data.
                    outcome["state"] = "retry"
                    env.cr.rollback()
                outcome["finished"] = time.monotonic()

        waiter = threading.Thread(target=confirm_second, daemon=True)
        holder = threading.Thread(target=hold_lock, daemon=True)
        holder.start()
        waiter.start()
        holder_has_lock.wait(timeout=30)
        time.sleep(1.0)
        self.assertNotIn("finished", outcome, "the confirmation must wait for the lock")
        release.set()
        holder.join(timeout=60)
        waiter.join(timeout=60)
        self.assertFalse(holder.is_alive() or waiter.is_alive(), "a transaction hung")
        self.assertEqual(outcome.get("state"), "retry")
        self.assertEqual(self._states(), (["confirmed", "registered"], 1))

    def _hold_lock_then(self, change, holder_has_lock, release):
        """A transaction that takes the training's seat lock, waits for ``release``,
        makes ``change`` (a function of the training) and commits."""

        def hold():
            with self.transaction() as env:
                training = env["kommune.training"].browse(self.training_id)
                training._lock_seats()
                holder_has_lock.set()
                release.wait(timeout=30)
                change(training)

        return hold

    def _register_publicly(self, outcome):
        """The registration form of a personal link, as its request runs it: the
        request's transaction has read the training before the registration decides."""

        def register():
            try:
                with self.transaction() as env:
                    training = env["kommune.training"].browse(self.training_id)
                    partner = env["res.partner"].browse(self.partner_ids[1])
                    training.read(["seats_taken"])
                    outcome["registration_id"] = training._register_participant_public(
                        partner, source="invitation", consent=True
                    )
                    outcome["finished"] = time.monotonic()
            except Exception as error:  # reported by the main thread
                outcome["error"] = error

        return register

    def _run_with_holder(self, change, outcome):
        holder_has_lock, release = threading.Event(), threading.Event()
        holder = threading.Thread(
            target=self._hold_lock_then(change, holder_has_lock, release), daemon=True
        )
        holder.start()
        self.assertTrue(holder_has_lock.wait(timeout=30))
        public = threading.Thread(target=self._register_publicly(outcome), daemon=True)
        public.start()
        time.sleep(1.0)
        self.assertNotIn("finished", outcome, "the registration must wait for the seat lock")
        release.set()
        for thread in (holder, public):
            thread.join(timeout=60)
        self.assertFalse(holder.is_alive() or public.is_alive(), "a transaction hung")
        self.assertNotIn("error", outcome)

    def test_public_registration_waits_for_the_seat_lock_without_failing(self):
        """While another transaction takes the last seat, a registration through the
        public form waits for the seat lock and then decides on the seats as committed:
        no serialization failure (which Odoo would retry a limited number of times), no
        overbooking, one waitlist mail."""
        with self.transaction() as env:
            env["res.partner"].browse(self.partner_ids[1]).email = "ki-concurrency@example.org"

        def take_last_seat(training):
            training.registration_ids.filtered(
                lambda registration: registration.partner_id.id == self.partner_ids[0]
            ).action_confirm()

        outcome = {}
        self._run_with_holder(take_last_seat, outcome)
        self.assertEqual(outcome["registration_id"], self.registration_ids[1])
        self.assertEqual(self._states(), (["confirmed", "waitlist"], 1))
        with self.transaction() as env:
            registration = env["kommune.training.registration"].browse(self.registration_ids[1])
            self.assertEqual(registration.source, "manual", "kept from the first registration")
            mails = env["mail.mail"].search(
                [("model", "=", registration._name), ("res_id", "=", registration.id)]
            )
            self.assertEqual(len(mails), 1, "one waitlist mail")
            self.assertEqual(mails.recipient_ids.ids, [self.partner_ids[1]])

    def test_public_registration_reads_the_training_after_the_wait(self):
        """The training was called off while the public registration waited for the seat
        lock: it reads the training as it is now and registers nobody."""

        def call_off(training):
            training.action_cancel()

        outcome = {}
        self._run_with_holder(call_off, outcome)
        self.assertIsNone(outcome["registration_id"])
        self.assertEqual(self._states(), (["registered", "registered"], 0))
