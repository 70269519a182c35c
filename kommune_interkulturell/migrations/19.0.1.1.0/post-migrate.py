"""19.0.1.1.0: consents become records (kommune.consent).

Registrations ticked before keep their tick and date; each person gets one consent to
training administration per company, dated with their earliest ticked registration,
and their registrations are linked to it."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    registrations = env["kommune.training.registration"].search(
        [("consent", "=", True), ("consent_id", "=", False)], order="consent_date, id"
    )
    registrations._sync_training_consent()
