from odoo.addons.kommune_interkulturell.tests.common_i18n import I18nChecks
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestI18n(I18nChecks, TransactionCase):
    MODULE = "kommune_interkulturell_mass_mailing"

    def test_german_loaded(self):
        self.env["res.lang"]._activate_lang("de_DE")
        env_de = self.env(context={"lang": "de_DE"})
        menu = env_de.ref(f"{self.MODULE}.utm_campaign_menu_training")
        self.assertEqual(menu.name, "Einladungskampagnen")
