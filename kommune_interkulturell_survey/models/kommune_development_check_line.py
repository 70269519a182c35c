from odoo import api, fields, models
from odoo.fields import Domain

from .res_config_settings import WEAK_THRESHOLD_DEFAULT, WEAK_THRESHOLD_PARAM


class KommuneDevelopmentCheckLine(models.Model):
    """The score of one development dimension in a check: the average points of the
    statements answered, with the organisation's district and type for the
    analysis."""

    _name = "kommune.development.check.line"
    _description = "Development Check Score"
    _order = "check_id, sequence, id"
    _check_company_auto = True

    check_id = fields.Many2one(
        "kommune.development.check", required=True, index=True, ondelete="cascade"
    )
    dimension_id = fields.Many2one(
        "kommune.development.dimension", required=True, index=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="dimension_id.sequence")
    score = fields.Float(
        digits=(3, 2),
        aggregator="avg",
        help="Average points (1 to 4) of the statements answered in this dimension; "
        "statements left out do not count.",
    )
    answered_count = fields.Integer(string="Statements Answered", aggregator="sum")
    statement_count = fields.Integer(string="Statements", aggregator="sum")
    is_answered = fields.Boolean(
        string="Answered",
        compute="_compute_is_answered",
        store=True,
        help="At least one statement of the dimension was answered; otherwise the "
        "dimension has no score.",
    )
    score_previous = fields.Float(
        string="Previous Score",
        digits=(3, 2),
        compute="_compute_score_previous",
        store=True,
        aggregator="avg",
        help="The dimension's score in the organisation's previous check.",
    )
    score_change = fields.Float(
        string="Change",
        digits=(3, 2),
        compute="_compute_score_previous",
        store=True,
        aggregator="avg",
        help="Points gained (or lost) since the previous check.",
    )
    has_previous = fields.Boolean(compute="_compute_score_previous", store=True)
    is_weak = fields.Boolean(
        string="Weak",
        compute="_compute_is_weak",
        search="_search_is_weak",
        help="Answered, and scoring below the threshold of the settings: upcoming "
        "trainings on the dimension's topics are recommended.",
    )

    # The organisation and date of the check, stored for the analysis by district,
    # organisation type and time.
    partner_id = fields.Many2one(related="check_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="check_id.company_id", store=True, index=True)
    check_type = fields.Selection(related="check_id.check_type", store=True)
    date = fields.Date(related="check_id.date", store=True)
    district_id = fields.Many2one(
        related="check_id.partner_id.district_id", string="District", store=True
    )
    organization_type_id = fields.Many2one(
        related="check_id.partner_id.organization_type_id",
        string="Organisation Type",
        store=True,
    )

    @api.model
    def _get_weak_threshold(self):
        # sudo: system parameters are readable by administrators only; this one is the
        # threshold of the settings, no secret.
        value = self.env["ir.config_parameter"].sudo().get_param(WEAK_THRESHOLD_PARAM)
        try:
            return float(value) if value else WEAK_THRESHOLD_DEFAULT
        except ValueError:
            return WEAK_THRESHOLD_DEFAULT

    @api.depends("score", "is_answered")
    def _compute_is_weak(self):
        threshold = self._get_weak_threshold()
        for line in self:
            line.is_weak = line.is_answered and line.score < threshold

    def _search_is_weak(self, operator, value):
        if operator != "in":
            return NotImplemented
        weak = Domain("is_answered", "=", True) & Domain("score", "<", self._get_weak_threshold())
        return weak if True in value else ~weak

    @api.depends("answered_count")
    def _compute_is_answered(self):
        for line in self:
            line.is_answered = bool(line.answered_count)

    @api.depends(
        "score",
        "is_answered",
        "check_id.previous_check_id.line_ids.score",
        "check_id.previous_check_id.line_ids.is_answered",
    )
    def _compute_score_previous(self):
        for line in self:
            previous = line.check_id.previous_check_id.line_ids.filtered(
                lambda other, line=line: (
                    other.dimension_id == line.dimension_id and other.is_answered
                )
            )[:1]
            line.has_previous = bool(previous) and line.is_answered
            line.score_previous = previous.score
            line.score_change = line.score - previous.score if line.has_previous else 0.0

    @api.depends("dimension_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.dimension_id.name or ""
