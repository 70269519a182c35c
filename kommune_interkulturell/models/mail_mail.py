from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.fields import Domain
from odoo.tools import email_normalize, email_normalize_all
from odoo.tools.mail import email_split_and_format

from .mail_message import replace_terms

# Mails that could not leave because the mail server was unreachable are put back into
# the queue at its next runs for this long after they were created; afterwards they stay
# failed (staff can still retry them by hand) instead of being retried forever.
MAIL_SMTP_RETRY_HOURS = 24


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.model
    def process_email_queue(self, email_ids=(), batch_size=1000):
        """Mails that failed because the mail server was unreachable are queued again
        first (see _kommune_requeue_connection_failures): an outage delays a campaign
        instead of losing the rest of it."""
        self._kommune_requeue_connection_failures(email_ids)
        return super().process_email_queue(email_ids=email_ids, batch_size=batch_size)

    def _postprocess_sent_message(
        self, success_pids, success_emails, failure_reason=False, failure_type=None
    ):
        # When Odoo cannot connect to the mail server (mail.mail.send) it marks the mails'
        # notifications and mailing traces "mail_smtp" but leaves the mails' own failure
        # type empty: record it, so that these mails can be told from mails the server
        # refused (invalid recipient, rejected sender), which must not be sent again.
        if failure_type == "mail_smtp":
            self.write({"failure_type": "mail_smtp"})
        return super()._postprocess_sent_message(
            success_pids, success_emails, failure_reason=failure_reason, failure_type=failure_type
        )

    @api.model
    def _kommune_requeue_connection_failures(self, email_ids=()):
        """Put mails that failed only because the mail server was unreachable back into
        the queue, for MAIL_SMTP_RETRY_HOURS after their creation.

        Odoo's queue sends outgoing mails only and never retries failed ones by itself:
        after an outage, the rest of a campaign would stay failed. Such a mail was never
        handed over (Odoo connects before sending anything), so sending it again cannot
        reach anybody twice. Each run of the queue (hourly, and whenever mails are
        queued) retries them once.

        :param email_ids: only these mails (as ``process_email_queue``), all if empty
        :return: the mails queued again
        """
        domain = (
            Domain("state", "=", "exception")
            & Domain("failure_type", "=", "mail_smtp")
            & Domain(
                "create_date", ">=", fields.Datetime.now() - timedelta(hours=MAIL_SMTP_RETRY_HOURS)
            )
        )
        if email_ids:
            domain &= Domain("id", "in", list(email_ids))
        if self.env.context.get("filters"):  # the queue's own restriction (see super)
            domain &= Domain(self.env.context["filters"])
        # Not bounded: failed mails of the last day, a handful unless an outage hit a
        # campaign - and then all of them must go back into the queue.
        mails = self.search(domain)
        if mails:
            mails.write({"state": "outgoing", "failure_type": False, "failure_reason": False})
        return mails

    def _kommune_cancel_for(self, partners, found=None, identities=()):
        """Take these persons out of the mails still held (part of the erasure).

        - A mail only for them is deleted, whatever its state: an invitation queued for
          somebody who was just erased must not go out, and a kept copy holds their name,
          address and personal links.
        - A mail for them and others goes to the others only.
        - A mail naming them (``found`` by the privacy lookup) gets their name and
          address replaced in its body.

        :param found: mails the privacy lookup found for them
        :param identities: the persons' ``(name, normalized e-mail)`` before erasure
        :return: the ids of the mails deleted
        """
        emails = {email for email in partners.mapped("email_normalized") if email}
        recipients = Domain("recipient_ids", "in", partners.ids)
        if emails:
            recipients |= Domain.OR(Domain("email_to", "ilike", email) for email in emails)
        mails = (found or self.browse()) | self.search(
            Domain("state", "in", ("outgoing", "exception")) & recipients
        )
        # "ilike" only narrows the search down: erasing anna@ must not touch the mails
        # waiting for johanna@.
        to_them, for_others = self.browse(), self.browse()
        for mail in mails:
            addresses = email_normalize_all(f"{mail.email_to or ''},{mail.email_cc or ''}")
            if not (mail.recipient_ids & partners or emails & set(addresses)):
                continue
            if mail.recipient_ids - partners or set(addresses) - emails:
                for_others |= mail
            else:
                to_them |= mail
        for mail in for_others:
            mail.write(
                {
                    "recipient_ids": [Command.unlink(partner.id) for partner in partners],
                    **{
                        fname: ", ".join(
                            address
                            for address in email_split_and_format(mail[fname] or "")
                            if email_normalize(address) not in emails
                        )
                        or False
                        for fname in ("email_to", "email_cc")
                    },
                }
            )
        # Their name and address in the mails to others.
        anonymous = self.env["kommune.privacy"]._get_anonymous_name()
        terms = [email for _name, email in identities if email] + [
            name for name, _email in identities if name and len(name.split()) > 1
        ]
        for mail in (mails - to_them).filtered("body_html"):
            body = replace_terms(mail.body_html, terms, anonymous, html=True)
            if body != mail.body_html:
                mail.body_html = body
        deleted = to_them.ids
        to_them.unlink()
        return deleted
