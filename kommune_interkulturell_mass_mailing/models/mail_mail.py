from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.model
    def process_email_queue(self, email_ids=(), batch_size=1000):
        """Apply the throttle (Settings: mails per minute) where the queue is processed:
        each run sends what the current minute still allows, oldest mails first, and
        wakes the queue up again at the next minute while mails wait. Mails still go
        through Odoo's own sending, in its batches (mail.session.batch.size)."""
        Throttle = self.env["kommune.mail.throttle"]
        limit = Throttle._get_limit()
        if not limit:
            return super().process_email_queue(email_ids=email_ids, batch_size=batch_size)
        # Mails failed for an unreachable mail server count as due again before the
        # minute's share is taken (the app queues them again in super as well, where
        # nothing is left to do then).
        self._kommune_requeue_connection_failures(email_ids)
        now = fields.Datetime.now()
        # The queue's own selection (see super), restricted to the given mails.
        domain = Domain("state", "=", "outgoing") & (
            Domain("scheduled_date", "=", False) | Domain("scheduled_date", "<=", now)
        )
        if email_ids:
            domain &= Domain("id", "in", list(email_ids))
        if self.env.context.get("filters"):
            domain &= Domain(self.env.context["filters"])
        due = self.search(domain, order="id", limit=limit + 1)
        allowed = due[: Throttle._reserve(min(len(due), limit), limit)]
        if len(due) > len(allowed):
            # sudo: waking the queue up is a technical step of sending, whoever queued.
            self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger(
                at=Throttle._current_minute() + timedelta(minutes=1)
            )
        if not allowed:
            return None
        return super(
            MailMail, self.with_context(filters=[("id", "in", allowed.ids)])
        ).process_email_queue(batch_size=batch_size)

    @api.model
    def _kommune_requeue_connection_failures(self, email_ids=()):
        # Their mailing traces go back to outgoing as well, so that the mailings'
        # statistics do not count them as failed while they wait.
        mails = super()._kommune_requeue_connection_failures(email_ids)
        mails.mailing_trace_ids.filtered(lambda trace: trace.trace_status == "error").write(
            {"trace_status": "outgoing", "failure_type": False}
        )
        return mails
