import threading
import time

from psycopg2.errors import SerializationFailure

from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_concurrency import TrainingConcurrencyCommon


@tagged("post_install", "-at_install")
class TestTrainingConcurrency(TrainingConcurrencyCommon):
    """Seats under concurrency: real transactions in their own cursors, committed (see
    common_concurrency)."""

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
