from datetime import datetime

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users, warmup
from odoo.tools import mute_logger

from .common_reporting import START_2031, KommuneReportingCommon

ANSWERS = {
    "gender": "female",
    "employment_status": "employed",
    "age_group": "30_54",
    "education": "no_answer",
    "third_country_national": "yes",
    "foreign_background": "no_answer",
}


@tagged("post_install", "-at_install")
class TestParticipantQuestionnaire(KommuneReportingCommon):
    """The questionnaire as staff fill it in, its special categories as the
    data-protection officer expects them, and its completeness on registrations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls.persons[0]
        cls.person.zip = "12043"

    def create_questionnaire(self, user, **vals):
        return (
            self.env["kommune.participant.questionnaire"]
            .with_user(user)
            .create({"partner_id": self.person.id, "period_id": self.period.id, **vals})
        )

    def test_staff_fill_in_the_questionnaire(self):
        """A plain user records the paper form: names prefilled from the contact,
        "no answer" counts as an answer, incomplete until every question is answered."""
        form = Form(self.env["kommune.participant.questionnaire"].with_user(self.user))
        form.partner_id = self.person
        form.period_id = self.period
        form.gender = "male"
        questionnaire = form.save()
        self.assertEqual(questionnaire.first_name, "Test Teilnehmende")
        self.assertEqual(questionnaire.last_name, "1")
        self.assertEqual(questionnaire.zip, "12043")
        self.assertFalse(questionnaire.is_complete)
        questionnaire.with_user(self.user).write(ANSWERS)
        self.assertTrue(questionnaire.is_complete)
        questionnaire.with_user(self.user).write({"zip": False})
        self.assertFalse(questionnaire.is_complete, "the postcode is needed for duplicates")
        with self.assertRaises(AccessError):
            questionnaire.with_user(self.user).unlink()

    def test_entry_date_is_the_first_day_present(self):
        """Created without an entry date (the link sent from the registrations), the
        questionnaire dates the entry at the person's first session in the period, as
        the funder's list does: not at the day the link went out."""
        training = self.make_training("Test Eintritt", START_2031, [5, 5])
        self.attend(training, self.person)
        questionnaire = self.create_questionnaire(self.user)
        self.assertEqual(questionnaire.date_entry, START_2031.date())
        # The date of the paper form stays as typed.
        typed = self.create_questionnaire(
            self.user, period_id=self.period_2030.id, date_entry="2030-06-01"
        )
        self.assertEqual(str(typed.date_entry), "2030-06-01")

    def test_one_questionnaire_per_person_and_period(self):
        self.create_questionnaire(self.user)
        self.create_questionnaire(self.user, period_id=self.period_2030.id)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.create_questionnaire(self.user)

    def test_special_categories_need_their_own_consent(self):
        with self.assertRaises(ValidationError):
            self.create_questionnaire(self.reporter, disability="yes")
        questionnaire = self.create_questionnaire(
            self.reporter, special_consent=True, disability="yes", minority="no_answer"
        )
        self.assertTrue(questionnaire.special_consent_date, "the consent is dated")
        # Withdrawing the consent takes the answers with it.
        questionnaire.with_user(self.reporter).write({"special_consent": False})
        self.assertFalse(questionnaire.disability)
        self.assertFalse(questionnaire.special_consent_date)
        with self.assertRaises(ValidationError):
            questionnaire.with_user(self.reporter).write({"minority": "yes"})

    def test_special_categories_only_for_reporting(self):
        """Neither a plain user nor a manager reads, writes or searches disability and
        minority, not even over the ORM (as RPC does); the Reporting group does."""
        questionnaire = self.create_questionnaire(
            self.reporter, special_consent=True, disability="yes", **ANSWERS
        )
        for user in (self.user, self.manager):
            mine = questionnaire.with_user(user)
            self.assertEqual(mine.gender, "female", "the rest is daily work")
            for fname in ("disability", "minority", "special_consent", "special_consent_date"):
                with self.assertRaises(AccessError):
                    mine.read([fname])
            self.assertNotIn("disability", mine.read()[0])
            with self.assertRaises(AccessError):
                mine.write({"disability": "no"})
            with self.assertRaises(AccessError):
                mine.search([("disability", "=", "yes")])
            with self.assertRaises(AccessError):
                self.env["kommune.participant.questionnaire"].with_user(user).create(
                    {
                        "partner_id": self.persons[1].id,
                        "period_id": self.period.id,
                        "special_consent": True,
                        "minority": "yes",
                    }
                )
            with self.assertRaises(AccessError):
                mine.formatted_read_group([], ["disability"], ["__count"])
            # Nor through the export (refused as a whole or for the field: AccessError
            # is a UserError).
            with self.assertRaises(UserError):
                mine.export_data(["partner_id", "disability"])
            self.assertNotIn("disability", mine.fields_get())
        self.assertEqual(questionnaire.with_user(self.reporter).disability, "yes")
        self.assertEqual(
            questionnaire.with_user(self.reporter).search_count([("disability", "=", "yes")]), 1
        )

    def test_other_company_questionnaires_stay_hidden(self):
        other = self.env["res.company"].create({"name": "Test Other Company"})
        period = self.env["kommune.funding.period"].create(
            {
                "name": "Other 2031",
                "date_start": "2031-01-01",
                "date_end": "2031-12-31",
                "company_id": other.id,
            }
        )
        stranger = self.env["res.partner"].create({"name": "Test Fremde Person"})
        self.env["kommune.participant.questionnaire"].create(
            {"partner_id": stranger.id, "period_id": period.id}
        )
        Questionnaire = self.env["kommune.participant.questionnaire"]
        for user in (self.user, self.reporter, self.manager):
            self.assertFalse(
                Questionnaire.with_user(user).search([("partner_id", "=", stranger.id)])
            )

    def test_completeness_on_registrations(self):
        training = self.make_training("Test Fragebogen", START_2031, [3, 3, 3])
        self.attend(training, self.person)
        registration = training.registration_ids
        self.assertEqual(registration.with_user(self.user).questionnaire_state, "missing")
        questionnaire = self.create_questionnaire(self.user)
        registration.invalidate_recordset()
        self.assertEqual(registration.questionnaire_state, "incomplete")
        questionnaire.write(ANSWERS)
        registration.invalidate_recordset()
        self.assertEqual(registration.questionnaire_state, "complete")
        # A training outside every funding period asks for nothing.
        later = self.make_training("Test ohne Periode", START_2031.replace(year=2033), [3, 3, 3])
        self.attend(later, self.person)
        self.assertEqual(later.registration_ids.questionnaire_state, "no_period")

    @users("ki_user")
    @warmup
    def test_registration_list_query_count(self):
        """A list of registrations shows each one's questionnaire state in a fixed
        number of queries, whatever the number of rows and of the period's attendances."""
        training = self.make_training("Test Liste", START_2031, [3, 3, 3])
        self.attend(training, self.persons)
        self.create_questionnaire(self.user, **ANSWERS)
        Registration = self.env["kommune.training.registration"]
        with self.assertQueryCount(ki_user=5):
            Registration.invalidate_model()
            rows = Registration.web_search_read(
                [("training_id", "=", training.id)],
                {"partner_id": {"fields": {"display_name": {}}}, "questionnaire_state": {}},
            )["records"]
        self.assertEqual(
            sorted(row["questionnaire_state"] for row in rows),
            ["complete"] + ["missing"] * (len(self.persons) - 1),
        )

    def test_subject_access_shows_the_questionnaire(self):
        """Art. 15: the person's export holds their questionnaire with its answers;
        disability and minority only when the exporting manager also reports."""
        self.create_questionnaire(self.reporter, **ANSWERS, special_consent=True, disability="yes")
        Privacy = self.env["kommune.privacy"]

        def exported(user):
            data = {
                key: rows
                for key, _title, rows in Privacy.with_user(user)._get_personal_data(self.person)
            }
            self.assertFalse(
                [row for row in data["other_records"] if row[0][2] == "Participant Questionnaire"],
                "not only as an other record",
            )
            (row,) = data["questionnaires"]
            return {fname: value for fname, _label, value, _display in row}

        row = exported(self.manager)
        self.assertEqual(row["period_id"], self.period.name)
        self.assertEqual((row["gender"], row["zip"]), ("Female", "12043"))
        for fname in ("special_consent", "disability", "minority"):
            self.assertNotIn(fname, row, "special categories stay with Reporting")
        self.manager.group_ids |= self.env.ref("kommune_interkulturell.group_kommune_reporting")
        row = exported(self.manager)
        self.assertEqual((row["special_consent"], row["disability"]), (True, "Yes"))

    def test_reporting_is_given_beside_manager(self):
        """The user form shows each privilege as one selection: Reporting must not
        share one with User, Sensitive Data and Manager, or saving a manager who also
        reports drops one of the two."""
        manager_group = self.env.ref("kommune_interkulturell.group_kommune_manager")
        reporting_group = self.env.ref("kommune_interkulturell.group_kommune_reporting")
        for privilege in self.env["res.groups"]._get_view_group_hierarchy()["privileges"].values():
            self.assertFalse(
                {manager_group.id, reporting_group.id} <= set(privilege["group_ids"]),
                "Manager and Reporting are one selection of the user form",
            )
        admin = self.env.ref("base.user_admin")
        form = Form(self.env["res.users"].with_user(admin), view="base.view_users_form")
        form.name = "Test Leitung mit Berichtswesen"
        form.login = "ki_manager_reporting"
        form.group_ids.add(manager_group)
        form.group_ids.add(reporting_group)
        user = form.save()
        self.assertTrue(user.has_group("kommune_interkulturell.group_kommune_manager"))
        self.assertTrue(user.has_group("kommune_interkulturell.group_kommune_reporting"))

    def test_person_and_period_are_fixed(self):
        """The answers are a person's as of their entry into that period: a plain user
        cannot move them to another person or period, only correct them."""
        questionnaire = self.create_questionnaire(self.user, **ANSWERS)
        mine = questionnaire.with_user(self.user)
        for vals in ({"partner_id": self.persons[1].id}, {"period_id": self.period_2030.id}):
            with self.assertRaises(UserError):
                mine.write(vals)
        self.assertEqual(
            (questionnaire.partner_id, questionnaire.period_id), (self.person, self.period)
        )
        # Writing the same values (as a form saving every field does) is no change.
        mine.write({"partner_id": self.person.id, "period_id": self.period.id, "zip": "10999"})
        self.assertEqual(questionnaire.zip, "10999")
        with Form(mine) as form:
            for fname, value in (("partner_id", self.persons[1]), ("period_id", self.period_2030)):
                with self.assertRaises(AssertionError, msg=f"{fname} is read-only in the form"):
                    setattr(form, fname, value)
            form.gender = "male"
        self.assertEqual(questionnaire.gender, "male")

    def test_period_of_a_training_by_the_berlin_date(self):
        """A training starting at half past midnight on New Year's Day in Berlin (still
        the old year in UTC) belongs to the new period, as in the figures."""
        new_year = datetime(2030, 12, 31, 23, 30)  # 00:30 on 1 January 2031 in Berlin
        training = self.make_training("Test Neujahr", new_year, [3, 3, 3])
        self.attend(training, self.person)
        self.create_questionnaire(self.user, **ANSWERS)
        self.assertEqual(training.registration_ids.questionnaire_state, "complete")
