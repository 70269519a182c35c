import json

from odoo.tests import HttpCase, tagged

from .common import pdf_text
from .common_privacy import PrivacyCommon

REPORT = "kommune_interkulturell.report_personal_data"


@tagged("post_install", "-at_install")
class TestSubjectAccessDownloads(PrivacyCommon, HttpCase):
    """The subject access as the manager receives it: a real PDF through wkhtmltopdf
    (in an HttpCase: wkhtmltopdf fetches the report's assets from the test server) and
    the JSON file over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.person = cls.persons[0]
        cls.make_traces(cls.person)

    def test_pdf(self):
        content, content_type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True, lang="de_DE")
            ._render_qweb_pdf(REPORT, res_ids=self.person.ids)
        )
        self.assertEqual(content_type, "pdf")
        text = pdf_text(content)
        self.assertIn(self.person.name, text)
        self.assertIn("Auskunft", text, "German wording")
        self.assertIn("Test Kooperation Datenschutz", text)
        self.assertIn("Kinderbetreuung", text)

    def test_json_download(self):
        wizard = (
            self.env["kommune.personal.data.export"]
            .with_user(self.manager)
            .create({"partner_id": self.person.id})
        )
        url = wizard.action_download_json()["url"]
        self.authenticate("ki_manager", "ki_manager")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        document = json.loads(response.content)
        self.assertEqual(document["data"]["person"]["name"], self.person.name)
        self.assertTrue(document["data"]["training_registrations"])
        # Nobody else gets it, not even with the link.
        self.authenticate("ki_sensitive", "ki_sensitive")
        response = self.url_open(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(self.person.email, response.text)
