import io

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

MODULE = "kommune_interkulturell"


@tagged("post_install", "-at_install")
class TestI18n(TransactionCase):
    """Every user-facing string ships in German, and the template is current."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        buffer = io.BytesIO()
        trans_export(None, [MODULE], buffer, "po", cls.env)
        cls.exported = polib.pofile(buffer.getvalue().decode())
        i18n = f"{get_module_path(MODULE)}/i18n"
        cls.pot = polib.pofile(f"{i18n}/{MODULE}.pot")
        cls.de = polib.pofile(f"{i18n}/de.po")

    def test_pot_is_current(self):
        exported = {entry.msgid for entry in self.exported}
        committed = {entry.msgid for entry in self.pot}
        self.assertFalse(exported - committed, "strings missing in the .pot: run `make i18n`")
        self.assertFalse(committed - exported, "stale strings in the .pot: run `make i18n`")

    def test_german_complete(self):
        german = {
            entry.msgid: entry.msgstr
            for entry in self.de
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
        }
        missing = sorted(entry.msgid for entry in self.exported if entry.msgid not in german)
        self.assertFalse(missing, f"{len(missing)} strings without German: {missing[:20]}")

    def test_german_loaded(self):
        self.env["res.lang"]._activate_lang("de_DE")
        env_de = self.env(context={"lang": "de_DE"})
        menu = env_de.ref(f"{MODULE}.res_partner_menu_migrant_organization")
        self.assertEqual(menu.name, "Migrant*innenorganisationen")
        stage_field = env_de["ir.model.fields"]._get("res.partner", "district_id")
        self.assertEqual(stage_field.field_description, "Hauptbezirk")
