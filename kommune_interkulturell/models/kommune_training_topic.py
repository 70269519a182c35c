from odoo import api, fields, models


class KommuneTrainingTopic(models.Model):
    """Subject area of a training, e.g. intercultural competence or fundraising.

    Topics are configurable; the shipped ones follow the network's qualification
    programme for the staff of migrant organisations."""

    _name = "kommune.training.topic"
    _inherit = ["kommune.tag.mixin"]
    _description = "Training Topic"

    training_count = fields.Integer(string="Trainings", compute="_compute_training_count")

    def _compute_training_count(self):
        counts = dict(
            self.env["kommune.training"]._read_group(
                [("topic_id", "in", self.ids)], ["topic_id"], ["__count"]
            )
        )
        for topic in self:
            topic.training_count = counts.get(topic, 0)

    @api.readonly
    def action_open_trainings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_training_action"
        )
        action["domain"] = [("topic_id", "=", self.id)]
        action["context"] = {"default_topic_id": self.id}
        return action
