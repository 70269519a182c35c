from odoo import fields, models


class KommuneCooperationKind(models.Model):
    """What kind of cooperation it is: an agreement, a project partnership, a round
    table... Each kind says how long a live cooperation may go without contact before
    the dialogue follow-up reminds the responsible person."""

    _name = "kommune.cooperation.kind"
    _inherit = ["kommune.tag.mixin"]
    _description = "Cooperation Kind"

    dialogue_interval = fields.Integer(
        string="Dialogue Interval (days)",
        default=60,
        help="Days a live cooperation of this kind may go without contact (meeting, "
        "logged call or message, done activity) before its responsible person gets a "
        "follow-up activity. 0 turns the follow-up off.",
    )

    _name_unique = models.UniqueIndex("(name)", "Another cooperation kind already has this name.")
    _dialogue_interval_positive = models.Constraint(
        "CHECK (dialogue_interval >= 0)",
        "The dialogue interval cannot be negative: enter a number of days, or 0 to turn "
        "the follow-up off.",
    )
