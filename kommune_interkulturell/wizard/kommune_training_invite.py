from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.kommune_training import TRAINING_INVITATION_REFUSALS


class KommuneTrainingInvite(models.TransientModel):
    """Invite persons to a training, one by one or all people of organisations.

    The invitation follows the rule of every invitation (see kommune.training.
    _get_invitation_refusals); the wizard lists who is left out and why before anything
    happens."""

    _name = "kommune.training.invite"
    _description = "Invite to a Training"

    training_id = fields.Many2one("kommune.training", required=True, ondelete="cascade")
    partner_ids = fields.Many2many(
        "res.partner",
        "kommune_training_invite_partner_rel",
        "invite_id",
        "partner_id",
        string="Persons",
        domain="[('is_company', '=', False)]",
    )
    organization_ids = fields.Many2many(
        "res.partner",
        "kommune_training_invite_organization_rel",
        "invite_id",
        "organization_id",
        string="All People Of",
        domain="[('is_company', '=', True)]",
        help="Invite every person of these organisations who may be invited.",
    )
    send_mail = fields.Boolean(
        string="Send Invitation Mail",
        default=True,
        help="Send the invitation mail, in each person's language. Without it (e.g. "
        "invited by phone) people need no e-mail address, but still a legal basis, and "
        "nobody who objected to invitations is invited.",
    )
    exclusion_ids = fields.One2many(
        "kommune.training.invite.exclusion",
        "wizard_id",
        string="Not Invited",
        compute="_compute_exclusion_ids",
        store=True,
        compute_sudo=False,  # decided with the user's rights, as the invitation will be
    )
    invitee_count = fields.Integer(string="Invitees", compute="_compute_counts")
    exclusion_count = fields.Integer(string="People Not Invited", compute="_compute_counts")

    @api.depends("training_id", "partner_ids", "organization_ids", "send_mail")
    def _compute_exclusion_ids(self):
        for wizard in self:
            training = wizard.training_id._origin
            refusals = (
                training._get_invitation_refusals(wizard._get_candidates(), wizard.send_mail)
                if training
                else {}
            )
            wizard.exclusion_ids = [Command.clear()] + [
                Command.create({"partner_id": partner.id, "reason": reason})
                for partner, reason in refusals.items()
            ]

    @api.depends("partner_ids", "organization_ids", "exclusion_ids")
    def _compute_counts(self):
        for wizard in self:
            wizard.exclusion_count = len(wizard.exclusion_ids)
            wizard.invitee_count = len(wizard._get_candidates()) - wizard.exclusion_count

    def action_invite(self):
        self.ensure_one()
        candidates = self._get_candidates()
        if not candidates:
            raise UserError(
                self.env._("Nobody to invite: choose persons, or organisations that have people.")
            )
        invited = self.training_id._invite_participants(candidates, send_mail=self.send_mail)
        message = self.env._(
            "%(count)s people invited to %(training)s.",
            count=len(invited),
            training=self.training_id.name,
        )
        if self.exclusion_count:
            message = self.env._(
                "%(count)s people invited to %(training)s, %(left_out)s left out.",
                count=len(invited),
                training=self.training_id.name,
                left_out=self.exclusion_count,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if self.exclusion_count else "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _get_candidates(self):
        """The persons chosen and the people (contacts, not addresses) of the
        organisations chosen."""
        self.ensure_one()
        people = self.organization_ids._origin.child_ids.filtered(
            lambda partner: not partner.is_company and partner.type == "contact"
        )
        return self.partner_ids._origin | people


class KommuneTrainingInviteExclusion(models.TransientModel):
    """A person the invitation leaves out, with the reason."""

    _name = "kommune.training.invite.exclusion"
    _description = "Person Not Invited"
    _order = "id"

    wizard_id = fields.Many2one("kommune.training.invite", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Person", required=True, ondelete="cascade")
    parent_id = fields.Many2one(related="partner_id.parent_id", string="Organisation")
    reason = fields.Selection(TRAINING_INVITATION_REFUSALS, required=True)

    @api.model
    def _get_reason_labels(self):
        """The reasons in the user's language, by key."""
        return dict(self._fields["reason"]._description_selection(self.env))
