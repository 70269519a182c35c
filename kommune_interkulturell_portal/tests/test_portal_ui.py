from odoo.addons.kommune_interkulturell.tests.common import KommuneTourCase
from odoo.tests import tagged

from .test_portal_organization import PortalOrganizationCommon


@tagged("post_install", "-at_install")
class TestPortalUi(PortalOrganizationCommon, KommuneTourCase):
    """The participant's and the contact person's main flows in the browser."""

    def test_participant_tour(self):
        self.training.name = "Tour-Schulung Fördermittel"
        self.start_tour("/my", "kommune_portal_participant_tour", login=self.user_a.login)
        self.env.invalidate_all()
        self.assertEqual(self.reg_a.state, "cancelled")
        self.assertEqual(self.reg_b.state, "confirmed", "the waitlist moved up")
        self.assertEqual(self.reg_a.consent_id.state, "withdrawn")

    def test_contact_tour(self):
        self.start_tour("/my", "kommune_portal_contact_tour", login=self.contact_a.login)
        self.env.invalidate_all()
        self.assertTrue(self.item.is_done)
        self.assertTrue(
            self.mo_a.message_ids.filtered(lambda m: "Berlin-Wedding" in (m.body or ""))
        )
