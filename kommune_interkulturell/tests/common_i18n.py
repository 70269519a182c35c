import io

import polib

from odoo.modules.module import get_module_path
from odoo.tools.translate import trans_export


class I18nChecks:
    """Every user-facing string of an addon (``MODULE``) ships in German, and its
    template is current. Mixed into a TransactionCase by each addon of the repo."""

    MODULE = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        buffer = io.BytesIO()
        trans_export(None, [cls.MODULE], buffer, "po", cls.env)
        cls.exported = polib.pofile(buffer.getvalue().decode())
        i18n = f"{get_module_path(cls.MODULE)}/i18n"
        cls.pot = polib.pofile(f"{i18n}/{cls.MODULE}.pot")
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
