from odoo import api, fields, models


class KommuneTrainingInvite(models.TransientModel):
    """Invite persons to a training, one by one or all people of organisations."""

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
        help="Invite every person of these organisations who has an e-mail address.",
    )
    send_mail = fields.Boolean(
        string="Send Invitation Mail",
        default=True,
        help="Send the invitation mail, in each person's language.",
    )
    invitee_count = fields.Integer(string="Invitees", compute="_compute_invitee_count")

    @api.depends("partner_ids", "organization_ids")
    def _compute_invitee_count(self):
        for wizard in self:
            wizard.invitee_count = len(wizard._get_invitees())

    def _get_invitees(self):
        self.ensure_one()
        staff = self.organization_ids.child_ids.filtered(
            lambda partner: not partner.is_company and partner.email
        )
        return self.partner_ids | staff

    def action_invite(self):
        self.ensure_one()
        invited = self.training_id._invite_participants(
            self._get_invitees(), send_mail=self.send_mail
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s people invited to %(training)s.",
                    count=len(invited),
                    training=self.training_id.name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
