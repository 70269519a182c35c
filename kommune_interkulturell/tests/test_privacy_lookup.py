import base64
import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..models.mail_render_mixin import PERSONAL_LINK_PATHS
from ..wizard.privacy_lookup_wizard import PERSONAL_LINK_PATTERNS
from .common_privacy import PrivacyCommon

# What funder reports count registrations by.
REPORT_GROUPBY = ["training_id", "district_id", "organization_type_id"]
CLICK_IP = "203.0.113.7"


@tagged("post_install", "-at_install")
class TestPrivacyLookup(PrivacyCommon):
    """Subject access and erasure start from Odoo's privacy lookup, extended with what it
    cannot see: personal links in link trackers, the addresses of clicks, messages and
    mails naming the person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.person = cls.persons[0]
        cls.name, cls.email = cls.person.name, cls.person.email
        cls.traces = cls.make_traces(cls.person)
        cls.campaign = cls.make_campaign_traces(cls.person)

    @classmethod
    def make_campaign_traces(cls, person):
        """An invitation mailing that reached ``person``: their trace, a tracked personal
        link (as campaigns made them before personal links stayed out of the shortener)
        and a tracked link to the network's site, both clicked from their mail."""
        env = cls.env
        mailing = env["mailing.mailing"].create(
            {
                "subject": "Test Einladung Datenschutz",
                "mailing_model_id": env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "=", person.id)]),
                "training_id": cls.training.id,
            }
        )
        trace = env["mailing.trace"].create(
            {
                "mass_mailing_id": mailing.id,
                "model": "res.partner",
                "res_id": person.id,
                "email": person.email_normalized,
                "message_id": "<test-datenschutz-1@example.org>",
                "trace_status": "sent",
            }
        )
        Tracker = env["link.tracker"]
        personal = Tracker.create(
            {
                "url": cls.training._get_invitation_url(person, mailing),
                "title": "Persönlicher Link",
                "mass_mailing_id": mailing.id,
            }
        )
        site = Tracker.create(
            {
                "url": f"https://www.example.org/netzwerk?mailing={mailing.id}",
                "title": "Netzwerk",
                "mass_mailing_id": mailing.id,
            }
        )
        Click = env["link.tracker.click"]
        clicks = Click.add_click(
            personal.code, ip=CLICK_IP, mailing_trace_id=trace.id
        ) | Click.add_click(site.code, ip=CLICK_IP, mailing_trace_id=trace.id)
        return {
            "mailing": mailing,
            "trace": trace,
            "personal_link": personal,
            "site_link": site,
            "clicks": clicks,
        }

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
        partners = partners or self.person
        action = partners.with_user(self.manager).action_kommune_anonymize()
        with Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        ) as form:
            form.confirm = True
        return form.record.action_anonymize()

    def counts(self):
        env = self.env
        mailing = self.campaign["mailing"]
        env.invalidate_all()
        return {
            "registrations": env["kommune.training.registration"]._read_group(
                [("training_id", "=", self.training.id)], REPORT_GROUPBY, ["__count"]
            ),
            "attendance": env["kommune.training.attendance"]._read_group(
                [("training_id", "=", self.training.id), ("present", "=", True)],
                ["session_id"],
                ["__count"],
            ),
            "traces": env["mailing.trace"]._read_group(
                [("mass_mailing_id", "=", mailing.id)], ["trace_status"], ["__count"]
            ),
            "mailing": mailing.read(["sent", "opened", "clicked"])[0],
            "site_clicks": self.campaign["site_link"].count,
        }

    # ------------------------------------------------------------
    # The lookup sees what Odoo alone cannot
    # ------------------------------------------------------------

    def test_lookup_finds_links_clicks_and_mentions(self):
        campaign, traces = self.campaign, self.traces
        # A confirmation link of a sign-up, tracked before personal links stayed out of
        # the shortener; every kind of personal link is looked up.
        confirmation = self.env["link.tracker"].create(
            {"url": traces["photo"]._get_confirmation_url(), "title": "Bestätigung"}
        )
        for path in PERSONAL_LINK_PATHS:
            with self.subTest(path=path):
                self.assertTrue(
                    [pattern for pattern, _model in PERSONAL_LINK_PATTERNS if path in pattern]
                )
        found = self.found(self.lookup())
        expected = {
            ("res.partner", self.person.id),
            ("mailing.trace", campaign["trace"].id),
            ("link.tracker", campaign["personal_link"].id),
            ("link.tracker", confirmation.id),
            ("kommune.training.registration", traces["registration"].id),
            ("kommune.consent", traces["photo"].id),
            ("mail.message", traces["reply"].id),
            ("mail.message", traces["mention"].id),
        } | {("link.tracker.click", click.id) for click in campaign["clicks"]}
        self.assertLessEqual(expected, found)
        self.assertNotIn(("link.tracker", campaign["site_link"].id), found, "not personal")
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
            self.make_campaign_traces(person)
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

        # Erasing: people reached by a campaign, with a consent and a note naming them.
        reached = self.env["res.partner"].create(
            [
                {"name": f"Test Erreicht {index}", "email": f"erreicht{index}@example.org"}
                for index in range(5)
            ]
        )
        for person in reached:
            self.give_consent(person, self.purpose_invitation)
            self.make_campaign_traces(person)
            self.mo.message_post(body=f"Telefonat mit {person.name}", message_type="comment")
        reached[0].with_user(self.manager)._kommune_anonymize()  # warm the caches
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        reached[1].with_user(self.manager)._kommune_anonymize()
        one = self.cr.sql_log_count - queries
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        reached[2:].with_user(self.manager)._kommune_anonymize()
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
        campaign = self.campaign
        self.assertFalse(campaign["personal_link"].exists(), "the personal link is gone")
        self.assertFalse(campaign["trace"].email)
        self.assertFalse(campaign["trace"].message_id)
        self.assertEqual(campaign["trace"].trace_status, "open", "clicked, counted")
        site_click = campaign["clicks"].exists()
        self.assertEqual(site_click.link_id, campaign["site_link"])
        self.assertFalse(site_click.ip, "the click counts, its address is gone")
        self.assertFalse(
            self.env["link.tracker"].search([("url", "like", f"-{self.person.id}-")]),
            "no tracker holds a personal link of the person",
        )

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
        for model in ("kommune.training.registration", "mailing.trace", "link.tracker"):
            with self.subTest(model=model):
                description = self.env["ir.model"]._get(model).name
                self.assertIn(description, first.records_description)
                self.assertIn(description, first.execution_details)

    def test_retention_logs_each_person(self):
        rule = self.env["kommune.retention.rule"].create(
            {"name": "Test Löschregel", "basis": "last_activity", "period_months": 36}
        )
        Log = self.env["privacy.log"]
        before = Log.search([])
        # An approved rule's run, as the daily job does it.
        rule.write({"state": "approved", "approved_user_id": self.manager.id})
        self.persons[3:5]._kommune_anonymize(rule=rule)
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
        protected = {
            "kommune.consent",
            "kommune.privacy.log",
            "kommune.training.registration",
            "mailing.trace",
        }
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
        self.assertFalse(self.campaign["personal_link"].exists(), "other lines are deleted")
        self.assertIn(f"#{self.traces['photo'].id}", wizard.log_id.execution_details, "kept, noted")

    def test_lookup_line_anonymises_the_person(self):
        wizard = self.lookup()
        line = wizard.line_ids.filtered(lambda line: line.res_model == "res.partner")
        action = line.with_user(self.admin).action_kommune_anonymize()
        self.assertEqual(action["res_model"], "kommune.partner.anonymize")
        self.assertEqual(action["context"]["default_partner_ids"], self.person.ids)

    # ------------------------------------------------------------
    # Subject access
    # ------------------------------------------------------------

    def test_subject_access_lists_what_the_lookup_finds(self):
        found = self.found(self.lookup())
        records = self.person.with_user(self.manager)._kommune_get_personal_records()
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
        (trace,) = data["mailing_traces"]
        self.assertEqual(trace["email"], self.person.email_normalized)
        self.assertEqual({click["ip"] for click in data["link_clicks"]}, {CLICK_IP})
        self.assertEqual(len(data["link_clicks"]), 2)
        (link,) = data["personal_links"]
        self.assertIn("/kommune/invitation/", link["url"])
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
                    self.person.with_user(user)._kommune_get_personal_records()
                with self.assertRaises(AccessError):
                    self.env["kommune.personal.data.export"].with_user(user).create(
                        {"partner_id": self.person.id}
                    )
                with self.assertRaises(AccessError):
                    self.person.with_user(user)._kommune_anonymize()
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
        self.assertTrue(self.campaign["trace"].email)
