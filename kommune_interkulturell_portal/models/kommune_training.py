from odoo import fields, models


class KommuneTraining(models.Model):
    _inherit = "kommune.training"

    is_catalogue_published = fields.Boolean(
        string="In Public Catalogue",
        copy=False,
        help="Shown on the public training catalogue (/kommune/schulungen), where anybody "
        "can register (with consent and a confirmation by e-mail) until the training "
        "starts. Off by default: staff decide what is public.",
    )

    def _get_catalogue_domain(self):
        """The trainings the public catalogue shows: published, not called off, not
        started yet."""
        return [
            ("is_catalogue_published", "=", True),
            ("stage_id.is_cancel", "=", False),
            ("date_begin", ">", fields.Datetime.now()),
        ]

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

    def _kommune_portal_is_registration_open(self):
        """Whether the catalogue still takes a registration for this training."""
        self.ensure_one()
        return bool(self.filtered_domain(self._get_catalogue_domain()))
