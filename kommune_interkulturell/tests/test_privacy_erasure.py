import base64
import json
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import erase
from .common_privacy import PrivacyCommon

# What funder reports count registrations by.
REPORT_GROUPBY = ["topic_id", "district_id", "organization_type_id", "training_date_begin:month"]


@tagged("post_install", "-at_install")
class TestErasure(PrivacyCommon):
    """Art. 17: erasure anonymises the person, keeps the anonymous counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls.persons[0]
        cls.name, cls.email = cls.person.name, cls.person.email
        cls.person.write(
            {
                "phone": "+49 30 1234567",
                "street": "Hermannstraße 1",
                "comment": "<p>Spricht Arabisch und Kurdisch.</p>",
            }
        )
        cls.traces = cls.make_traces(cls.person)
        cls.registration = cls.traces["registration"]

    def erase(self, partners=None, user=None):
        return erase(partners or self.person, user or self.manager)

    def report_counts(self):
        return self.env["kommune.training.registration"]._read_group(
            [("training_id", "=", self.training.id)], REPORT_GROUPBY, ["__count"]
        )

    def test_person_is_anonymised(self):
        self.erase()
        person = self.person.with_context(active_test=False)
        self.assertEqual(person.name, self.anonymous)
        for fname in (
            "email",
            "phone",
            "street",
            "comment",
            "image_1920",
            "parent_id",
            "function",
            "network_role",
            "organization_type_id",
        ):
            with self.subTest(field=fname):
                self.assertFalse(person[fname])
        self.assertFalse(person.active, "archived: out of every list and audience")
        self.assertTrue(person.kommune_anonymized_date)
        self.assertFalse(person.message_follower_ids)
        self.assertFalse(
            self.env["mail.followers"].search([("partner_id", "=", person.id)]),
            "follows nothing any more",
        )

    def test_statistics_survive(self):
        waiting = self.register(self.persons[1:3])
        self.assertEqual(waiting.mapped("state"), ["confirmed", "waitlist"])
        before = self.report_counts()
        attendance = self.registration.attendance_ids
        self.erase()
        self.assertEqual(self.report_counts(), before, "counted as before, anonymously")
        self.assertTrue(self.registration.exists())
        self.assertEqual(self.registration.partner_id, self.person)
        self.assertEqual(self.registration.organization_id, self.mo, "organisation stays")
        self.assertEqual(self.registration.organization_type_id, self.type_mo)
        self.assertEqual(self.registration.attendance_ids, attendance)
        self.assertEqual(self.registration.attendance_ids.mapped("present"), [True, False])
        self.assertFalse(self.registration.note)
        self.assertEqual(
            self.registration.state, "cancelled", "the seat of a coming training is freed"
        )
        self.assertEqual(waiting.mapped("state"), ["confirmed", "confirmed"])

    def test_consents_withdrawn_and_kept(self):
        consents = self.person.kommune_consent_ids
        self.assertEqual(consents.mapped("state"), ["given", "given"])
        self.erase()
        self.assertEqual(consents.exists(), consents, "evidence is kept")
        self.assertEqual(consents.mapped("state"), ["withdrawn", "withdrawn"])
        self.assertFalse(any(consents.mapped("note")))
        self.assertFalse(self.registration.consent)

    def test_files_on_consents_and_registrations_deleted(self):
        """A scanned consent or registration form carries the person's name,
        signature and address, which no lookup reads in a file: erasure deletes the
        files on their consents and registrations, the dated records stay."""
        consent = self.person.kommune_consent_ids[:1]
        consent.message_post(
            body="Unterschriebenes Formular",
            attachments=[("einwilligung.pdf", b"%PDF-1.4 signed consent form")],
        )
        registration_scan = self.env["ir.attachment"].create(
            {
                "name": "anmeldung.pdf",
                "raw": b"%PDF-1.4 signed registration form",
                "res_model": self.registration._name,
                "res_id": self.registration.id,
            }
        )
        files = self.env["ir.attachment"].search(
            [
                "|",
                "&",
                ("res_model", "=", consent._name),
                ("res_id", "=", consent.id),
                "&",
                ("res_model", "=", self.registration._name),
                ("res_id", "=", self.registration.id),
            ]
        )
        self.assertEqual(len(files), 2)
        self.assertIn(registration_scan, files)
        self.erase()
        self.assertFalse(files.exists())
        self.assertTrue(consent.exists(), "the dated consent stays as evidence")
        self.assertTrue(self.registration.exists())

    def test_activities_naming_them_deleted(self):
        """A to-do naming the person (on a training or cooperation: summary or note)
        is theirs: the lookup finds it, erasure deletes it; a namesake's is left alone."""
        cooperation = self.traces["cooperation"]
        theirs = self.training.activity_schedule(
            "mail.mail_activity_data_call",
            summary=f"{self.name} zurückrufen",
            user_id=self.user.id,
        ) | cooperation.activity_schedule(
            "mail.mail_activity_data_todo",
            note=f"<p>Flyer mit {self.email} abstimmen</p>",
            user_id=self.user.id,
        )
        first_name = self.name.split()[-1]
        other = self.training.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=f"{first_name}s Raum buchen",
            user_id=self.user.id,
        )
        found, _others = self.env["privacy.lookup.wizard"]._kommune_lookup(self.person)[
            self.person.id
        ]
        self.assertEqual(found.get("mail.activity"), set(theirs.ids))
        self.erase()
        self.assertFalse(theirs.exists())
        self.assertTrue(other.exists())

    def test_scheduled_messages_to_them_cancelled(self):
        """A message scheduled in a chatter would post their name and address again
        after the erasure: those on their contact or to them alone go, others are no
        longer sent to them."""
        Scheduled = self.env["mail.scheduled.message"]
        later = fields.Datetime.now() + timedelta(days=2)

        def schedule(record, partners, body):
            return Scheduled.create(
                {
                    "model": record._name,
                    "res_id": record.id,
                    "author_id": self.user.partner_id.id,
                    "partner_ids": [Command.set(partners.ids)],
                    "body": body,
                    "scheduled_date": later,
                }
            )

        on_contact = schedule(self.person, self.person, f"<p>Rückruf {self.name}</p>")
        to_them = schedule(self.registration, self.person, f"<p>Hallo {self.name}</p>")
        to_all = schedule(self.training, self.person | self.persons[1], "<p>Raumänderung</p>")
        self.erase()
        self.assertFalse((on_contact | to_them).exists())
        self.assertEqual(to_all.partner_ids, self.persons[1], "the others still get it")
        with freeze_time(later + timedelta(hours=1)):
            Scheduled._post_messages_cron()
        self.assertFalse(self.env["mail.message"].search([("body", "ilike", self.name)]))

    def test_scheduled_messages_to_others_lose_their_name(self):
        """A message scheduled to others that names the person (body or subject) is
        posted after the erasure: it no longer names them, by name or address."""
        Scheduled = self.env["mail.scheduled.message"]
        later = fields.Datetime.now() + timedelta(days=2)
        named = Scheduled.create(
            {
                "model": self.training._name,
                "res_id": self.training.id,
                "author_id": self.user.partner_id.id,
                "partner_ids": [Command.set((self.person | self.persons[1]).ids)],
                "subject": f"Moderation: {self.name}",
                "body": f"<p>{self.name} ({self.email}) moderiert den zweiten Tag.</p>",
                "scheduled_date": later,
            }
        )
        self.erase()
        self.assertEqual(named.partner_ids, self.persons[1])
        for text in (named.subject, str(named.body)):
            self.assertNotIn(self.name, text)
            self.assertNotIn(self.email, text)
        self.assertIn("moderiert den zweiten Tag", str(named.body))

    def test_messages_cleaned(self):
        traces = self.traces
        own_chatter = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.person.id)]
        )
        self.assertTrue(own_chatter)
        # A tracked change of participant that names the person.
        other = self.env["kommune.training.registration"].create(
            {
                "training_id": self.env["kommune.training"].create({"name": "Andere"}).id,
                "partner_id": self.persons[1].id,
            }
        )
        self.env.flush_all()
        self.cr.flush()
        other.partner_id = self.person
        self.env.flush_all()
        self.cr.flush()
        tracking = other.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "partner_id"
        )
        self.assertIn(self.name, tracking.new_value_char)

        self.erase()
        self.assertFalse(own_chatter.exists(), "the person's chatter is gone")
        reply = traces["reply"]
        self.assertNotIn("030 1234567", str(reply.body), "what they wrote is blanked")
        self.assertFalse(reply.email_from)
        mention = traces["mention"]
        self.assertNotIn(self.name, str(mention.body))
        self.assertNotIn(self.email, str(mention.body))
        self.assertIn(self.anonymous, str(mention.body))
        self.assertIn("über den Flyer", str(mention.body), "the rest of the note stays")
        self.assertNotIn("bestätigt", str(traces["mail_to_person"].body))
        self.assertNotIn(self.name, traces["mail_to_person"].record_name)
        self.assertNotIn(self.name, tracking.new_value_char)
        everything = (
            self.env["mail.message"]
            .search([("model", "like", "kommune.%")])
            .mapped(lambda message: f"{message.body} {message.subject} {message.record_name}")
        )
        self.assertFalse([text for text in everything if self.name in text])

    def test_queued_mails_cancelled(self):
        queued = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.person.ids), ("state", "=", "outgoing")]
        )
        self.assertTrue(queued, "the confirmation waits in the queue")
        self.erase()
        self.assertFalse(queued.exists())
        log = self.env["kommune.privacy.log"].search([], limit=1)
        self.assertEqual(log.mail_count, len(queued))

    def test_mails_of_similar_addresses_stay(self):
        """Only the person's own address counts: erasing anna@ keeps johanna@'s mail."""
        local, domain = self.person.email_normalized.split("@")
        similar = self.env["mail.mail"].create(
            {
                "subject": "Test ähnliche Adresse",
                "body_html": "<p>Hallo</p>",
                "email_to": f"jo{local}@{domain}",
            }
        )
        own = self.env["mail.mail"].create(
            {
                "subject": "Test eigene Adresse",
                "body_html": "<p>Hallo</p>",
                "email_to": f'"Irgendwer" <{self.person.email_normalized}>',
            }
        )
        self.erase()
        self.assertTrue(similar.exists())
        self.assertFalse(own.exists())

    def test_erasure_is_logged_without_personal_data(self):
        self.erase()
        log = self.env["kommune.privacy.log"].search([], limit=1)
        self.assertEqual(log.operation, "erasure")
        self.assertEqual(log.user_id, self.manager)
        self.assertEqual(log.partner_id, self.person, "the now anonymous record")
        self.assertEqual((log.person_count, log.registration_count, log.consent_count), (1, 1, 2))
        self.assertGreaterEqual(log.message_count, 3)
        texts = " ".join(str(value) for value in log.read()[0].values())
        self.assertNotIn(self.name, texts)
        self.assertNotIn(self.email, texts)

    def test_nothing_left_to_export(self):
        self.erase()
        wizard = (
            self.env["kommune.personal.data.export"]
            .with_user(self.manager)
            .create({"partner_id": self.person.id})
        )
        exported = base64.b64decode(wizard.json_file).decode()
        self.assertNotIn(self.name, exported)
        self.assertNotIn(self.email, exported)
        self.assertNotIn("Kinderbetreuung", exported)
        self.assertNotIn("Aufenthaltsstatus", exported)
        self.assertEqual(json.loads(exported)["data"]["person"]["name"], self.anonymous)

    def test_blacklist_keeps_the_objection(self):
        self.env["mail.blacklist"]._add(self.email)
        self.erase()
        self.assertTrue(self.env["mail.blacklist"].search([("email", "=", self.email)]))

    def test_irreversible_and_confirmed(self):
        action = self.person.with_user(self.manager).action_kommune_anonymize()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({})
        )
        with self.assertRaises(UserError):
            wizard.action_anonymize()  # not confirmed
        self.assertEqual(self.person.name, self.name)
        self.erase()
        with self.assertRaises(UserError):
            self.person.with_user(self.manager).action_kommune_anonymize()
        with self.assertRaises(UserError):
            self.env["kommune.privacy"]._anonymize(self.person)

    def test_only_people(self):
        for partner in (self.mo, self.user.partner_id, self.env.company.partner_id):
            with self.subTest(partner=partner.name), self.assertRaises(UserError):
                partner.with_user(self.manager).action_kommune_anonymize()

    def test_only_managers(self):
        for user in (self.user, self.sensitive_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.person.with_user(user).action_kommune_anonymize()
                with self.assertRaises(AccessError):
                    self.env["kommune.privacy"].with_user(user)._anonymize(self.person)
                with self.assertRaises(AccessError):
                    self.env["kommune.partner.anonymize"].with_user(user).create(
                        {"partner_ids": self.person.ids, "confirm": True}
                    )
        self.assertEqual(self.person.name, self.name)

    def test_several_at_once(self):
        result = self.erase(self.persons[1:3])
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(
            self.persons[1:3].with_context(active_test=False).mapped("name"),
            [self.anonymous] * 2,
        )
        log = self.env["kommune.privacy.log"].search([], limit=1)
        self.assertEqual(log.person_count, 2)
        self.assertFalse(log.partner_id, "no single person to point to")
