from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KommuneCooperationActionItem(models.Model):
    """Something agreed in a meeting of a cooperation: what, who, by when.

    Items for a staff member become a to-do activity on the cooperation, assigned to
    them. Items for a partner's contact person form the follow-up list the network
    keeps an eye on (menu Cooperations / Follow-ups)."""

    _name = "kommune.cooperation.action.item"
    _description = "Meeting Action Item"
    _order = "is_done, date_deadline, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    event_id = fields.Many2one(
        "calendar.event", string="Meeting", required=True, index=True, ondelete="cascade"
    )
    cooperation_id = fields.Many2one(
        related="event_id.cooperation_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="cooperation_id.company_id", store=True, index=True, precompute=True
    )
    name = fields.Char(string="What", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Staff Member",
        domain="[('share', '=', False)]",
        check_company=True,
        index="btree_not_null",
        help="A colleague who does it: gets a to-do activity on the cooperation.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        domain="[('commercial_partner_id', 'in', cooperation_partner_ids)]",
        check_company=True,
        index="btree_not_null",
        help="A contact person of a member organisation who does it: the item goes on "
        "the partners' follow-up list.",
    )
    cooperation_partner_ids = fields.Many2many(related="cooperation_id.partner_ids")
    date_deadline = fields.Date(
        string="By When",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=14),
    )
    is_done = fields.Boolean(
        string="Done",
        copy=False,
        help="Partners' items are ticked off by hand; staff items when their activity is "
        "marked as done.",
    )
    activity_id = fields.Many2one(
        "mail.activity",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    _one_assignee = models.Constraint(
        "CHECK (user_id IS NULL OR partner_id IS NULL)",
        "An action item is done either by a staff member or by a partner, not by both.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("user_id", "partner_id", "event_id")
    def _check_assignee(self):
        for item in self:
            if not item.user_id and not item.partner_id:
                raise ValidationError(
                    self.env._(
                        "Say who does “%(what)s”: a staff member or a partner's contact person.",
                        what=item.name,
                    )
                )
            if not item.event_id.cooperation_id:
                raise ValidationError(
                    self.env._(
                        "The action item “%(what)s” belongs to a meeting of a cooperation: "
                        "link the meeting %(meeting)s to a cooperation first.",
                        what=item.name,
                        meeting=item.event_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        items._sync_activities()
        return items

    def write(self, vals):
        result = super().write(vals)
        if vals.keys() & {"name", "user_id", "partner_id", "date_deadline", "is_done"}:
            self._sync_activities()
        return result

    def unlink(self):
        # An open to-do whose item is gone would be noise; done ones stay as history.
        self.activity_id.filtered("active").unlink()
        return super().unlink()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _sync_activities(self):
        """Keep each staff item's to-do activity in line with the item: create it, move
        it, hand it over, mark it done, or drop it when the item goes to a partner."""
        for item in self:
            activity = item.activity_id
            if activity and not activity.active:
                continue  # done already: it is history now
            if not item.user_id or not item.cooperation_id:
                activity.unlink()
                continue
            if item.is_done:
                if activity:
                    activity.action_done()
                continue
            values = {
                "summary": item.name,
                "user_id": item.user_id.id,
                "date_deadline": item.date_deadline,
            }
            if activity:
                # The meeting may have moved to another cooperation: its to-do goes along.
                activity.write({**values, "res_id": item.cooperation_id.id})
            else:
                item.activity_id = item.cooperation_id.activity_schedule(
                    "mail.mail_activity_data_todo",
                    note=self.env._(
                        "Agreed in the meeting %(meeting)s.",
                        meeting=item.event_id._get_html_link(),
                    ),
                    **values,
                )
