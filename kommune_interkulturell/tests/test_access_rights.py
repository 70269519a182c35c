from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KommuneCommon

CONFIG_MODELS = [
    "kommune.district",
    "kommune.organization.type",
    "kommune.community",
    "kommune.language",
    "kommune.activity.area",
    "kommune.target.group",
]


@tagged("post_install", "-at_install")
class TestAccessRights(KommuneCommon):
    def test_user_works_on_organizations(self):
        Partner = self.env["res.partner"].with_user(self.user)
        org = Partner.create(
            {
                "name": "Nutzerin legt an e.V.",
                "is_company": True,
                "organization_type_id": self.type_mo.id,
                "district_id": self.district_mitte.id,
            }
        )
        org.write({"staff_volunteer_count": 5, "district_id": self.district_spandau.id})
        self.mo.with_user(self.user).write({"founding_year": 2001})
        person = Partner.create({"name": "Neue Person", "parent_id": org.id})
        self.assertEqual(person.district_id, self.district_spandau)
        self.assertEqual(
            Partner.search_count([("district_id", "=", self.district_spandau.id)]) >= 2, True
        )

    def test_user_reads_but_cannot_configure(self):
        for model in CONFIG_MODELS:
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.user)
                self.assertTrue(Model.search([], limit=1))
                with self.assertRaises(AccessError):
                    Model.create({"name": f"Neu {model}"})
                record = Model.search([], limit=1)
                with self.assertRaises(AccessError):
                    record.write({"name": "Umbenannt"})
                with self.assertRaises(AccessError):
                    record.unlink()

    def test_manager_configures(self):
        for model in CONFIG_MODELS:
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.manager)
                record = Model.create({"name": f"Neu {model}"})
                record.write({"name": f"Umbenannt {model}"})
                record.unlink()
        district = (
            self.env["kommune.district"]
            .with_user(self.manager)
            .create({"name": "Potsdam-Mittelmark", "state_id": self.env.ref("base.state_de_bb").id})
        )
        self.assertEqual(district.display_name, "Potsdam-Mittelmark")

    def test_employee_without_group_sees_partner_fields(self):
        # Contacts keeps working for internal users outside the project: the network
        # vocabularies are readable, so partners with a type and district still open.
        employee = self.env["res.users"].create(
            {
                "name": "Other Employee",
                "login": "ki_other_employee",
                "group_ids": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        mo = self.mo.with_user(employee)
        self.assertEqual(mo.organization_type_id.name, self.type_mo.name)
        self.assertEqual(mo.district_id.name, "Neukölln")
        with self.assertRaises(AccessError):
            self.env["kommune.district"].with_user(employee).create({"name": "X"})

    def test_menus_by_group(self):
        config_menu = self.env.ref("kommune_interkulturell.menu_kommune_config")
        root = self.env.ref("kommune_interkulturell.menu_kommune_root")
        user_menus = self.env["ir.ui.menu"].with_user(self.user)._visible_menu_ids()
        manager_menus = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertIn(root.id, user_menus)
        self.assertNotIn(config_menu.id, user_menus)
        self.assertIn(config_menu.id, manager_menus)
