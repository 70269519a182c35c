import base64
import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import erase
from .common_privacy import PrivacyCommon

# What funder reports count registrations by.
REPORT_GROUPBY = ["training_id", "district_id", "organization_type_id"]


@tagged("post_install", "-at_install")
class TestPrivacyLookup(PrivacyCommon):
    """Subject access and erasure start from Odoo's privacy lookup, extended with what it
    cannot see: messages and mails naming the person (kommune_interkulturell_mass_mailing
    runs these tests again with a campaign that reached the person: traces, personal
    links in link trackers, the addresses of clicks)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.person = cls.persons[0]
        cls.name, cls.email = cls.person.name, cls.person.email
        cls.traces = cls.make_traces(cls.person)
        cls.app_traces = cls.make_app_traces(cls.person)

    @classmethod
    def make_app_traces(cls, person):
        """What other Odoo apps hold of ``person`` (bridges to them fill it in).

        :return: dict of the records made
        """
        return {}

    def lookup(self, name=None, email=None):
        """Odoo's privacy lookup as a system administrator runs it: the references found."""
        wizard = (
            self.env["privacy.lookup.wizard"]
            .with_user(self.admin)
            .create({"name": name or self.name, "email": email or self.email})
        )
        wizard.action_lookup()
        return wizard

    def found(self, wizard):
        return {(line.res_model, line.res_id) for line in wizard.line_ids}

    def erase(self, partners=None):
        return erase(partners or self.person, self.manager)

    def counts(self):
        """The funders' counts (bridges add those of their app, see app_counts)."""
        env = self.env
        env.invalidate_all()
        return {
            **self.app_counts(),
            "registrations": env["kommune.training.registration"]._read_group(
                [("training_id", "=", self.training.id)], REPORT_GROUPBY, ["__count"]
            ),
            "attendance": env["kommune.training.attendance"]._read_group(
                [("training_id", "=", self.training.id), ("present", "=", True)],
                ["session_id"],
                ["__count"],
            ),
        }

    def app_counts(self):
        return {}

    # ------------------------------------------------------------
    # The lookup sees what Odoo alone cannot
    # ------------------------------------------------------------

    def test_lookup_finds_mentions_and_mails(self):
        traces = self.traces
        found = self.found(self.lookup())
        expected = {
            ("res.partner", self.person.id),
            ("kommune.training.registration", traces["registration"].id),
            ("kommune.consent", traces["photo"].id),
            ("mail.message", traces["reply"].id),
            ("mail.message", traces["mention"].id),
        }
        self.assertLessEqual(expected, found)
        queued = self.env["mail.mail"].search([("recipient_ids", "in", self.person.ids)])
        self.assertTrue(queued)
        self.assertLessEqual({("mail.mail", mail.id) for mail in queued}, found)
        self.assertEqual(len(found), len(self.lookup().line_ids), "each record once")

    def test_many_persons_at_once(self):
        """A retention run looks a hundred persons up and erases them at once: each
        finds what a lookup of them alone finds, and Odoo's query is not rebuilt (a
        query per model) for each of them."""
        persons = self.persons[:3]
        for person in persons[1:]:
            self.make_traces(person)
            self.make_app_traces(person)
        Wizard = self.env["privacy.lookup.wizard"].with_user(self.manager)
        alone = {
            person.id: Wizard._kommune_lookup(person.with_user(self.manager))[person.id]
            for person in persons
        }
        together = Wizard._kommune_lookup(persons.with_user(self.manager))
        self.assertEqual(together, alone)
        for person in persons:
            with self.subTest(person=person.name):
                wizard = Wizard.sudo().new({"name": person.name, "email": person.email})
                direct = wizard.with_context(kommune_lookup_odoo_only=True)._get_query()
                (batch,) = Wizard._kommune_get_odoo_queries(person)
                self.assertEqual((batch.code, batch.params), (direct.code, direct.params))

        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        Wizard._kommune_lookup(self.person.with_user(self.manager))
        one = self.cr.sql_log_count - queries
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        Wizard._kommune_lookup(persons.with_user(self.manager))
        three = self.cr.sql_log_count - queries
        self.assertLessEqual(three - one, 2 * 2, f"{one} queries for one, {three} for three")

        # Erasing: people with a consent, a note naming them and what other apps hold.
        reached = self.env["res.partner"].create(
            [
                {"name": f"Test Erreicht {index}", "email": f"erreicht{index}@example.org"}
                for index in range(5)
            ]
        )
        for person in reached:
            self.give_consent(person, self.purpose_invitation)
            self.make_app_traces(person)
            self.mo.message_post(body=f"Telefonat mit {person.name}", message_type="comment")
        self.env["kommune.privacy"].with_user(self.manager)._anonymize(
            reached[0]
        )  # warm the caches
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        self.env["kommune.privacy"].with_user(self.manager)._anonymize(reached[1])
        one = self.cr.sql_log_count - queries
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        self.env["kommune.privacy"].with_user(self.manager)._anonymize(reached[2:])
        three = self.cr.sql_log_count - queries
        self.assertLessEqual(three - one, 2 * 8, f"erasing: {one} for one, {three} for three")

    # ------------------------------------------------------------
    # Erasure
    # ------------------------------------------------------------

    def test_erasure_leaves_nothing_to_find_and_keeps_the_counts(self):
        waiting = self.register(self.persons[1:3])
        self.assertEqual(waiting.mapped("state"), ["confirmed", "waitlist"])
        before = self.counts()
        self.erase()
        self.assertFalse(
            self.lookup().line_ids.mapped(lambda line: (line.res_model, line.res_name)),
            "Odoo's lookup finds nothing under the former name and address",
        )
        self.maxDiff = None
        self.assertEqual(self.counts(), before, "the funders' counts stay")

    def test_only_the_blocklist_keeps_the_address(self):
        self.env["mail.blacklist"]._add(self.email)
        self.erase()
        self.assertEqual(
            self.lookup().line_ids.mapped("res_model"),
            ["mail.blacklist"],
            "the objection stays honoured",
        )

    def test_homonyms_are_left_alone_and_reported(self):
        namesake = self.env["res.partner"].create(
            {"name": self.name, "email": "jemand.anderes@test-mo.example.org"}
        )
        self.erase()
        self.assertEqual(namesake.name, self.name, "another person of the same name")
        log = self.env["privacy.log"].search([], limit=1, order="id desc")
        self.assertIn(f"#{namesake.id}", log.records_description)

    def test_each_person_is_logged_in_the_privacy_log(self):
        Log = self.env["privacy.log"]
        before = Log.search([])
        names = self.persons[:2].mapped("name")
        self.erase(self.persons[:2])
        logs = Log.search([]) - before
        self.assertEqual(len(logs), 2, "one line per person")
        self.assertEqual(logs.user_id, self.manager)
        self.assertEqual(
            set(logs.mapped("anonymized_name")),
            {Log._anonymize_name(name) for name in names},
            "Odoo masks the name",
        )
        texts = " ".join(str(value) for log in logs for value in log.read()[0].values())
        self.assertNotIn(self.name, texts)
        self.assertNotIn(self.email, texts)
        first = logs.filtered(lambda log: log.anonymized_name == Log._anonymize_name(self.name))
        for model in self.logged_models():
            with self.subTest(model=model):
                description = self.env["ir.model"]._get(model).name
                self.assertIn(description, first.records_description)
                self.assertIn(description, first.execution_details)

    def logged_models(self):
        """Kinds of records the privacy log of the person's erasure names."""
        return ["kommune.training.registration", "kommune.consent"]

    def test_retention_logs_each_person(self):
        rule = self.env["kommune.retention.rule"].create(
            {"name": "Test Löschregel", "basis": "last_activity", "period_months": 36}
        )
        Log = self.env["privacy.log"]
        before = Log.search([])
        # An approved rule's run, as the daily job does it.
        rule.write({"state": "approved", "approved_user_id": self.manager.id})
        self.env["kommune.privacy"]._anonymize(self.persons[3:5], rule=rule)
        logs = Log.search([]) - before
        self.assertEqual(len(logs), 2)
        self.assertEqual(logs.user_id, self.manager, "the manager who approved the rule")
        self.assertTrue(all(rule.name in log.additional_note for log in logs))
        run = self.env["kommune.privacy.log"].search([("rule_id", "=", rule.id)])
        self.assertEqual(run.person_count, 2, "the run itself, without persons")

    # ------------------------------------------------------------
    # The lookup's own actions
    # ------------------------------------------------------------

    def test_lookup_cannot_delete_evidence_or_statistics(self):
        # A subject access leaves a line in the addon's log that points to the person.
        self.person.with_user(self.manager).action_kommune_personal_data()
        export = (
            self.env["kommune.personal.data.export"]
            .with_user(self.manager)
            .create({"partner_id": self.person.id})
        )
        export.action_download_json()
        wizard = self.lookup()
        lines = wizard.line_ids.with_user(self.admin)
        protected = self.protected_models()
        self.assertLessEqual(protected, set(lines.mapped("res_model")))
        for line in lines.filtered(lambda line: line.res_model in protected):
            with self.subTest(model=line.res_model), self.assertRaises(UserError):
                line.action_unlink()
        # "Delete Selection" on every line keeps them too, and says so.
        lines.action_unlink_all()
        for line in lines.filtered(lambda line: line.res_model in protected):
            with self.subTest(model=line.res_model):
                self.assertTrue(self.env[line.res_model].browse(line.res_id).exists())
                self.assertFalse(line.is_unlinked)
        self.assertIn(f"#{self.traces['photo'].id}", wizard.log_id.execution_details, "kept, noted")

    def protected_models(self):
        """What the lookup's delete must keep (evidence, statistics)."""
        return {"kommune.consent", "kommune.privacy.log", "kommune.training.registration"}

    def test_lookup_line_anonymises_the_person(self):
        wizard = self.lookup()
        line = wizard.line_ids.filtered(lambda line: line.res_model == "res.partner")
        action = line.with_user(self.admin).action_kommune_anonymize()
        self.assertEqual(action["res_model"], "kommune.partner.anonymize")
        self.assertEqual(action["context"]["default_partner_ids"], self.person.ids)

    def test_lookup_offers_anonymise_where_deleting_is_refused(self):
        """A line the lookup may not delete (evidence, statistics) offers Anonymise
        instead, as does the contact's; a message offers only Odoo's delete."""
        lines = self.lookup().line_ids
        offered = {line.res_model for line in lines if line.kommune_can_anonymize}
        expected = {"res.partner", *self.protected_models()} - {"kommune.privacy.log"}
        self.assertLessEqual(expected, {line.res_model for line in lines}, "all found")
        self.assertLessEqual(expected, offered)
        self.assertNotIn("mail.message", offered)

    # ------------------------------------------------------------
    # Subject access
    # ------------------------------------------------------------

    def test_subject_access_lists_what_the_lookup_finds(self):
        found = self.found(self.lookup())
        records = (
            self.env["kommune.privacy"].with_user(self.manager)._get_personal_records(self.person)
        )
        exported = {
            (record._name, record.id) for _key, _title, section in records for record in section
        }
        self.assertLessEqual(found, exported, "everything the lookup finds is listed")
        wizard = (
            self.env["kommune.personal.data.export"]
            .with_user(self.manager)
            .create({"partner_id": self.person.id})
        )
        data = json.loads(base64.b64decode(wizard.json_file))["data"]
        mentions = " ".join(str(row) for row in data["mentions"])
        self.assertIn("Test Kooperation Datenschutz", mentions, "where they are named")
        self.assertNotIn("Gespräch mit", mentions, "not what others wrote about others")
        self.assertTrue(data["mails"], "the mails waiting for them")

    # ------------------------------------------------------------
    # Access
    # ------------------------------------------------------------

    def test_project_users_can_neither_export_nor_erase(self):
        for user in (self.user, self.sensitive_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["privacy.lookup.wizard"]._kommune_lookup(self.person.with_user(user))
                with self.assertRaises(AccessError):
                    self.env["kommune.privacy"].with_user(user)._get_personal_records(self.person)
                with self.assertRaises(AccessError):
                    self.env["kommune.personal.data.export"].with_user(user).create(
                        {"partner_id": self.person.id}
                    )
                with self.assertRaises(AccessError):
                    self.env["kommune.privacy"].with_user(user)._anonymize(self.person)
                with self.assertRaises(AccessError):
                    self.env["privacy.lookup.wizard"].with_user(user).create(
                        {"name": self.name, "email": self.email}
                    )
                with self.assertRaises(AccessError):
                    self.env["privacy.log"].with_user(user).search([])
                line = self.lookup().line_ids[:1]
                with self.assertRaises(AccessError):
                    line.with_user(user).action_kommune_anonymize()
        self.assertEqual(self.person.name, self.name)
        for value in self.erasable_values():
            self.assertTrue(value, "nothing erased")

    def erasable_values(self):
        """Values of the person's records that an erasure empties (bridges add those of
        their app)."""
        return [self.traces["registration"].note]
