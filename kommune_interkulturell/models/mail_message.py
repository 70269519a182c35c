import re

from markupsafe import Markup, escape

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import email_normalize_all

# Messages written by people or received from them. Outgoing mass mailings
# ('email_outgoing') and system notifications are not a dialogue.
DIALOGUE_MESSAGE_TYPES = ("comment", "email")

# Messages with a text somebody wrote or a mail somebody received; the others are
# system notifications (tracking, logs) without personal content of their own.
TEXT_MESSAGE_TYPES = ("comment", "email", "email_outgoing", "auto_comment")


def replace_terms(text, terms, replacement, html=False):
    """Replace each term (a name, an e-mail address) where it stands as a whole word, in
    any case: "Ana Li" is replaced, "Ana Lisa" is not. In HTML, the escaped forms are
    matched."""
    if html:
        terms = [str(escape(term)) for term in terms]
        replacement = str(escape(replacement))
    for term in terms:
        pattern = re.compile(rf"(?<![\w@.]){re.escape(term)}(?![\w@])", re.IGNORECASE)
        text = pattern.sub(lambda _match: replacement, text)
    return text


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _kommune_dialogue_subtype_ids(self):
        return [
            self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
        ]

    @api.model
    def _kommune_dialogue_domain(self):
        """Messages that count as contact for the continuous dialogue: a logged note
        (e.g. a call), a message or an e-mail, and any done activity. Tracking values,
        meeting logs and posted minutes carry other subtypes and do not count: they
        record what happened, they are not a new contact."""
        return Domain("mail_activity_type_id", "!=", False) | (
            Domain("message_type", "in", DIALOGUE_MESSAGE_TYPES)
            & Domain("subtype_id", "in", self._kommune_dialogue_subtype_ids())
        )

    def _kommune_is_dialogue(self):
        """Same test as :meth:`_kommune_dialogue_domain`, on one message in memory."""
        self.ensure_one()
        if self.mail_activity_type_id:
            return True
        return (
            self.message_type in DIALOGUE_MESSAGE_TYPES
            and self.subtype_id.id in self._kommune_dialogue_subtype_ids()
        )

    # ------------------------------------------------------------
    # DATA PROTECTION: what the subject access lists and the erasure cleans
    # ------------------------------------------------------------

    @api.model
    def _kommune_message_models(self):
        """The models whose chatters the network's work writes to: the reach of subject
        access and erasure in messages."""
        return [
            "res.partner",
            "calendar.event",
            "kommune.training",
            "kommune.training.registration",
            "kommune.cooperation",
            "kommune.consent",
        ]

    @api.model
    def _kommune_domain_about(self, partners, records_list=()):
        """Messages about these persons: on their own chatter, on records that concern
        only them (their registrations and consents, ``records_list``), and those they
        wrote on the network's records."""
        domain = Domain("model", "=", "res.partner") & Domain("res_id", "in", partners.ids)
        for records in records_list:
            if records:
                domain |= Domain("model", "=", records._name) & Domain("res_id", "in", records.ids)
        domain |= Domain("author_id", "in", partners.ids) & Domain(
            "model", "in", self._kommune_message_models()
        )
        return domain

    @api.model
    def _kommune_scrub(self, partners, identities, records_list=(), found=None):
        """Remove the persons from the messages (part of the erasure; called with sudo
        by res.partner._kommune_anonymize).

        - what they wrote (as author or from their address), and the texts on records
          about them only (notes on their registrations and consents, mails sent to
          them), is blanked, with its attachments;
        - their name and e-mail address are replaced in the other messages the privacy
          lookup ``found`` naming them, and in their tracking values.

        :param identities: the persons' ``(name, normalized e-mail)`` before erasure
        :param found: messages the privacy lookup found for them, in any model
        :return: number of messages changed
        """
        anonymous = self.env["kommune.privacy"]._get_anonymous_name()
        removed = Markup("<p>%s</p>") % self.env._("Removed: the personal data was erased.")
        found = found or self.browse()
        emails = {email for _name, email in identities if email}
        written = found.filtered(
            lambda message: (
                message.author_id & partners
                or emails & set(email_normalize_all(message.email_from or ""))
            )
        )
        about = self.search(self._kommune_domain_about(partners, records_list)) | written
        texts = about.filtered(lambda message: message.message_type in TEXT_MESSAGE_TYPES)
        texts.attachment_ids.unlink()
        texts.write({"body": removed, "subject": False})
        about.filtered(lambda message: message.author_id & partners or message in written).write(
            {"email_from": False, "reply_to": False}
        )
        changed = texts

        # Full names only: a single word ("Anna") would also hit other people.
        terms = list(emails) + [
            name for name, _email in identities if name and len(name.split()) > 1
        ]
        mentions = found - texts
        for message in mentions:
            body = Markup(replace_terms(str(message.body or ""), terms, anonymous, html=True))
            subject = replace_terms(message.subject or "", terms, anonymous) or False
            if body != (message.body or "") or subject != message.subject:
                message.write({"body": body, "subject": subject})
                changed |= message
        for tracking in found.tracking_value_ids:
            values = {
                fname: replace_terms(tracking[fname] or "", terms, anonymous) or False
                for fname in ("old_value_char", "new_value_char")
            }
            if any(values[fname] != tracking[fname] for fname in values):
                tracking.write(values)
                changed |= tracking.mail_message_id
        return len(changed)
