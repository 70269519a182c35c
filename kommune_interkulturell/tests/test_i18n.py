from odoo.tests import TransactionCase, tagged

from .common_i18n import I18nChecks


@tagged("post_install", "-at_install")
class TestI18n(I18nChecks, TransactionCase):
    MODULE = "kommune_interkulturell"

    def test_german_loaded(self):
        self.env["res.lang"]._activate_lang("de_DE")
        env_de = self.env(context={"lang": "de_DE"})
        menu = env_de.ref(f"{self.MODULE}.res_partner_menu_migrant_organization")
        self.assertEqual(menu.name, "Migrant*innenorganisationen")
        stage_field = env_de["ir.model.fields"]._get("res.partner", "district_id")
        self.assertEqual(stage_field.field_description, "Hauptbezirk")
