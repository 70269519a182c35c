from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

MAIL_THROTTLE_PARAM = "kommune_interkulturell.mail_throttle_per_minute"


class KommuneMailThrottle(models.Model):
    """How many mails the mail queue sent in each minute, for the throttle setting
    (mails per minute, for providers that cap them; 0 = no limit).

    Technical: one row per minute in which the queue sent, written only through
    ``_reserve`` (an atomic upsert, safe with several cron workers) and vacuumed after a
    day. Odoo counts sends to personal mail servers the same way (ir.mail_server.
    owner_limit_count) but keeps no count for the whole queue."""

    _name = "kommune.mail.throttle"
    _description = "Mails Sent per Minute"
    _order = "minute desc"
    _log_access = False

    minute = fields.Datetime(required=True, readonly=True)
    mail_count = fields.Integer(string="Mails", readonly=True)

    _minute_unique = models.UniqueIndex("(minute)")

    @api.model
    def _get_limit(self):
        """The throttle: mails per minute, 0 for none."""
        # sudo: a technical setting, read for every user whose action queues mails.
        value = self.env["ir.config_parameter"].sudo().get_param(MAIL_THROTTLE_PARAM, 0)
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return 0

    @api.model
    def _current_minute(self):
        return fields.Datetime.now().replace(second=0, microsecond=0)

    @api.model
    def _reserve(self, wanted, limit):
        """Take up to ``wanted`` sends out of what the current minute still allows.

        :return: how many mails may be sent now
        """
        if wanted <= 0:
            return 0
        minute = self._current_minute()
        self.env.cr.execute(
            SQL(
                "INSERT INTO kommune_mail_throttle (minute, mail_count) VALUES (%s, 0) "
                "ON CONFLICT (minute) DO NOTHING",
                minute,
            )
        )
        # The row lock serializes concurrent queue runs within the same minute.
        self.env.cr.execute(
            SQL(
                """
                WITH window_before AS (
                    SELECT id, mail_count FROM kommune_mail_throttle
                     WHERE minute = %(minute)s FOR UPDATE
                )
                UPDATE kommune_mail_throttle throttle
                   SET mail_count = LEAST(%(limit)s, window_before.mail_count + %(wanted)s)
                  FROM window_before
                 WHERE throttle.id = window_before.id
             RETURNING throttle.mail_count - window_before.mail_count
                """,
                minute=minute,
                limit=limit,
                wanted=wanted,
            )
        )
        granted = self.env.cr.fetchone()[0]
        self.invalidate_model(["mail_count"])
        return max(granted, 0)

    @api.autovacuum
    def _gc_old_minutes(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM kommune_mail_throttle WHERE minute < %s",
                self._current_minute() - timedelta(days=1),
            )
        )
