from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalAccessRights(TransactionCase):
    """Staff's daily work with the bridge (publish a training in the catalogue, read the
    portal's records), and what portal users cannot do outside the pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="ki_portal_acl_user", groups="kommune_interkulturell.group_kommune_user"
        )
        cls.portal = new_test_user(
            cls.env, login="ki_portal_acl_portal", groups="base.group_portal"
        )
        cls.training = cls.env["kommune.training"].create(
            {
                "name": "Portal ACL Training",
                "topic_id": cls.env.ref("kommune_interkulturell.training_topic_fundraising").id,
            }
        )

    def test_user_grants_portal_access_with_odoos_wizard(self):
        """Staff invite a participant to the portal with Odoo's wizard; the new portal
        user then reads their registration, and only theirs."""
        person, other = self.env["res.partner"].create(
            [
                {"name": "Portal Wizard Person", "email": "wizard.person@example.org"},
                {"name": "Portal Wizard Other", "email": "wizard.other@example.org"},
            ]
        )
        Registration = self.env["kommune.training.registration"]
        own = Registration.create({"training_id": self.training.id, "partner_id": person.id})
        Registration.create({"training_id": self.training.id, "partner_id": other.id})
        wizard = (
            self.env["portal.wizard"]
            .with_user(self.user)
            .with_context(active_ids=person.ids)
            .create({})
        )
        wizard.user_ids.action_grant_access()
        portal_user = person.user_ids
        self.assertTrue(portal_user._is_portal())
        found = Registration.with_user(portal_user).search([])
        self.assertEqual(found, own)

    def test_user_publishes_in_the_catalogue(self):
        self.training.with_user(self.user).is_catalogue_published = True
        self.assertTrue(self.training.is_catalogue_published)

    def test_portal_user_cannot_publish_nor_read_trainings(self):
        training = self.training.with_user(self.portal)
        with self.assertRaises(AccessError):
            training.is_catalogue_published = True
        with self.assertRaises(AccessError):
            training.read(["name"])

    def test_portal_user_cannot_grant_the_contact_role(self):
        group = self.env.ref("kommune_interkulturell_portal.group_kommune_portal_contact")
        with self.assertRaises(AccessError):
            self.portal.with_user(self.portal).write({"group_ids": [(4, group.id)]})
        with self.assertRaises(AccessError):
            group.with_user(self.user).write({"user_ids": [(4, self.portal.id)]})
