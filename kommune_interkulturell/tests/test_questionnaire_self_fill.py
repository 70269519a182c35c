from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.kommune_participant_questionnaire import (
    DEFAULT_SELF_FILL_DAYS,
    SELF_FILL_DAYS_PARAM,
)
from .common_reporting import START_2031, KommuneReportingCommon

LINK_TEMPLATE = "kommune_interkulturell.mail_template_questionnaire_link"


@tagged("post_install", "-at_install")
class TestQuestionnaireSelfFill(KommuneReportingCommon):
    """Staff send a person the personal link to their questionnaire: only to people the
    network may write to about their training (a consent in force, an address, not
    erased), never to short contacts; the link is signed, time-limited and replaced by
    every new one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person, cls.other = cls.persons[0], cls.persons[1]
        # A seminar of 3 x 3 hours: above the 8 short-contact hours.
        cls.seminar = cls.make_training("Test Seminar Fragebogen", START_2031, [3, 3, 3])
        cls.attend(cls.seminar, cls.persons[:3])
        Questionnaire = cls.env["kommune.participant.questionnaire"]
        cls.questionnaire = Questionnaire.create(
            {"partner_id": cls.person.id, "period_id": cls.period.id}
        )
        cls.other_questionnaire = Questionnaire.create(
            {"partner_id": cls.other.id, "period_id": cls.period.id}
        )

    def sent_mails(self, questionnaire):
        return self.env["mail.mail"].search(
            [("model", "=", questionnaire._name), ("res_id", "=", questionnaire.id)]
        )

    def test_plain_user_sends_the_link(self):
        questionnaire = self.questionnaire.with_user(self.user)
        with freeze_time("2031-02-10 10:00:00"):
            questionnaire.action_send_self_fill_link()
        self.assertEqual(questionnaire.self_fill_state, "sent")
        self.assertEqual(
            questionnaire.self_fill_expiry,
            fields.Datetime.to_datetime("2031-02-10 10:00:00")
            + timedelta(days=DEFAULT_SELF_FILL_DAYS),
        )
        mail = self.sent_mails(self.questionnaire)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.person)
        self.assertTrue(mail.auto_delete, "the mail holds the link: deleted once sent")
        token = self.questionnaire._get_self_fill_token()
        self.assertIn(f"/kommune/questionnaire/{token}", mail.body_html)
        self.assertIn("European Social Fund Plus", mail.body_html, "the person's English")
        note = self.questionnaire.message_ids[0]
        self.assertIn(self.person.email, note.body)
        self.assertNotIn(token, note.body, "the link stays out of the chatter")
        # The person answers; a plain user checks it afterwards, but cannot change
        # the state by hand.
        self.questionnaire._self_fill_submit({"gender": "female", "zip": "10999"})
        self.assertEqual(questionnaire.self_fill_state, "filled")
        with self.assertRaises(AccessError):
            questionnaire.check_access("unlink")
        questionnaire.action_mark_self_fill_checked()
        self.assertEqual(questionnaire.self_fill_state, "checked")

    def test_link_validity_is_a_setting(self):
        self.env["ir.config_parameter"].set_param(SELF_FILL_DAYS_PARAM, "3")
        with freeze_time("2031-02-10 10:00:00"):
            self.questionnaire.action_send_self_fill_link()
        self.assertEqual(
            self.questionnaire.self_fill_expiry,
            fields.Datetime.to_datetime("2031-02-13 10:00:00"),
        )

    def test_token_is_bound_to_its_questionnaire_and_expiry(self):
        Questionnaire = self.env["kommune.participant.questionnaire"]
        with freeze_time("2031-02-10 10:00:00"):
            (self.questionnaire | self.other_questionnaire)._send_self_fill_link()
            token = self.questionnaire._get_self_fill_token()
            self.assertEqual(
                Questionnaire._get_from_self_fill_token(token), (self.questionnaire, False)
            )
            questionnaire_id, expiry, signature = token.split("-")
            for bad in (
                "guess",
                f"{questionnaire_id}-{expiry}-{'0' * 64}",
                f"{self.other_questionnaire.id}-{expiry}-{signature}",
                f"{questionnaire_id}-{int(expiry) + 86400}-{signature}",
                f"{token}0",
                None,
            ):
                with self.subTest(bad=bad):
                    self.assertFalse(Questionnaire._get_from_self_fill_token(bad)[0])
        with freeze_time("2031-03-10 10:00:00"):
            self.assertEqual(
                Questionnaire._get_from_self_fill_token(token), (self.questionnaire, True)
            )
            # A new link replaces the old one.
            self.questionnaire._send_self_fill_link()
            self.assertFalse(Questionnaire._get_from_self_fill_token(token)[0])

    def test_erasure_ends_the_link(self):
        self.questionnaire._send_self_fill_link()
        token = self.questionnaire._get_self_fill_token()
        self.questionnaire._self_fill_submit({"first_name": "Amal"})
        staff_note = self.questionnaire.message_post(
            body="Rief an: wohnt jetzt bei ihrer Schwester", message_type="comment"
        )
        self.env["kommune.privacy"]._anonymize(self.person)
        Questionnaire = self.env["kommune.participant.questionnaire"]
        self.assertFalse(Questionnaire._get_from_self_fill_token(token)[0])
        self.assertFalse(self.questionnaire.self_fill_expiry)
        bodies = " ".join(self.questionnaire.message_ids.mapped("body"))
        self.assertNotIn("teilnehmende1@", bodies, "the note of the sent link named the address")
        # The questionnaire concerns the person alone: what staff wrote on it goes, as on
        # their registrations.
        self.assertIn("personal data was erased", staff_note.body)
        with self.assertRaisesRegex(UserError, "erased"):
            self.questionnaire.action_send_self_fill_link()

    def test_who_never_gets_the_link(self):
        """No mail without an address, without the consent to the processing of their
        training data (withdrawn here), and never to short contacts."""
        no_email = self.persons[2]
        no_email.email = False
        withdrawn = self.persons[3]
        self.attend(self.seminar, withdrawn)
        withdrawn.kommune_consent_ids.action_withdraw()
        short = self.persons[4]
        evening = self.make_training("Test Infoabend", START_2031, [2])
        self.attend(evening, short)
        Questionnaire = self.env["kommune.participant.questionnaire"].with_user(self.user)
        for person, reason in (
            (no_email, "no e-mail address"),
            (withdrawn, "no consent to data processing"),
            (short, "short contact"),
        ):
            with self.subTest(person=person.name):
                questionnaire = Questionnaire.create(
                    {"partner_id": person.id, "period_id": self.period.id}
                )
                with self.assertRaisesRegex(UserError, reason):
                    questionnaire.action_send_self_fill_link()
                self.assertFalse(questionnaire.self_fill_state)
                self.assertFalse(self.sent_mails(questionnaire))

    def test_batch_from_registrations(self):
        """From a training's registrations: questionnaires missing are created, short
        contacts are skipped with their reason, the others get the link."""
        evening = self.make_training("Test Infoabend Kurz", START_2031, [2])
        self.attend(evening, self.persons[3])
        registrations = (self.seminar.registration_ids | evening.registration_ids).with_user(
            self.user
        )
        action = registrations.action_send_questionnaire_link()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn(self.persons[3].name, action["params"]["message"])
        self.assertIn("Short contact", action["params"]["message"])
        questionnaires = self.env["kommune.participant.questionnaire"].search(
            [("partner_id", "in", self.persons.ids)]
        )
        self.assertEqual(questionnaires.partner_id, self.persons[:3], "created where missing")
        self.assertEqual(set(questionnaires.mapped("self_fill_state")), {"sent"})
        registrations.invalidate_recordset()
        self.assertEqual(
            set(self.seminar.registration_ids.mapped("questionnaire_self_fill_state")), {"sent"}
        )
        self.assertFalse(evening.registration_ids.questionnaire_self_fill_state)
        with self.assertRaisesRegex(UserError, "Short contact"):
            evening.registration_ids.with_user(self.user).action_send_questionnaire_link()

    def test_answers_to_check_are_not_sent_again(self):
        """The person filled the questionnaire in: until staff checked it, no new link
        (neither from the questionnaire nor from the registrations) takes it off the
        list of answers to check. A complete questionnaire is not asked again."""
        self.questionnaire._send_self_fill_link()
        self.questionnaire._self_fill_submit({"gender": "female"})
        mails = self.sent_mails(self.questionnaire)
        with self.assertRaisesRegex(UserError, "check the answers first"):
            self.questionnaire.with_user(self.user).action_send_self_fill_link()
        action = self.seminar.registration_ids.with_user(self.user).action_send_questionnaire_link()
        self.assertIn(self.person.name, action["params"]["message"])
        self.assertIn("check the answers first", action["params"]["message"])
        self.assertEqual(self.questionnaire.self_fill_state, "filled")
        self.assertEqual(self.sent_mails(self.questionnaire), mails)
        self.assertEqual(self.other_questionnaire.self_fill_state, "sent", "the others get it")
        # Checked, and complete: the registrations do not ask the person again.
        self.questionnaire.action_mark_self_fill_checked()
        self.questionnaire.write(
            {
                "first_name": "Amal",
                "last_name": "Haddad",
                "zip": "12043",
                "age_group": "30_54",
                "employment_status": "employed",
                "education": "no_answer",
                "third_country_national": "yes",
                "foreign_background": "no_answer",
            }
        )
        self.assertTrue(self.questionnaire.is_complete)
        action = self.seminar.registration_ids.with_user(self.user).action_send_questionnaire_link()
        self.assertIn(f"{self.person.name} (Complete)", action["params"]["message"])
        self.assertEqual(self.questionnaire.self_fill_state, "checked")
        self.assertEqual(self.sent_mails(self.questionnaire), mails)

    def test_composer_cannot_produce_a_link(self):
        """A colleague picks the link's template in the chatter's composer, or creates
        the composer over RPC, to read its body: the body holds no link, live or not."""
        self.questionnaire._send_self_fill_link()
        token = self.questionnaire._get_self_fill_token()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.user)
            .with_context(
                default_model=self.questionnaire._name,
                default_res_ids=self.questionnaire.ids,
                default_template_id=self.env.ref(LINK_TEMPLATE).id,
                default_composition_mode="comment",
            )
            .create({})
        )
        self.assertIn("European Social Fund Plus", composer.body, "the template was rendered")
        self.assertNotIn(token, composer.body)
        self.assertNotIn("/kommune/questionnaire/", composer.body)

    def test_plain_user_cannot_write_the_link_fields(self):
        """Over RPC a plain user would prolong the link or mark it checked by hand."""
        self.questionnaire._send_self_fill_link()
        questionnaire = self.questionnaire.with_user(self.user)
        for vals in (
            {"self_fill_expiry": "2099-12-31 00:00:00"},
            {"self_fill_state": "checked"},
            {"self_fill_expiry": False},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                questionnaire.write(vals)
        with self.assertRaises(AccessError):
            self.env["kommune.participant.questionnaire"].with_user(self.user).create(
                {
                    "partner_id": self.persons[2].id,
                    "period_id": self.period.id,
                    "self_fill_expiry": "2099-12-31 00:00:00",
                }
            )

    def test_link_ends_with_consent_email_or_revoke(self):
        """Withdrawing the training consent, a new e-mail address (the old mailbox may
        be someone else's now) or staff's "Revoke Link" end the live link at once; any
        other change of the person leaves it alone."""
        Questionnaire = self.env["kommune.participant.questionnaire"]
        for end_link in (
            lambda: self.person.write({"email": "neu@test-q.example.org"}),
            lambda: self.questionnaire.with_user(self.user).action_revoke_self_fill_link(),
            lambda: self.person.kommune_consent_ids.filtered(
                lambda consent: consent.purpose_code == "training"
            ).action_withdraw(),
        ):
            with self.subTest(end_link=end_link):
                self.questionnaire._send_self_fill_link()
                token = self.questionnaire._get_self_fill_token()
                self.person.write({"phone": "+49 30 123456", "email": self.person.email})
                self.assertEqual(
                    Questionnaire._get_from_self_fill_token(token)[0], self.questionnaire
                )
                end_link()
                self.assertFalse(self.questionnaire.self_fill_expiry)
                self.assertFalse(Questionnaire._get_from_self_fill_token(token)[0])

    def test_batch_creates_no_questionnaire_for_the_refused(self):
        """Who may not get the link (here: no address) keeps no new questionnaire, a new
        record of personal data, from the attempt."""
        no_email = self.persons[2]
        no_email.email = False
        registrations = self.seminar.registration_ids.with_user(self.user)
        action = registrations.action_send_questionnaire_link()
        self.assertIn("no e-mail address", action["params"]["message"])
        Questionnaire = self.env["kommune.participant.questionnaire"]
        self.assertFalse(Questionnaire.search([("partner_id", "=", no_email.id)]))
        self.assertEqual(
            set(
                Questionnaire.search([("partner_id", "in", self.persons[:2].ids)]).mapped(
                    "self_fill_state"
                )
            ),
            {"sent"},
        )

    def test_refusals_query_count(self):
        """The refusals of a batch cost a fixed number of queries, not a few per person."""
        Questionnaire = self.env["kommune.participant.questionnaire"]
        self.attend(self.seminar, self.persons[3:6])
        questionnaires = self.questionnaire | self.other_questionnaire
        questionnaires.invalidate_recordset()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=12):
            questionnaires._get_self_fill_refusals()
        many = questionnaires | Questionnaire.create(
            [{"partner_id": person.id, "period_id": self.period.id} for person in self.persons[2:6]]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=12):
            many._get_self_fill_refusals()

    def test_notes_and_files_are_the_reporting_groups(self):
        """A scan of the paper form or a note on the questionnaire may hold disability
        or minority answers: a plain colleague reads neither, the Reporting group does;
        erasing the person deletes the files."""
        note = self.questionnaire.with_user(self.reporter).message_post(
            body="Scan: Behinderung ja", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        scan = self.env["ir.attachment"].create(
            {
                "name": "fragebogen.pdf",
                "raw": b"%PDF-1.4 scan",
                "res_model": self.questionnaire._name,
                "res_id": self.questionnaire.id,
            }
        )
        self.assertTrue(note.with_user(self.reporter).has_access("read"))
        self.assertTrue(scan.with_user(self.reporter).has_access("read"))
        self.assertFalse(note.with_user(self.user).has_access("read"))
        self.assertFalse(scan.with_user(self.user).has_access("read"))
        Message = self.env["mail.message"].with_user(self.user)
        self.assertNotIn(
            note,
            Message.search(
                [("model", "=", self.questionnaire._name), ("res_id", "=", self.questionnaire.id)]
            ),
        )
        # The plain user still sends the link (and its note).
        self.questionnaire.with_user(self.user).action_send_self_fill_link()
        self.env["kommune.privacy"]._anonymize(self.person)
        self.assertFalse(scan.exists())
