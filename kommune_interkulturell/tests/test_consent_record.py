import base64
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import KommuneCommon

SCAN = base64.b64encode(b"%PDF-1.4 signed sign-up sheet")


@tagged("post_install", "-at_install")
class TestConsentRecord(KommuneCommon):
    """Consents collected on paper, recorded for several persons at once from their
    list by a plain user: one consent each, dated the day of the form, the scan
    attached; refused for whoever withdrew since."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.persons = cls.env["res.partner"].create(
            [{"name": f"Test Papier {n}", "parent_id": cls.mo.id} for n in range(3)]
        )
        cls.purpose_photo = cls.env.ref("kommune_interkulturell.consent_purpose_photo")
        cls.purpose_invitation = cls.env.ref("kommune_interkulturell.consent_purpose_invitation")

    def record(self, persons, purpose, user=None, scan_filename=None, **values):
        Wizard = self.env["kommune.consent.record"].with_user(user or self.user)
        # The file name comes with the upload, as the binary widget sets it.
        form = Form(
            Wizard.with_context(
                active_model="res.partner",
                active_ids=persons.ids,
                default_scan_filename=scan_filename,
            ),
            view="kommune_interkulturell.kommune_consent_record_view_form",
        )
        form.purpose_id = purpose
        for name, value in values.items():
            setattr(form, name, value)
        return form.save().action_record()

    @freeze_time("2031-03-20 10:00:00")
    def test_user_records_paper_consents(self):
        self.record(
            self.persons,
            self.purpose_photo,
            date_given=date(2031, 3, 14),
            scan=SCAN,
            scan_filename="fotoliste.pdf",
        )
        consents = self.persons.kommune_consent_ids
        self.assertEqual(len(consents), 3, "one consent each")
        self.assertEqual(set(consents.mapped("channel")), {"paper"})
        # The form's day, from midnight in Berlin (CET, UTC+1).
        self.assertEqual(set(consents.mapped("date_given")), {datetime(2031, 3, 13, 23, 0)})
        self.assertEqual(set(consents.mapped("state")), {"given"})
        self.assertEqual(consents.create_uid, self.user)
        for consent in consents:
            attachment = self.env["ir.attachment"].search(
                [("res_model", "=", "kommune.consent"), ("res_id", "=", consent.id)]
            )
            self.assertEqual(attachment.name, "fotoliste.pdf")
            self.assertEqual(attachment.raw, b"%PDF-1.4 signed sign-up sheet")
            note = consent.message_ids.filtered("attachment_ids")
            self.assertEqual(note.attachment_ids, attachment, "logged with the scan")
            self.assertEqual(note.author_id, self.user.partner_id)
        # The scan is as confidential as the consent: no access without the group.
        outsider = self.env["res.users"].create(
            {
                "name": "Extern",
                "login": "ki_outsider",
                "group_ids": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(outsider).browse(attachment.id).read(["raw"])

    @freeze_time("2031-03-20 10:00:00")
    def test_refused_when_withdrawn_since(self):
        withdrawn = self.env["kommune.consent"].create(
            {
                "partner_id": self.persons[0].id,
                "purpose_id": self.purpose_photo.id,
                "date_given": datetime(2031, 1, 5),
            }
        )
        with freeze_time("2031-03-15 08:00:00"):
            withdrawn.action_withdraw()
        # A form of the 14th: signed before the withdrawal of the 15th.
        with self.assertRaisesRegex(UserError, "Test Papier 0"):
            self.record(self.persons, self.purpose_photo, date_given=date(2031, 3, 14))
        # The same day: which came first cannot be told; the withdrawal wins.
        with self.assertRaises(UserError):
            self.record(self.persons, self.purpose_photo, date_given=date(2031, 3, 15))
        self.assertFalse(self.persons[1:].kommune_consent_ids, "nothing recorded for the others")
        # A form signed after the withdrawal is a new consent.
        self.record(self.persons, self.purpose_photo, date_given=date(2031, 3, 16))
        self.assertEqual(
            self.persons[0].kommune_consent_ids.mapped("state"), ["given", "withdrawn"]
        )

    @freeze_time("2031-03-20 10:00:00")
    def test_form_day_is_a_berlin_day(self):
        """The form's day starts at midnight in Berlin: a withdrawal at 00:30 that
        night (23:30 UTC the day before) is on the form's day, and wins."""
        withdrawn = self.env["kommune.consent"].create(
            {
                "partner_id": self.persons[0].id,
                "purpose_id": self.purpose_photo.id,
                "date_given": datetime(2031, 1, 5),
            }
        )
        with freeze_time("2031-03-14 23:30:00"):
            withdrawn.action_withdraw()
        with self.assertRaisesRegex(UserError, "Test Papier 0"):
            self.record(self.persons[0], self.purpose_photo, date_given=date(2031, 3, 15))
        self.record(self.persons[0], self.purpose_photo, date_given=date(2031, 3, 16))
        consent = self.persons[0].kommune_consent_ids.filtered(lambda c: c.state == "given")
        self.assertEqual(consent.date_given, datetime(2031, 3, 15, 23, 0), "Berlin midnight")

    def test_refused_when_in_force_or_in_the_future(self):
        self.record(self.persons[0], self.purpose_photo)
        with self.assertRaisesRegex(UserError, "already consented"):
            self.record(self.persons, self.purpose_photo)
        with self.assertRaises(ValidationError):
            self.record(self.persons[1:], self.purpose_photo, date_given=date(2099, 1, 1))

    def test_only_a_manager_records_consent_after_an_objection(self):
        person = self.persons[0]
        with freeze_time("2031-03-01 10:00:00"):
            person._kommune_record_invitation_objection("mail")
        with freeze_time("2031-03-20 10:00:00"):
            with self.assertRaises(AccessError):
                self.record(person, self.purpose_invitation, date_given=date(2031, 3, 10))
            self.record(
                person, self.purpose_invitation, user=self.manager, date_given=date(2031, 3, 10)
            )
        self.assertFalse(person.invitation_opt_out)

    def test_offered_in_the_persons_list_to_project_users_only(self):
        action = self.env.ref("kommune_interkulturell.kommune_consent_record_action")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        self.assertIn("list", action.binding_view_types)
        outsider = self.env["res.users"].create(
            {
                "name": "Extern",
                "login": "ki_outsider2",
                "group_ids": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["kommune.consent.record"].with_user(outsider).create(
                {"partner_ids": self.persons.ids, "purpose_id": self.purpose_photo.id}
            )
