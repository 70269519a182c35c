from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _lang_get
from odoo.exceptions import UserError


class MailingMailing(models.Model):
    """Invitation campaigns are Odoo mailings on persons (res.partner): one per language,
    siblings under the campaign's ``utm.campaign`` (see kommune.training.
    _create_invitation_campaign)."""

    _inherit = "mailing.mailing"

    training_id = fields.Many2one(
        "kommune.training",
        index="btree_not_null",
        ondelete="set null",
        help="The training this mailing invites to; its mails carry each recipient's "
        "personal registration link.",
    )
    campaign_lang = fields.Selection(
        _lang_get,
        string="Campaign Language",
        help="Language of this mailing's text within its campaign; recipients in other "
        "languages are in the campaign's other mailings.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent_invitations(self):
        # Its traces (deleted with it) are the campaign's statistics for the funders.
        if self.env["mailing.trace"]._kommune_may_delete_statistics():
            return
        if sent := self.filtered(
            lambda mailing: mailing.training_id and mailing.state in ("sending", "done")
        ):
            raise UserError(
                self.env._(
                    "“%(mailing)s” was sent: its statistics are the campaign's figures for "
                    "the funders. Only a manager deletes it.",
                    mailing=sent[0].subject,
                )
            )

    def _get_recipients_domain(self):
        # Between the campaign's creation and its sending people withdraw, opt out,
        # register, get blocklisted or bounce, and the company may switch to opt-in
        # only; staff may also have edited the mailing's domain. The rule of every
        # invitation is applied again whenever the recipients are counted or the mails
        # built, for every batch.
        domain = super()._get_recipients_domain()
        if self.training_id and self.mailing_model_real == "res.partner":
            domain = self.training_id._get_invitation_recipient_domain(domain)
        return domain

    def _render_field(self, field, res_ids, *args, **kwargs):
        # Test mails, "view in browser" and previews render the mailing itself, for any
        # contact: they show the training's preview instead of a personal link.
        mailing = (
            self.with_context(kommune_preview_mailing_id=self.id) if self.training_id else self
        )
        return super(MailingMailing, mailing)._render_field(field, res_ids, *args, **kwargs)

    def _get_mass_mailing_context(self):
        context = super()._get_mass_mailing_context()
        if self.training_id:
            # The body renders each recipient's personal link with the mailing it came
            # with (see res.partner.training_invitation_link).
            context["kommune_mailing_id"] = self.id
        return context
