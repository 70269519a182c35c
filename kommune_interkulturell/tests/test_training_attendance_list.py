import base64
import io

from PyPDF2 import PdfReader

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import pdf_text
from .common_reporting import START_2031, KommuneReportingCommon

REPORT = "kommune_interkulturell.action_report_training_attendance_list"


@tagged("post_install", "-at_install")
class TestTrainingAttendanceList(KommuneReportingCommon, HttpCase):
    """The signed attendance list as the funder's auditors see it: a real landscape PDF
    (in an HttpCase: wkhtmltopdf fetches the report's assets from the test server) with
    one row per seat holder and room for the signature; the scan marks the session."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.list_training = cls.make_training("Test Unterschriftenliste", START_2031, [3])
        cls.list_training.trainer_ids = cls.trainer
        cls.attend(cls.list_training, cls.persons[:3])
        cls.list_training._register_participant(cls.persons[3], consent=False, confirm=False)
        cls.session = cls.list_training.session_ids
        cls.session.location = "Rathaus Neukölln, Raum 101"

    def test_pdf(self):
        content, content_type = (
            self.env["ir.actions.report"]
            .with_user(self.user)
            .with_context(force_report_rendering=True, lang="de_DE")
            ._render_qweb_pdf(REPORT, res_ids=self.session.ids)
        )
        self.assertEqual(content_type, "pdf")
        reader = PdfReader(io.BytesIO(content))
        page = reader.pages[0]
        self.assertGreater(float(page.mediabox.width), float(page.mediabox.height), "landscape")
        text = pdf_text(content)
        self.assertIn("Test Unterschriftenliste", text)
        self.assertIn("Rathaus Neukölln, Raum 101", text)
        self.assertIn("Test Trainerin Extern", text)
        self.assertIn("Unterschrift", text, "German wording")
        for person in self.persons[:3]:
            self.assertIn(person.name, text)
        self.assertIn(self.mo.name, text, "the organisation of each participant")
        self.assertNotIn(self.persons[3].name, text, "registered without a seat: no row")
        self.assertIn("09:00", text, "the time in Berlin")

    def test_signed_list_marks_the_session_documented(self):
        session = self.session.with_user(self.user)
        self.assertFalse(session.is_documented)
        session.write(
            {
                "signed_list": base64.b64encode(b"%PDF-1.4 scanned list"),
                "signed_list_filename": "unterschriften.pdf",
            }
        )
        self.assertTrue(session.is_documented)
        session.signed_list = False
        self.assertFalse(session.is_documented)

    def test_outsiders_cannot_print_it(self):
        outsider = self.env["res.users"].create(
            {
                "name": "Test Outsider",
                "login": "ki_outsider_list",
                "group_ids": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(outsider)._render_qweb_pdf(
                REPORT, res_ids=self.session.ids
            )
