import time
from datetime import UTC, datetime, timedelta

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models
from odoo.sql_db import Cursor
from odoo.tools import SQL
from odoo.tools.misc import hmac

RATE_LIMIT_PARAM = "kommune_interkulturell.public_rate_limit"
# Requests per minute and address on the public pages: plenty for a person (and for a
# district office behind one shared address), little for a script.
DEFAULT_RATE_LIMIT = 60
RATE_LIMIT_SCOPE = "kommune_interkulturell-rate-limit"


class KommuneRateLimit(models.Model):
    """Requests counted per key and time window for the rate limits of the public pages
    (per address, per personal link, per e-mail address signing up).

    Technical: one row per key and window, written only through ``_hit``, an atomic
    upsert in a transaction of its own, so that every worker process sees the same
    counts and a request that fails still counts. Keys are keyed hashes: the table
    holds no IP or e-mail address. Rows are vacuumed after a day."""

    _name = "kommune.rate.limit"
    _description = "Public Page Rate Limit"
    _order = "window_start desc, id desc"
    _log_access = False

    key = fields.Char(required=True, readonly=True, help="A keyed hash of what is counted.")
    window_start = fields.Datetime(required=True, readonly=True)
    hits = fields.Integer(readonly=True)

    _key_window_unique = models.UniqueIndex("(key, window_start)")

    @api.model
    def _get_limit(self):
        """Requests per minute and address (the system parameter, default 60)."""
        # sudo: a technical setting, read on public pages.
        value = self.env["ir.config_parameter"].sudo().get_param(RATE_LIMIT_PARAM)
        try:
            return max(int(value), 1) if value else DEFAULT_RATE_LIMIT
        except (TypeError, ValueError):
            return DEFAULT_RATE_LIMIT

    @api.model
    def _hit(self, scope, value, limit, period=60):
        """Count one request of ``value`` (e.g. an IP address) in ``scope`` and tell
        whether it is over ``limit`` requests per ``period`` seconds.

        :return: 0 when the request may go on, else the seconds until it may be retried
        """
        now = time.time()
        start = int(now // period * period)
        digest = hmac(self.env(su=True), RATE_LIMIT_SCOPE, (scope, str(value)))
        key = f"{scope}:{digest[:40]}"
        window = datetime.fromtimestamp(start, UTC).replace(tzinfo=None)
        # A cursor of its own: the count is committed at once, outside the request's
        # transaction (which may fail or roll back), and its row lock is held only for
        # the upsert, not for the whole request.
        with self.env.registry.cursor() as cr:
            if isinstance(cr, Cursor):  # not the test cursor, which shares a transaction
                # Read committed: concurrent upserts of one key (a burst from one
                # address) wait for each other and count on, where Odoo's repeatable
                # read would fail them with serialization errors. The next cursor on this
                # connection sets Odoo's level again.
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            cr.execute(
                SQL(
                    "INSERT INTO kommune_rate_limit (key, window_start, hits) "
                    "VALUES (%s, %s, 1) ON CONFLICT (key, window_start) "
                    "DO UPDATE SET hits = kommune_rate_limit.hits + 1 RETURNING hits",
                    key,
                    window,
                )
            )
            hits = cr.fetchone()[0]
        if hits <= limit:
            return 0
        return max(int(start + period - now), 1)

    @api.autovacuum
    def _gc_windows(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM kommune_rate_limit WHERE window_start < %s",
                fields.Datetime.now() - timedelta(days=1),
            )
        )
