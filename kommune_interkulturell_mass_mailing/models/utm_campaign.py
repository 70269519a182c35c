from collections import Counter, defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.float_utils import float_round


class UtmCampaign(models.Model):
    """A training's invitation campaign: its mailings (one per language) report as one,
    with Odoo's mail statistics and the registrations the campaign brought."""

    _inherit = "utm.campaign"

    training_id = fields.Many2one(
        "kommune.training",
        index="btree_not_null",
        ondelete="set null",
        help="The training the campaign invites to.",
    )
    training_registration_ids = fields.One2many(
        "kommune.training.registration",
        "campaign_id",
        string="Registrations from the Campaign",
        groups="kommune_interkulturell.group_kommune_user",
    )
    training_registration_count = fields.Integer(
        string="Registrations",
        compute="_compute_training_registration_count",
        groups="kommune_interkulturell.group_kommune_user",
        help="People who registered through their personal link in this campaign's mails "
        "and have not cancelled.",
    )
    training_conversion_rate = fields.Float(
        string="Conversion (%)",
        compute="_compute_training_registration_count",
        groups="kommune_interkulturell.group_kommune_user",
        help="Registrations per delivered mail.",
    )
    # Odoo's mailing statistics, summed over the campaign's mailings (all languages);
    # same definitions as on a mailing (mailing.mailing._compute_statistics).
    mailing_sent_count = fields.Integer(
        string="Sent",
        compute="_compute_mailing_statistics",
        groups="mass_mailing.group_mass_mailing_user",
    )
    mailing_delivered_count = fields.Integer(
        string="Delivered",
        compute="_compute_mailing_statistics",
        groups="mass_mailing.group_mass_mailing_user",
    )
    mailing_opened_count = fields.Integer(
        string="Opened",
        compute="_compute_mailing_statistics",
        groups="mass_mailing.group_mass_mailing_user",
    )
    mailing_clicked_count = fields.Integer(
        string="Clicked",
        compute="_compute_mailing_statistics",
        groups="mass_mailing.group_mass_mailing_user",
    )
    mailing_replied_count = fields.Integer(
        string="Replied",
        compute="_compute_mailing_statistics",
        groups="mass_mailing.group_mass_mailing_user",
    )
    mailing_bounced_count = fields.Integer(
        string="Bounced",
        compute="_compute_mailing_statistics",
        groups="mass_mailing.group_mass_mailing_user",
    )

    def _compute_mailing_statistics(self):
        statuses = defaultdict(Counter)
        clicked, sent = Counter(), Counter()
        for campaign, status, count, clicks, sendings in self.env["mailing.trace"]._read_group(
            [("campaign_id", "in", self.ids)],
            ["campaign_id", "trace_status"],
            ["__count", "links_click_datetime:count", "sent_datetime:count"],
        ):
            statuses[campaign.id][status] += count
            clicked[campaign.id] += clicks
            sent[campaign.id] += sendings
        for campaign in self:
            key = campaign._origin.id
            line = statuses[key]
            campaign.mailing_sent_count = sent[key]
            campaign.mailing_delivered_count = line["sent"] + line["open"] + line["reply"]
            campaign.mailing_opened_count = line["open"] + line["reply"]
            campaign.mailing_clicked_count = clicked[key]
            campaign.mailing_replied_count = line["reply"]
            campaign.mailing_bounced_count = line["bounce"]

    def _compute_training_registration_count(self):
        counts = dict(
            self.env["kommune.training.registration"]._read_group(
                [("campaign_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["campaign_id"],
                ["__count"],
            )
        )
        for campaign in self:
            count = counts.get(campaign._origin, 0)
            delivered = campaign.mailing_delivered_count
            campaign.training_registration_count = count
            campaign.training_conversion_rate = (
                float_round(100.0 * count / delivered, precision_digits=2) if delivered else 0.0
            )

    def action_send_invitations(self):
        """Queue every draft mailing of the campaigns: all languages go out together."""
        mailings = self.mailing_mail_ids.filtered(lambda mailing: mailing.state == "draft")
        if not mailings:
            raise UserError(self.env._("This campaign has no mailing left to send."))
        mailings.action_launch()
        return True

    @api.readonly
    def action_open_training_registrations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell_mass_mailing.kommune_training_registration_action_campaign"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        return action
