from odoo import models

from .kommune_participant_questionnaire import REPORTING_GROUP

QUESTIONNAIRE_MODEL = "kommune.participant.questionnaire"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _inaccessible_comodel_records(self, model_and_ids, operation):
        # A file on a participant questionnaire (a scanned paper form) may hold the
        # special categories (Art. 9 DSGVO): the Reporting group's only, as those fields.
        yield from super()._inaccessible_comodel_records(model_and_ids, operation)
        if self.env.su or self.env.user.has_group(REPORTING_GROUP):
            return
        for res_id in model_and_ids.get(QUESTIONNAIRE_MODEL) or ():
            if res_id:
                yield QUESTIONNAIRE_MODEL, res_id
