from odoo import api, models


class KommunePrivacy(models.AbstractModel):
    """Subject access and erasure of the profile proposals a contact person made for
    their organisation: the proposal names them and holds what they wrote."""

    _inherit = "kommune.privacy"

    def _kommune_proposals(self, persons):
        """The persons' proposals. Erasure and subject access run after the manager
        check, in every company (see _anonymize): sudo, for these persons' proposals
        only."""
        return (
            self.env["kommune.organization.proposal"]
            .sudo()
            .search([("partner_id", "in", persons.ids)])
        )

    @api.model
    def _get_app_sections(self, person, found, looked_up):
        return super()._get_app_sections(person, found, looked_up) + [
            (
                "profile_proposals",
                self.env._("Profile Proposals"),
                self._kommune_proposals(person).with_env(self.env)
                | looked_up("kommune.organization.proposal"),
            ),
        ]

    @api.model
    def _get_exported_fields(self):
        return {
            **super()._get_exported_fields(),
            "kommune.organization.proposal": [
                *("organization_id", "create_date", "state", "street", "zip", "city"),
                *("phone", "email", "website", "communities", "languages", "activities"),
                # When it was decided, and why not: it is kept until 90 days after.
                *("date_decided", "reject_reason"),
            ],
        }

    @api.model
    def _anonymize_app_records(self, persons, records):
        """The persons' proposals go, with their review activities: what staff accepted
        is on the organisation, and the chatter keeps the decision (anonymised)."""
        done = super()._anonymize_app_records(persons, records)
        proposals = self._kommune_proposals(persons)
        found = records("kommune.organization.proposal")
        # Found by the same address or name only: not necessarily theirs.
        proposals |= found.filtered(lambda proposal: proposal.partner_id in persons)
        proposals.activity_id.unlink()
        proposals.unlink()
        return done

    @api.model
    def _get_erasure_labels(self):
        return {
            **super()._get_erasure_labels(),
            "kommune.organization.proposal": self.env._("Deleted"),
        }
