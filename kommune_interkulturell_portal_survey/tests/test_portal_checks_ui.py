from odoo.addons.kommune_interkulturell.tests.common import KommuneTourCase
from odoo.tests import tagged

from .common_checks import PortalChecksCommon


@tagged("post_install", "-at_install")
class TestPortalChecksUi(PortalChecksCommon, KommuneTourCase):
    def test_contact_person_opens_a_check(self):
        self.start_tour("/my", "kommune_portal_checks_tour", login=self.contact_a.login)
