import io
from datetime import datetime, timedelta

from PyPDF2 import PdfReader

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

CERTIFICATE = "kommune_interkulturell.action_report_training_certificate"


@tagged("post_install", "-at_install")
class TestTrainingCertificate(HttpCase):
    """Real PDFs through wkhtmltopdf. In an HttpCase, because wkhtmltopdf fetches the
    report's assets from the running test server (inside a plain TransactionCase the
    render hangs)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        mo = cls.env["res.partner"].create(
            {
                "name": "Zertifikat MO e.V.",
                "is_company": True,
                "organization_type_id": cls.env.ref(
                    "kommune_interkulturell.organization_type_mo"
                ).id,
            }
        )
        cls.amal, cls.karim, cls.absent = cls.env["res.partner"].create(
            [
                {"name": "Amal Haddad", "parent_id": mo.id},
                {"name": "Karim Mansour", "parent_id": mo.id},
                {"name": "Nour Khalil", "parent_id": mo.id},
            ]
        )
        cls.training = cls.env["kommune.training"].create(
            {
                "name": "Interkulturelle Öffnung in der Verwaltung",
                "topic_id": cls.env.ref(
                    "kommune_interkulturell.training_topic_intercultural_competence"
                ).id,
                "format": "workshop",
            }
        )
        start = datetime(2031, 2, 4, 8, 0)
        cls.session = cls.env["kommune.training.session"].create(
            {"training_id": cls.training.id, "start": start, "stop": start + timedelta(hours=4)}
        )
        silent = cls.training.with_context(kommune_training_no_mail=True)
        cls.registrations = cls.env["kommune.training.registration"]
        for person in (cls.amal, cls.karim, cls.absent):
            cls.registrations |= silent._register_participant(person, consent=True)
        cls.session.action_mark_all_present()
        cls.absent_registration = cls.registrations[2]
        cls.absent_registration.attendance_ids.present = False
        cls.attended = cls.registrations[:2]

    def render(self, registrations):
        content, content_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(CERTIFICATE, res_ids=registrations.ids)
        )
        self.assertEqual(content_type, "pdf")
        # PyPDF2 returns the words of wkhtmltopdf's PDFs separated by tabs.
        return [
            " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
        ]

    def test_certificate_pdf(self):
        self.assertEqual(self.attended.mapped("state"), ["attended", "attended"])
        (page,) = self.render(self.attended[0])
        self.assertIn("Amal Haddad", page)
        self.assertIn("Teilnahmebescheinigung", page, "German wording by default")
        self.assertIn("Interkulturelle Öffnung in der Verwaltung", page)
        self.assertIn("Zertifikat MO e.V.", page)
        self.assertIn("1 von 1 Terminen, 4 Stunden", page)

    def test_batch_gives_one_merged_pdf(self):
        action = self.training.action_print_certificates()
        self.assertEqual(
            action["report_name"], "kommune_interkulturell.report_training_certificate"
        )
        self.assertEqual(sorted(action["context"]["active_ids"]), sorted(self.attended.ids))
        pages = self.render(self.attended)
        self.assertEqual(len(pages), 2, "one page per participant, in one PDF")
        self.assertIn("Amal Haddad", pages[0])
        self.assertIn("Karim Mansour", pages[1])
        self.assertNotIn("Nour Khalil", "".join(pages))

    def test_no_certificate_without_attendance(self):
        with self.assertRaises(UserError):
            self.env["ir.actions.report"]._render_qweb_html(
                CERTIFICATE, self.absent_registration.ids
            )
        other = self.env["kommune.training"].create({"name": "Noch niemand da"})
        with self.assertRaises(UserError):
            other.action_print_certificates()
