from odoo import fields, models

CHECK_TYPES = [
    ("mo", "Professionalisation Check"),
    ("administration", "Intercultural Opening Check"),
]


class KommuneDevelopmentDimension(models.Model):
    """A dimension of organisational development that a self-check measures, e.g.
    finances and funding; a section of the check's survey maps to it. Its training
    topics are the trainings recommended when an organisation scores low on it."""

    _name = "kommune.development.dimension"
    _inherit = ["kommune.tag.mixin"]
    _description = "Development Dimension"

    check_type = fields.Selection(
        CHECK_TYPES,
        string="Self-Check",
        required=True,
        default="mo",
        help="The self-check that measures this dimension: migrant organisations "
        "(Professionalisation Check) or district administrations (Intercultural "
        "Opening Check).",
    )
    topic_ids = fields.Many2many(
        "kommune.training.topic",
        string="Training Topics",
        help="Trainings on these topics are recommended to organisations that score "
        "low on this dimension.",
    )
