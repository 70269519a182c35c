import logging
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

RETENTION_BASES = [
    ("last_activity", "After the last activity"),
    ("funding_end", "After the end of the funding period"),
]

RULE_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
]

# Changing one of these after the preview invalidates what the manager saw.
PREVIEWED_FIELDS = ("basis", "period_months", "date_funding_end", "company_id", "active")


class KommuneRetentionRule(models.Model):
    """How long the network keeps the data of people it no longer works with, and the
    automatic erasure after that period (Art. 5 (1) e DSGVO, storage limitation).

    A rule counts either from each person's last activity (e.g. 36 months) or from the
    end of a funding period (e.g. 60 months after it, as funders require records to be
    kept). The daily cron anonymises who is due, but only under an approved rule, and a
    rule can only be approved after a manager has looked at the preview of who it would
    erase; changing the rule afterwards takes the approval back."""

    _name = "kommune.retention.rule"
    _inherit = ["mail.thread"]
    _description = "Retention Rule"
    _order = "company_id, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
        help="The rule erases people of this company, and people shared by all companies.",
    )
    basis = fields.Selection(
        RETENTION_BASES,
        string="Count From",
        required=True,
        default="last_activity",
        tracking=True,
    )
    period_months = fields.Integer(
        string="Retention Period (Months)",
        required=True,
        default=36,
        tracking=True,
        help="How many months the data is kept after the last activity, or after the end "
        "of the funding period.",
    )
    date_funding_end = fields.Date(
        string="End of Funding Period",
        tracking=True,
        help="People whose last activity lies before this day are erased once the "
        "retention period after it has passed.",
    )
    state = fields.Selection(RULE_STATES, default="draft", required=True, tracking=True, copy=False)
    date_preview = fields.Datetime(string="Preview Seen On", readonly=True, copy=False)
    preview_user_id = fields.Many2one(
        "res.users", string="Preview Seen By", readonly=True, copy=False
    )
    date_approved = fields.Datetime(string="Approved On", readonly=True, copy=False, tracking=True)
    approved_user_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False, tracking=True
    )
    date_last_run = fields.Datetime(string="Last Run", readonly=True, copy=False)
    date_cutoff = fields.Datetime(
        string="Erases Activity Before",
        compute="_compute_date_cutoff",
        help="People whose last activity lies before this moment are due; empty while "
        "the rule erases nobody yet (funding period plus retention not over).",
    )
    due_count = fields.Integer(
        string="Due at Last Count",
        readonly=True,
        copy=False,
        help="How many persons the rule would erase, counted when the preview was last "
        "opened and updated by each run. Open the preview to count again: counting "
        "weighs every person's last activity.",
    )
    log_ids = fields.One2many("kommune.privacy.log", "rule_id", string="Runs")

    _period_positive = models.Constraint(
        "CHECK (period_months > 0)", "The retention period must be at least one month."
    )

    # ------------------------------------------------------------
    # COMPUTES AND CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends("basis", "period_months", "date_funding_end")
    def _compute_date_cutoff(self):
        for rule in self:
            rule.date_cutoff = rule._get_cutoff()

    @api.constrains("basis", "date_funding_end")
    def _check_funding_end(self):
        for rule in self:
            if rule.basis == "funding_end" and not rule.date_funding_end:
                raise ValidationError(
                    self.env._(
                        "The rule “%(rule)s” counts from the end of the funding period: "
                        "enter that date.",
                        rule=rule.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if vals.keys() & set(PREVIEWED_FIELDS):
            # What the preview showed no longer holds: look again, approve again.
            vals = {
                **vals,
                "state": "draft",
                "date_preview": False,
                "preview_user_id": False,
                "date_approved": False,
                "approved_user_id": False,
            }
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_preview(self):
        """The people the rule would erase today, for the manager to check before
        approving it. Opening the preview is what allows the approval."""
        self.ensure_one()
        self.check_access("write")
        partners = self._get_due_partners()
        self.write(
            {
                "date_preview": fields.Datetime.now(),
                "preview_user_id": self.env.uid,
                "due_count": len(partners),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Due for Erasure: %(rule)s", rule=self.name),
            "res_model": "res.partner",
            "views": [
                (self.env.ref("kommune_interkulturell.res_partner_view_list_retention").id, "list"),
                (False, "form"),
            ],
            "domain": [("id", "in", partners.ids)],
            "context": {"active_test": False, "create": False},
        }

    def action_approve(self):
        self.ensure_one()
        self.check_access("write")
        if not self.date_preview:
            raise UserError(
                self.env._(
                    "Look at the preview of “%(rule)s” first: approving the rule lets the "
                    "daily job erase the people it lists, irreversibly.",
                    rule=self.name,
                )
            )
        self.write(
            {
                "state": "approved",
                "date_approved": fields.Datetime.now(),
                "approved_user_id": self.env.uid,
            }
        )
        return True

    def action_reset_to_draft(self):
        self.write({"state": "draft", "date_approved": False, "approved_user_id": False})
        return True

    @api.readonly
    def action_open_logs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_privacy_log_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_cutoff(self):
        """The moment before which a last activity makes a person due, or None while
        the rule erases nobody yet."""
        self.ensure_one()
        if not self.period_months or self.period_months < 1:
            return None
        now = fields.Datetime.now()
        if self.basis == "funding_end":
            if not self.date_funding_end:
                return None
            end = datetime.combine(self.date_funding_end, time.max)
            if end + relativedelta(months=self.period_months) > now:
                return None
            return end
        return now - relativedelta(months=self.period_months)

    def _get_candidate_domain(self):
        """The people the rule can concern: persons of the network (of its company or
        shared by all companies), not yet anonymised, without a user account."""
        self.ensure_one()
        network = (
            Domain("organization_type_id", "!=", False)
            | Domain("training_registration_ids", "!=", False)
            | Domain("kommune_consent_ids", "!=", False)
            | self._get_network_roles()
        )
        return (
            self.env["kommune.privacy"]._get_anonymizable_domain()
            & Domain("company_id", "in", [self.company_id.id, False])
            & network
        )

    def _get_network_roles(self):
        """Persons in the network by a role other than their organisation's type:
        cooperation contact persons, action item owners, trainers.

        :return: a ``Domain`` on res.partner
        """
        # Sub-queries and one grouped query: no cooperation or training is loaded.
        members = self.env["kommune.cooperation.member"]._search([("contact_id", "!=", False)])
        items = self.env["kommune.cooperation.action.item"]._search([("partner_id", "!=", False)])
        trainers = self.env["kommune.training"]._read_group(
            [("trainer_ids", "!=", False)], ["trainer_ids"]
        )
        return (
            Domain("id", "in", members.subselect("contact_id"))
            | Domain("id", "in", items.subselect("partner_id"))
            | Domain("id", "in", [trainer.id for (trainer,) in trainers])
        )

    def _get_due_partners(self, limit=None):
        """The persons the rule erases now: last activity before the cut-off.

        Searched in every company (sudo, read only): the rule's company decides who is
        concerned, activity anywhere keeps a person."""
        self.ensure_one()
        cutoff = self._get_cutoff()
        Partner = self.env["res.partner"]
        if not cutoff:
            return Partner
        rule = self.sudo().with_context(active_test=False)
        candidates = rule.env["res.partner"].search(rule._get_candidate_domain(), order="id")
        activity = rule.env["kommune.privacy"]._get_last_activity(candidates)
        due = candidates.filtered(
            lambda partner: activity.get(partner.id) and activity[partner.id] < cutoff
        )
        return Partner.browse(due.ids[:limit] if limit else due.ids)

    def _apply(self, batch_size):
        """Erase one batch of who is due under this approved rule, and log it.

        :return: True when more people are due than one batch takes
        """
        self.ensure_one()
        if self.state != "approved" or not self.active:
            return False
        due = self._get_due_partners(limit=batch_size + 1)
        batch = due[:batch_size]
        if batch:
            # Logged by the erasure as a retention run of this rule, with its counts.
            self.env["kommune.privacy"]._anonymize(batch, rule=self)
        more = len(due) > batch_size
        self.write(
            {
                "date_last_run": fields.Datetime.now(),
                "due_count": max(self.due_count - len(batch), 1) if more else 0,
            }
        )
        _logger.info("Retention rule %s anonymised %s persons", self.id, len(batch))
        return more

    @api.model
    def _cron_apply_retention(self):
        """Daily: apply every approved rule, in committed batches (an erasure and its
        log entry commit together), so that a run cut short resumes with who is still
        due. Runs as the cron's user (the superuser); the rule's approval by a manager
        is what authorises it."""
        IrCron = self.env["ir.cron"]
        batch_size = IrCron._kommune_batch_size()
        rules = self.search([("state", "=", "approved")])
        for index, rule in enumerate(rules):
            while True:
                more = rule._apply(batch_size)
                remaining = len(rules) - index - (0 if more else 1)
                if IrCron._kommune_commit_progress(1, remaining=remaining) <= 0:
                    return
                if not more:
                    break
