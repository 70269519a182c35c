"""The unsubscribe link of the network's invitation campaigns: an opt-out from
invitations."""

from markupsafe import Markup

from odoo.addons.mass_mailing.controllers.main import MassMailController
from odoo.http import request


class KommuneMassMailController(MassMailController):
    """The unsubscribe link of the network's invitation campaigns (mailings of a training)
    records an opt-out from invitations instead of blocklisting the address: the person can still
    receive the mails they asked for (confirmations, reminders), and Odoo's page still
    lets them block every mailing if they wish. Odoo's checks of the mailing and of the
    link's signature (hash_token) run before this method, unchanged. Other mailings on
    contacts keep Odoo's behaviour (the address is blocklisted)."""

    def _mailing_unsubscribe_from_document(self, mailing, document_id, email, hash_token):
        # Only the person's signed link speaks for the contact it names: Odoo also opens
        # the page without a signature for a logged-in Email Marketing user, about their
        # own address, with whatever document_id the address carries.
        if (
            mailing.mailing_model_real != "res.partner"
            or not mailing.training_id
            or not document_id
            or not hash_token
        ):
            return super()._mailing_unsubscribe_from_document(
                mailing, document_id, email, hash_token
            )
        # sudo: the signed link (checked by the caller) is the person's authority here.
        partner = request.env["res.partner"].sudo().browse(int(document_id)).exists()
        if partner:
            partner._set_invitation_opt_out(
                reason=Markup("<p>%s</p>")
                % request.env._(
                    "Opted out of invitations through the unsubscribe link of the mailing "
                    "“%(mailing)s”.",
                    mailing=mailing.subject,
                ),
                company=mailing.training_id.company_id,
            )
        return request.render(
            "mass_mailing.page_mailing_unsubscribe",
            dict(
                self._prepare_mailing_subscription_values(mailing, document_id, email, hash_token),
                last_action="kommune_invitation_opt_out",
                unsubscribed_name=request.env._(
                    "You will not receive any more invitations from %(company)s.",
                    company=(mailing.training_id.company_id or mailing.env.company).name,
                ),
            ),
        )
