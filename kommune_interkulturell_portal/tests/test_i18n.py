from odoo.addons.kommune_interkulturell.tests.common_i18n import I18nChecks
from odoo.tests import HttpCase, tagged

from .common_portal import PortalCommon


@tagged("post_install", "-at_install")
class TestI18n(I18nChecks, HttpCase):
    MODULE = "kommune_interkulturell_portal"


@tagged("post_install", "-at_install")
class TestGermanPages(PortalCommon):
    def test_pages_speak_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.user_a.partner_id.lang = "de_DE"
        self.authenticate(
            self.user_a.login, self.user_a.login, session_extra={"context": {"lang": "de_DE"}}
        )
        self.assertIn("Meine Schulungen", self.url_open("/my/kommune/trainings").text)
        self.assertIn("Meine Daten herunterladen", self.url_open("/my/kommune/data").text)
        purpose = self.env.ref("kommune_interkulturell_portal.consent_purpose_organization_portal")
        self.assertEqual(purpose.with_context(lang="de_DE").name, "Für meine Organisation sichtbar")
