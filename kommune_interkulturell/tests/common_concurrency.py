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
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase


class TrainingConcurrencyCommon(TransactionCase):
    """Two persons registered for a training of one seat, committed, and deleted again
    after the test; transactions of their own to race with."""

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
