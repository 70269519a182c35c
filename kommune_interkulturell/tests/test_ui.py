from odoo.tests import tagged

from .common import KommuneTourCase


@tagged("post_install", "-at_install")
class TestUi(KommuneTourCase):
    def test_organizations_tour(self):
        """Open the migrant organisations kanban, then an organisation's form with the
        network page, as a plain User of the project working in German."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["res.users"].create(
            {
                "name": "Tour User",
                "login": "ki_tour_user",
                "password": "ki_tour_user",
                "lang": "de_DE",
                "group_ids": [
                    (6, 0, [self.env.ref("kommune_interkulturell.group_kommune_user").id])
                ],
            }
        )
        organization = self.env["res.partner"].create(
            {
                "name": "Tour MO Brückenschlag e.V.",
                "is_company": True,
                "organization_type_id": self.env.ref(
                    "kommune_interkulturell.organization_type_mo"
                ).id,
                "district_id": self.env.ref("kommune_interkulturell.district_berlin_pankow").id,
                "founding_year": 2010,
            }
        )
        self.start_tour("/odoo", "kommune_organizations_tour", login="ki_tour_user")
        # What the user typed on the network page is what the database holds now.
        organization.invalidate_recordset()
        self.assertEqual(organization.founding_year, 2011)
        self.assertEqual(organization.write_uid.login, "ki_tour_user")
