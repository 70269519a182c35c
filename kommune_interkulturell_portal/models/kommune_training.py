from odoo import fields, models


class KommuneTraining(models.Model):
    _inherit = "kommune.training"

    def _kommune_portal_get_cancel_deadline(self):
        """Until when participants cancel on the portal: the cut-off of the personal
        invitation links (days before the first session, a field of
        kommune_interkulturell_mass_mailing) when that bridge is installed, so that both
        ways end at the same moment; else the start of the first session (False: no
        sessions yet, no limit)."""
        self.ensure_one()
        if "cancel_deadline_days" in self._fields:
            return self._get_cancel_deadline()
        return self.date_begin

    def _kommune_portal_can_cancel(self):
        self.ensure_one()
        if self.is_cancelled or self.is_finished:
            return False
        deadline = self._kommune_portal_get_cancel_deadline()
        return not deadline or fields.Datetime.now() < deadline
