import re
import time

from odoo import api, fields, models
from odoo.addons.kommune_interkulturell.models.kommune_consent import CONFIRMATION_DAYS
from odoo.tools import consteq
from odoo.tools.misc import hmac

# A catalogue registration of a person whose consent to training administration is in
# force (or awaiting confirmation) is confirmed through a link of its own:
# "<consent id>-<training id>-<expiry>-<hmac>", keyed with the database secret over the
# consent, its person, the training and the expiry, so that it can be neither forged,
# nor moved to another person or training, nor prolonged.
CATALOGUE_REQUEST_SCOPE = "kommune_interkulturell_portal-catalogue-request"
CATALOGUE_REQUEST_RE = re.compile(
    r"([1-9][0-9]{0,17})-([1-9][0-9]{0,17})-([1-9][0-9]{0,11})-([0-9a-f]{64})"
)


class KommuneConsent(models.Model):
    """A registration from the public catalogue is the app's double opt-in: a consent
    to training administration awaiting confirmation, which names the training asked
    for; the person is registered once they followed the link mailed to their address."""

    _inherit = "kommune.consent"

    catalogue_training_id = fields.Many2one(
        "kommune.training",
        string="Registration Asked For",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="Given on the public training catalogue: once confirmed through the link "
        "mailed to the person, they are registered for this training.",
    )

    def _action_confirm(self):
        # A link of a later catalogue registration confirms the consent only: it
        # registers for its own training itself (see _kommune_catalogue_confirm_request).
        if self.env.context.get("kommune_catalogue_request"):
            return super()._action_confirm()
        # The consent's own link registers for the training it was mailed for, also when
        # followed once a later link confirmed the consent. The person's registration is
        # looked up here once and passed to the checks (registering looks again, under
        # the seat lock).
        waiting = []
        for consent in self.filtered(
            lambda consent: consent.catalogue_training_id and consent.state in ("pending", "given")
        ):
            registration = consent._kommune_catalogue_get_registration(
                consent.catalogue_training_id
            )
            if consent.state == "given" and registration._kommune_catalogue_holds_place():
                continue
            waiting.append((consent, registration))
        res = super()._action_confirm()
        for consent, registration in waiting:
            training = consent.catalogue_training_id
            expiry = consent._get_confirmation_expiry()
            if registration._kommune_catalogue_link_used(expiry):
                continue
            if training._kommune_portal_is_registration_open():
                # The consent is in force now: the registration is ticked and takes a
                # seat or a place on the waitlist (with its mails), as every one does.
                training._register_participant(
                    consent.partner_id, source="web", consent=True
                )._kommune_catalogue_mark_used(expiry)
        return res

    # ------------------------------------------------------------
    # REGISTRATION OF A KNOWN PERSON
    # ------------------------------------------------------------

    def _kommune_catalogue_request_token(self, training, expiry=None):
        self.ensure_one()
        expiry = expiry or int(time.time()) + CONFIRMATION_DAYS * 86400
        signature = hmac(
            self.env(su=True),
            CATALOGUE_REQUEST_SCOPE,
            (self.id, self.partner_id.id, training.id, expiry),
        )
        return f"{self.id}-{training.id}-{expiry}-{signature}"

    def _kommune_catalogue_request_url(self, training):
        self.ensure_one()
        token = self._kommune_catalogue_request_token(training)
        return f"{self.get_base_url()}/kommune/schulungen/confirm/{token}"

    @api.model
    def _kommune_get_from_catalogue_request(self, token):
        """The consent and training a registration link stands for, when it expires
        and the person's registration for the training (looked up once, for the checks
        of the request): ``(consent, training, expiry, registration)``; empty records for
        anything not signed by this database, whose consent was withdrawn (or deleted)
        since, or whose registration was cancelled since (see
        kommune.training.registration._kommune_catalogue_link_used)."""
        Training = self.env["kommune.training"]
        Registration = self.env["kommune.training.registration"]
        match = isinstance(token, str) and CATALOGUE_REQUEST_RE.fullmatch(token)
        if not match:
            return self.browse(), Training, 0, Registration
        consent_id, training_id, expiry = (int(match.group(index)) for index in (1, 2, 3))
        consent = self.browse(consent_id).exists()
        expected = hmac(
            self.env(su=True),
            CATALOGUE_REQUEST_SCOPE,
            (consent_id, consent.partner_id.id if consent else 0, training_id, expiry),
        )
        training = Training.browse(training_id).exists()
        if (
            not consteq(expected, match.group(4))
            or not consent
            or consent.date_withdrawn
            or not training
        ):
            return self.browse(), Training, 0, Registration
        registration = consent._kommune_catalogue_get_registration(training)
        if registration._kommune_catalogue_link_used(expiry):
            return self.browse(), Training, 0, Registration
        return consent, training, expiry, registration

    def _kommune_catalogue_send_request(self, training):
        """Mail the person a link that registers them for ``training`` (queued, deleted
        once sent: it holds the link). To the consent's person, whose address the form
        named: never to the address somebody typed."""
        self.ensure_one()
        template = self.env.ref("kommune_interkulturell_portal.mail_template_catalogue_request")
        template.with_context(
            lang=self.partner_id.lang,
            kommune_catalogue_training_name=training.with_context(lang=self.partner_id.lang).name,
            kommune_catalogue_request_url=self._kommune_catalogue_request_url(training),
        ).send_mail(self.id, email_layout_xmlid="mail.mail_notification_light")

    def _kommune_catalogue_get_registration(self, training):
        """The person's registration for ``training`` (or an empty one), to pass to the
        registration's _kommune_catalogue_* checks rather than each looking it up."""
        self.ensure_one()
        return self.env["kommune.training.registration"].search(
            [("training_id", "=", training.id), ("partner_id", "=", self.partner_id.id)],
            limit=1,
        )

    def _kommune_catalogue_confirm_request(self, training, expiry, registration):
        """The person followed their link (expiring at ``expiry``; ``registration``:
        theirs for ``training`` as the link was checked): a consent still awaiting
        confirmation counts from now (the link proved the address), and the person is
        registered for ``training`` (a seat or a place on the waitlist) while the
        catalogue takes registrations. Returns the registration, or an empty
        recordset."""
        self.ensure_one()
        if not training._kommune_portal_is_registration_open():
            return registration.browse()
        if self.state in ("pending", "given"):
            if self.state == "pending":
                self.with_context(kommune_catalogue_request=True)._action_confirm()
            registration = training._register_participant(
                self.partner_id, source="web", consent=True
            )
        return registration._kommune_catalogue_mark_used(expiry)
