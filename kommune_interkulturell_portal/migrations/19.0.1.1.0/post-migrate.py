"""19.0.1.1.0: profile proposals keep the date of their decision (date_decided).

The retention counted from write_date, which any later write moves; the proposals
decided before have no other trace of their decision date than that write_date."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """UPDATE kommune_organization_proposal
                  SET date_decided = write_date
                WHERE state != 'to_review' AND date_decided IS NULL"""
        )
    )
