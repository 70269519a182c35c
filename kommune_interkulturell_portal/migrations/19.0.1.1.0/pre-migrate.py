"""19.0.1.1.0: profile proposals keep the date of their decision (date_decided).

The retention counted from write_date, which later writes move; for the proposals
decided before, the last write is the closest stored date of their decision (never
earlier than it: the retention can only be longer). Before the models load, so that
the constraint tying the date to the decision finds every decided proposal dated."""

from odoo.tools import SQL
from odoo.tools.sql import table_exists


def migrate(cr, version):
    # Installed before proposals existed: the table comes with the models.
    if not version or not table_exists(cr, "kommune_organization_proposal"):
        return
    cr.execute(
        SQL(
            """ALTER TABLE kommune_organization_proposal
                 ADD COLUMN IF NOT EXISTS date_decided timestamp without time zone"""
        )
    )
    cr.execute(
        SQL(
            """UPDATE kommune_organization_proposal
                  SET date_decided = write_date
                WHERE state != 'to_review' AND date_decided IS NULL"""
        )
    )
