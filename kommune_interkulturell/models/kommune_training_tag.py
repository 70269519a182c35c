from odoo import models


class KommuneTrainingTag(models.Model):
    """Free tags on trainings, e.g. "Kooperation mit Jobcenter" or "Förderprogramm"."""

    _name = "kommune.training.tag"
    _inherit = ["kommune.tag.mixin"]
    _description = "Training Tag"
