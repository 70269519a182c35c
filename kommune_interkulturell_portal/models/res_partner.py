import json

from odoo import SUPERUSER_ID, Command, fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    # What staff note about a contact is theirs: portal users read organisations (their
    # page, the catalogue), never the notes about them.
    comment = fields.Html(groups="base.group_user")

    def write(self, vals):
        if "parent_id" not in vals:
            return super().write(vals)
        contact_persons = self._kommune_contact_person_users()
        organizations = {user: user.partner_id.commercial_partner_id for user in contact_persons}
        res = super().write(vals)
        # A contact person speaks for the organisation staff gave them the role for:
        # moved to another organisation (or to none), they lose it, rather than read
        # the new organisation's people and data at once; staff grant it again. Given
        # their first organisation, they keep it (staff may grant the role first).
        moved = contact_persons.filtered(
            lambda user: (
                organizations[user] != user.partner_id
                and user.partner_id.commercial_partner_id != organizations[user]
            )
        )
        if moved:
            group = self.env.ref("kommune_interkulturell_portal.group_kommune_portal_contact")
            # sudo: whoever may move a contact (a staff user) ends the role that came
            # with it, without the right to edit users otherwise.
            moved.sudo().group_ids = [Command.unlink(group.id)]
        return res

    def _kommune_contact_person_users(self):
        """The contact persons' users at or below these contacts: their organisation
        changes with them."""
        # sudo: the users below the contacts, whoever changes them.
        partners = self.sudo().search([("id", "child_of", self.ids), ("user_ids", "!=", False)])
        return partners.user_ids.filtered(
            lambda user: user.has_group(
                "kommune_interkulturell_portal.group_kommune_portal_contact"
            )
        )

    def _mail_get_operation_for_mail_message_operation(self, message_operation):
        """A portal user reads a contact's chatter only on their own contact: an
        organisation's chatter holds the mails of its people and staff's exchanges
        with it. Messages they wrote or received stay theirs (mail checks that first)."""
        result = super()._mail_get_operation_for_mail_message_operation(message_operation)
        if self.env.user.share and not self.env.su:
            own = self.env.user.partner_id
            return {
                partner: operation if partner == own else None
                for partner, operation in result.items()
            }
        return result

    def _kommune_portal_get_personal_data_json(self):
        """The subject access export (Art. 15 DSGVO) of the portal user's own person: the
        JSON document of the managers' export, logged in the same two logs (the network's
        and Odoo's privacy log) with the person as the one who asked.

        Superuser: the export is the managers' tool (the privacy lookup searches every
        table); here the person asks for their own data, which the check below proves
        (the contact of the logged-in user, nobody else's)."""
        self.ensure_one()
        user = self.env.user
        if self != user.partner_id or not user.share:
            raise AccessError(self.env._("You can only download your own data."))
        if self.is_company:
            # An organisation's own account would get the data of all its people (the
            # lookup ties their registrations to it): that is the managers' export.
            raise AccessError(self.env._("You can only download your own data."))
        Export = self.env["kommune.personal.data.export"].with_user(SUPERUSER_ID)
        root = Export.env
        partner = self.with_env(root)
        export = Export.create({"partner_id": partner.id})
        document = json.loads(export._get_json())
        document["exported_by"] = self.name
        privacy = root["kommune.privacy"]
        root["kommune.privacy.log"]._log(
            "access", partner=partner, person_count=1, user=user, company=self.env.company
        )
        privacy._log_privacy_lookup(
            {partner.id: privacy._get_personal_lookup(partner)},
            {partner.id: (partner.name, partner.email_normalized)},
            self.env._("Subject access (Art. 15 DSGVO), downloaded by the person on the portal"),
            user,
        )
        return json.dumps(document, ensure_ascii=False, indent=2, default=str)
