from markupsafe import Markup

from odoo import api, fields, models

# The button of the personal registration link in invitation mails (inline: mail clients
# ignore style sheets).
INVITATION_LINK_STYLE = (
    "display: inline-block; background-color: #875A7B; color: #ffffff; padding: 10px 18px; "
    "border-radius: 4px; text-decoration: none; font-weight: bold;"
)


class ResPartner(models.Model):
    """What invitation mailings need of contacts: the personal registration link as a
    field, and the opt-out from invitations respected by every mailing on contacts."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # The personal registration link in invitation mailings: a field, so that mailings
    # reach it with a plain field path. Odoo lets only mail template editors write code
    # into templates (restricted rendering, the default); others may use whitelisted
    # field paths, which Odoo renders without evaluating code. The path is whitelisted
    # for contacts below, so that staff write and edit their campaigns.
    training_invitation_link = fields.Html(
        string="Registration Link",
        compute="_compute_training_invitation_link",
        sanitize=False,  # built here from a URL and a label, both escaped
        groups="mass_mailing.group_mass_mailing_user",
        help="Technical: the personal registration link as invitation mailings render it.",
    )
    TRAINING_INVITATION_LINK_EXPRESSION = "object.training_invitation_link"

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends_context("kommune_mailing_id", "kommune_preview_mailing_id", "lang")
    def _compute_training_invitation_link(self):
        """The "Register now" button of an invitation mailing, for each person.

        A real send knows the mailing (``kommune_mailing_id``, see mailing.mailing.
        _get_mass_mailing_context): the link is the person's own, signed for them, the
        mailing's training and the mailing. Test mails, "view in browser" and previews
        render for any contact (``kommune_preview_mailing_id``): they link to the staff
        preview of the page, never to somebody's personal link."""
        Mailing = self.env["mailing.mailing"]
        mailing = Mailing.browse(self.env.context.get("kommune_mailing_id")).exists()
        preview = Mailing.browse(self.env.context.get("kommune_preview_mailing_id")).exists()
        label = self.env._("Register now")
        for partner in self:
            if mailing.training_id and partner._origin:
                url = mailing.training_id._get_invitation_url(partner._origin, mailing)
            elif preview.training_id:
                url = preview.training_id._get_invitation_preview_url()
            else:
                partner.training_invitation_link = False
                continue
            partner.training_invitation_link = Markup('<a href="%s" style="%s">%s</a>') % (
                url,
                INVITATION_LINK_STYLE,
                label,
            )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + (self.TRAINING_INVITATION_LINK_EXPRESSION,)

    @api.model
    def _mailing_get_opt_out_list(self, mailing):
        """Mass-mailing hook (see mailing.mailing._get_opt_out_list): the normalized e-mail
        addresses that must not receive ``mailing``. Odoo cancels their traces as opt-out.

        The opt-out follows the address, archived persons included: whoever shares it
        (e.g. a second contact created for the same person) is not mailed either."""
        parent = getattr(super(), "_mailing_get_opt_out_list", None)
        opt_out = set(parent(mailing)) if parent else set()
        opted_out = self.with_context(active_test=False).search_fetch(
            [("invitation_opt_out", "=", True), ("email_normalized", "!=", False)],
            ["email_normalized"],
        )
        opt_out.update(opted_out.mapped("email_normalized"))
        return opt_out
