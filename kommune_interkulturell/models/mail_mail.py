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

    def _kommune_cancel_for(self, partners):
        """Delete the mails still waiting to go to these persons (part of the erasure):
        an invitation queued for somebody who was just erased must not go out, and the
        queued copy holds their name and address. Sent mails are gone already (mail
        deletes them after sending) or kept as messages, which the erasure cleans.

        :return: the number of mails deleted
        """
        emails = [email for email in partners.mapped("email_normalized") if email]
        recipients = Domain("recipient_ids", "in", partners.ids)
        if emails:
            recipients |= Domain.OR(Domain("email_to", "ilike", email) for email in emails)
        mails = self.search(Domain("state", "in", ("outgoing", "exception")) & recipients)
        count = len(mails)
        mails.unlink()
        return count
