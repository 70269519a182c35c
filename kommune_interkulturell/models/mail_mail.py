from odoo import api, models
from odoo.fields import Domain


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.model
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
