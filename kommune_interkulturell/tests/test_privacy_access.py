import base64
import json
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_privacy import PrivacyCommon


@tagged("post_install", "-at_install")
class TestSubjectAccess(PrivacyCommon):
    """Art. 15: a manager exports everything the network holds about a person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls.persons[0]
        cls.traces = cls.make_traces(cls.person)
        cls.registration = cls.traces["registration"]

    def export(self, user=None):
        user = user or self.manager
        action = self.person.with_user(user).action_kommune_personal_data()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create({})
        )
        return wizard

    def test_json_holds_everything(self):
        wizard = self.export()
        self.assertEqual(wizard.partner_id, self.person)
        document = json.loads(base64.b64decode(wizard.json_file))
        data = document["data"]
        self.assertEqual(document["person_id"], self.person.id)
        self.assertEqual(data["person"]["name"], self.person.name)
        self.assertEqual(data["person"]["email"], self.person.email)
        self.assertEqual(data["person"]["parent_id"], self.mo.name)
        purposes = {consent["purpose_id"] for consent in data["consents"]}
        self.assertEqual(purposes, {"Training administration", "Photos"})
        photo = next(c for c in data["consents"] if c["purpose_id"] == "Photos")
        self.assertEqual(photo["note"], "Formular im Ordner 2031/03.", "details included")
        self.assertEqual(photo["channel"], "Signed paper form")
        (registration,) = data["training_registrations"]
        self.assertEqual(registration["training_id"], self.training.name)
        self.assertEqual(registration["state"], "Confirmed")
        self.assertIn("Kinderbetreuung", registration["note"])
        self.assertEqual(
            [(line["session_id"], line["present"]) for line in data["training_attendance"]],
            [(self.sessions[0].display_name, True), (self.sessions[1].display_name, False)],
        )
        (contact,) = data["cooperation_contacts"]
        self.assertEqual(contact["cooperation_id"], "Test Kooperation Datenschutz")
        (item,) = data["action_items"]
        self.assertEqual(item["name"], "Flyer übersetzen")
        meetings = {meeting["name"] for meeting in data["meetings"]}
        self.assertIn("Test Treffen Datenschutz", meetings)
        self.assertTrue(
            {session.name for session in self.sessions} <= meetings, "sessions attended"
        )
        bodies = " ".join(message["body"] or "" for message in data["messages"])
        self.assertIn("Aufenthaltsstatus ungeklärt", bodies, "notes on the person")
        self.assertIn("Tel. 030 1234567", bodies, "what they wrote")
        self.assertIn("Ihre Anmeldung ist bestätigt", bodies, "messages on their registration")
        self.assertNotIn("Gespräch mit", bodies, "notes about others' records stay out")
        self.assertTrue(data["mail_delivery"], "the mails sent to them")
        self.assertEqual(data["mail_delivery"][0]["notification_type"], "Email")

    def test_messages_scheduled_to_them_are_listed(self):
        """A message scheduled to the person (or on their contact) is data held on
        them, as the mails waiting for them."""
        scheduled = self.env["mail.scheduled.message"].create(
            {
                "model": self.registration._name,
                "res_id": self.registration.id,
                "author_id": self.user.partner_id.id,
                "partner_ids": [Command.set(self.person.ids)],
                "subject": "Raumänderung",
                "body": "<p>Bitte kommen Sie in Raum 4.</p>",
                "scheduled_date": fields.Datetime.now() + timedelta(days=2),
            }
        )
        data = json.loads(base64.b64decode(self.export().json_file))["data"]
        (row,) = data["scheduled_messages"]
        self.assertEqual(row["subject"], scheduled.subject)
        self.assertIn("Raum 4", row["body"])

    def test_questionnaire_special_categories_are_named_when_withheld(self):
        """The person's questionnaire is in their copy. Disability and minority are
        the Reporting group's: a manager without it exports the copy naming these
        questions as withheld (never silently missing, which would read as "not
        recorded"); a manager of the Reporting group exports the answers."""
        self.env["kommune.funding.period"].search([]).action_archive()
        period = self.env["kommune.funding.period"].create(
            {"name": "Test Periode Auskunft", "date_start": "2031-01-01", "date_end": "2031-12-31"}
        )
        self.env["kommune.participant.questionnaire"].create(
            {
                "partner_id": self.person.id,
                "period_id": period.id,
                "gender": "female",
                "special_consent": True,
                "disability": "yes",
            }
        )
        (row,) = json.loads(base64.b64decode(self.export().json_file))["data"]["questionnaires"]
        self.assertEqual(row["gender"], "Female")
        self.assertEqual(row["period_id"], "Test Periode Auskunft")
        for fname in ("disability", "minority", "special_consent"):
            self.assertNotIn(fname, row)
        self.assertEqual(
            row["withheld"],
            ["Consent to Special Categories", "Consent Given On", "Disability", "Minority"],
        )
        self.manager.group_ids |= self.env.ref("kommune_interkulturell.group_kommune_reporting")
        (row,) = json.loads(base64.b64decode(self.export().json_file))["data"]["questionnaires"]
        self.assertEqual(row["disability"], "Yes")
        self.assertIsNone(row["minority"])
        self.assertIs(row["special_consent"], True)
        self.assertNotIn("withheld", row)

    def test_export_is_logged(self):
        Log = self.env["kommune.privacy.log"]
        before = Log.search_count([])
        wizard = self.export()
        action = wizard.action_download_json()
        self.assertIn(
            f"/web/content/kommune.personal.data.export/{wizard.id}/json_file/", action["url"]
        )
        self.assertNotIn("Teilnehmende", action["url"], "no name in URLs (server logs)")
        report = wizard.action_print_pdf()
        self.assertEqual(report["report_name"], "kommune_interkulturell.report_personal_data")
        logs = Log.search([], limit=2)
        self.assertEqual(Log.search_count([]), before + 2)
        self.assertEqual(set(logs.mapped("operation")), {"access"})
        self.assertEqual(logs.partner_id, self.person)
        self.assertEqual(logs.user_id, self.manager)

    def test_readable_report(self):
        self.env["res.lang"]._activate_lang("de_DE")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(lang="de_DE")
            ._render_qweb_html("kommune_interkulturell.report_personal_data", self.person.ids)[0]
            .decode()
        )
        self.assertIn(self.person.name, html)
        self.assertIn("Kinderbetreuung", html)
        self.assertIn("Test Kooperation Datenschutz", html)
        self.assertIn("Art. 15 DSGVO", html)
        self.assertIn("Auskunft", html, "German wording")

    def test_only_managers(self):
        for user in (self.user, self.sensitive_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.person.with_user(user).action_kommune_personal_data()
                with self.assertRaises(AccessError):
                    self.env["kommune.privacy"].with_user(user)._get_personal_data(self.person)
                with self.assertRaises(AccessError):
                    self.env["kommune.personal.data.export"].with_user(user).create(
                        {"partner_id": self.person.id}
                    )
                with self.assertRaises(AccessError):
                    self.env["ir.actions.report"].with_user(user)._render_qweb_html(
                        "kommune_interkulturell.report_personal_data", self.person.ids
                    )

    def test_companies_of_the_manager_only(self):
        other_training = self.env["kommune.training"].create(
            {"name": "Schulung im anderen Projekt", "company_id": self.other_company.id}
        )
        other_training.with_context(kommune_training_no_mail=True)._register_participant(
            self.person, consent=True
        )
        data = {
            key: rows
            for key, _title, rows in self.env["kommune.privacy"]
            .with_user(self.manager)
            ._get_personal_data(self.person)
        }
        trainings = {
            value
            for row in data["training_registrations"]
            for fname, _l, value, _d in row
            if fname == "training_id"
        }
        self.assertEqual(trainings, {self.training.name}, "not the other company's")
        self.manager.company_ids |= self.other_company
        data = {
            key: rows
            for key, _title, rows in self.env["kommune.privacy"]
            .with_user(self.manager)
            ._get_personal_data(self.person)
        }
        self.assertEqual(len(data["training_registrations"]), 2)
