from odoo.addons.kommune_interkulturell.tests.common_i18n import I18nChecks
from odoo.tests import HttpCase, tagged

from .common_checks import PortalChecksCommon


@tagged("post_install", "-at_install")
class TestI18n(I18nChecks, HttpCase):
    MODULE = "kommune_interkulturell_portal_survey"


@tagged("post_install", "-at_install")
class TestGermanPages(PortalChecksCommon):
    def test_section_speaks_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.contact_a.partner_id.lang = "de_DE"
        self.authenticate(
            self.contact_a.login,
            self.contact_a.login,
            session_extra={"context": {"lang": "de_DE"}},
        )
        page = self.url_open("/my/kommune/organization").text
        self.assertIn("Selbstchecks", page)
        self.assertIn("Entwicklungsplan", page)
        self.assertIn("Professionalisierungs-Check", page)
        self.assertIn("1,67", page, "scores in the German number format")
