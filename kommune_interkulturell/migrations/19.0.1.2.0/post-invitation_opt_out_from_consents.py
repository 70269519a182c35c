"""19.0.1.2.0: the opt-out from invitations is read from the consent history.

``res.partner.invitation_opt_out`` was a flag of its own: the unsubscribe link set it and
withdrew the consent to invitations, staff set it without withdrawing anything, and a
sign-up confirmed later never cleared it. It is now computed from the consents (an
invitation record withdrawn and none in force, see res.partner.
_kommune_get_invitation_opt_out_dates). For each person flagged before:

- a consent to invitations given after the opt-out (a sign-up confirmed later while the
  flag stuck): the person agreed again, and the flag goes;
- otherwise the invitation consents still in force are withdrawn as of the opt-out, and
  who then has no withdrawn record gets the objection record, dated then.

Then the flag is recomputed for everybody with an invitation record: a consent withdrawn
with none in force is an opt-out from now on, also where nobody ticked the flag."""

from odoo import SUPERUSER_ID, api, fields

PURPOSE_INVITATION = "invitation"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    purpose = env["kommune.consent.purpose"]._get_by_code(PURPOSE_INVITATION)
    if not purpose:
        return
    Partner = env["res.partner"]
    Consent = env["kommune.consent"]
    # The flags as stored before: the column keeps them, the new compute has not run.
    flagged = Partner.search([("invitation_opt_out", "=", True)])
    since_by_partner = {
        partner: partner.invitation_opt_out_date or partner.write_date or fields.Datetime.now()
        for partner in flagged
    }
    objections = []
    for partner, since in since_by_partner.items():
        records = Consent.search([("partner_id", "=", partner.id), ("purpose_id", "=", purpose.id)])
        in_force = records.filtered(lambda consent: consent.state == "given")
        if any(consent.date_given > since for consent in in_force):
            continue
        in_force.write({"date_withdrawn": since})
        if not records.filtered(lambda consent: consent.state == "withdrawn"):
            objections.append(
                {
                    "partner_id": partner.id,
                    "purpose_id": purpose.id,
                    "legal_basis": "legitimate_interest",
                    "company_id": (partner.company_id or env.company).id,
                    "channel": "staff",
                    "date_given": since,
                    "date_withdrawn": since,
                }
            )
    Consent.create(objections)
    partners = flagged | Consent.search([("purpose_id", "=", purpose.id)]).partner_id
    for fname in ("invitation_opt_out", "invitation_opt_out_date"):
        env.add_to_compute(Partner._fields[fname], partners)
    env.flush_all()
