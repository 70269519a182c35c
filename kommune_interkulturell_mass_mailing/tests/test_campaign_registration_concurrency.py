import threading
import time

from odoo.addons.kommune_interkulturell.tests.common_concurrency import (
    TrainingConcurrencyCommon,
)
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCampaignRegistrationConcurrency(TrainingConcurrencyCommon):
    """The registration form of a personal link decides its seat in a transaction of its
    own: real transactions in their own cursors, committed (see the app's
    common_concurrency)."""

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
