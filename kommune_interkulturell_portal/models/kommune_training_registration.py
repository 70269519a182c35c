from markupsafe import Markup

from odoo import fields, models

# The training mails that lead the person to their registration's page.
PERSONAL_PAGE_TEMPLATES = (
    "kommune_interkulturell.mail_template_training_confirmation",
    "kommune_interkulturell.mail_template_training_waitlist",
    "kommune_interkulturell.mail_template_training_reminder",
)


class KommuneTrainingRegistration(models.Model):
    """A registration is a portal document of its participant: its page in "My
    Account" (access_url), the name of its certificate when downloaded there, and the
    link to that page in the mails about it."""

    _name = "kommune.training.registration"
    _inherit = ["kommune.training.registration", "portal.mixin"]

    catalogue_link_expiry = fields.Integer(
        string="Catalogue Link Used",
        readonly=True,
        copy=False,
        help="Technical: the expiry (a timestamp) of the last link from the public "
        "catalogue that registered the person. That link, and every older one, "
        "registers nobody once the registration is cancelled.",
    )

    def _compute_access_url(self):
        # Every registration gets its own address: the parent's default is not kept.
        for registration in self:
            registration.access_url = f"/my/kommune/trainings/{registration.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Certificate %(training)s", training=self.training_id.name)

    def _send_training_mail(self, template_xmlid, with_ics=False):
        mails = super()._send_training_mail(template_xmlid, with_ics=with_ics)
        if template_xmlid in PERSONAL_PAGE_TEMPLATES:
            self._kommune_portal_add_personal_link(mails)
        return mails

    # ------------------------------------------------------------
    # CATALOGUE LINKS: on the registration a request looked up once (see
    # kommune.consent._kommune_catalogue_get_registration), or an empty one
    # ------------------------------------------------------------

    def _kommune_catalogue_holds_place(self):
        """Whether the person holds a seat or a place on the waitlist."""
        return self.state in ("registered", "confirmed", "waitlist")

    def _kommune_catalogue_link_used(self, expiry):
        """Whether the link expiring at ``expiry`` may no longer register the person:
        it (or a later link) registered them, and the registration was cancelled since
        (by them or by staff). A link registers once; registering again asks for a new
        one."""
        return self.state == "cancelled" and self.catalogue_link_expiry >= expiry

    def _kommune_catalogue_mark_used(self, expiry):
        """Stamp the registration with the link (expiring at ``expiry``) that made it:
        the registration, or an empty one when it holds no place."""
        if not self._kommune_catalogue_holds_place():
            return self.browse()
        self.catalogue_link_expiry = max(self.catalogue_link_expiry, expiry)
        return self

    def _kommune_portal_get_personal_url(self):
        """Where the person sees and cancels this registration: their portal page when
        they have an account, else their signed personal link of the invitations (when
        kommune_interkulturell_mass_mailing is installed), else False."""
        self.ensure_one()
        if self.partner_id.user_ids:
            return f"{self.get_base_url()}{self.access_url}"
        training = self.training_id
        if hasattr(training, "_get_invitation_url"):
            return training._get_invitation_url(self.partner_id)
        return False

    def _kommune_portal_add_personal_link(self, mails):
        """Append the link to each queued mail of these registrations, in the person's
        language (the mails are queued, not sent yet)."""
        by_id = {registration.id: registration for registration in self}
        for mail in mails:
            registration = by_id.get(mail.res_id)
            url = registration and registration._kommune_portal_get_personal_url()
            if not url:
                continue
            env = registration.with_context(lang=registration.partner_id.lang).env
            paragraph = Markup('<p class="o_kommune_personal_link">%s <a href="%s">%s</a></p>') % (
                env._("Your registration, the dates and online cancellation:"),
                url,
                env._("your personal page"),
            )
            # sudo: the mail was queued by this very call, for this registration;
            # project users may not edit outgoing mails (Odoo gives that to admins).
            mail_sudo = mail.sudo()
            mail_sudo.body_html = (mail_sudo.body_html or Markup()) + paragraph
