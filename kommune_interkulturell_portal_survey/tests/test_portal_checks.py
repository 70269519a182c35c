from odoo.tests import tagged

from .common_checks import PortalChecksCommon

CHECK = "kommune.development.check"
LINE = "kommune.development.check.line"
GOAL = "kommune.development.goal"


@tagged("post_install", "-at_install")
class TestPortalChecksPages(PortalChecksCommon):
    """The organisation's page shows its contact persons their own organisation's
    self-checks and development plan, never another organisation's, and nothing to
    their colleagues."""

    def test_contact_person_sees_own_checks_and_plan(self):
        self.login(self.contact_a)
        page = self.url_open("/my/kommune/organization")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_kommune_portal_checks", page.text)
        self.assertEqual(page.text.count('o_kommune_portal_check"'), 2, "A's two checks")
        self.assertIn("1.67", page.text, "the first check's finances")
        self.assertIn("+1.33", page.text, "finances since the first check: 1.67 to 3")
        self.assertIn("Portal Zweite Person prüft die Buchhaltung", page.text)
        self.assertNotIn("1.11", page.text, "B's score")
        self.assertNotIn("Portal Baobab wählt", page.text, "B's goal")
        self.assertNotIn(f'/checks/{self.check_b.id}"', page.text)
        self.assertNotIn("Arif", page.text, "who answered is not named")

    def test_check_page_shows_its_scores_and_goals(self):
        self.login(self.contact_a)
        page = self.url_open(f"/my/kommune/organization/checks/{self.check_a1.id}")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.text.count("o_kommune_portal_check_line"), 2)
        self.assertIn("Portal Zweite Person prüft die Buchhaltung", page.text)
        page = self.url_open(f"/my/kommune/organization/checks/{self.check_a2.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("+1.33", page.text)
        self.assertIn("No goals were agreed after this check.", page.text)

    def test_other_organisations_check_is_not_found(self):
        self.login(self.contact_a)
        for check_id in (self.check_b.id, self.check_b.id + 10000):
            page = self.url_open(f"/my/kommune/organization/checks/{check_id}")
            self.assertEqual(page.status_code, 404, check_id)
            self.assertNotIn("1.11", page.text)
            self.assertNotIn("Portal Baobab", page.text)
        self.login(self.contact_b)
        page = self.url_open(f"/my/kommune/organization/checks/{self.check_a1.id}")
        self.assertEqual(page.status_code, 404)
        self.assertNotIn("Portal Zweite Person", page.text)

    def test_colleague_sees_nothing(self):
        self.login(self.user_a2)
        home = self.url_open("/my")
        self.assertEqual(home.status_code, 200)
        self.assertNotIn("o_kommune_portal_checks", home.text)
        for url in (
            "/my/kommune/organization",
            f"/my/kommune/organization/checks/{self.check_a1.id}",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertNotIn("organization", response.headers["Location"])

    def test_former_contact_person_sees_nothing(self):
        self.contact_a.group_ids -= self.env.ref(
            "kommune_interkulturell_portal.group_kommune_portal_contact"
        )
        self.login(self.contact_a)
        response = self.url_open(
            f"/my/kommune/organization/checks/{self.check_a1.id}", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertRpcDenied(CHECK, "search_read", [], ["score"])

    def test_organisation_without_checks(self):
        self.goal_b.unlink()
        self.check_b.unlink()
        self.login(self.contact_b)
        page = self.url_open("/my/kommune/organization")
        self.assertEqual(page.status_code, 200)
        self.assertIn("has not completed a self-check yet", page.text)
        self.assertIn("No goals have been agreed", page.text)

    def test_goal_not_shown_stays_off_the_pages(self):
        """A goal staff did not choose to show (the default: goals are written for
        the staff) is neither on the organisation's page nor on its check's."""
        hidden = self.goal_a.copy({"name": "Portal Intern: Herr X bremst"})
        self.assertFalse(hidden.is_shown_on_portal)
        self.login(self.contact_a)
        for url in (
            "/my/kommune/organization",
            f"/my/kommune/organization/checks/{self.check_a1.id}",
        ):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200, url)
            self.assertIn("Portal Zweite Person prüft die Buchhaltung", page.text, url)
            self.assertNotIn("Herr X", page.text, url)
        self.goal_a.is_shown_on_portal = False
        page = self.url_open("/my/kommune/organization")
        self.assertIn("No goals have been agreed", page.text)
        self.assertNotIn("Portal Zweite Person", page.text)


@tagged("post_install", "-at_install")
class TestPortalChecksRpc(PortalChecksCommon):
    """Over RPC a contact person reads what the page shows (their organisation's
    checks, scores, goals) and nothing else; their colleagues nothing at all."""

    def test_contact_person_reads_own_organisation_only(self):
        self.login(self.contact_a)
        checks = self.rpc(CHECK, "search_read", [], [])
        self.assertEqual({c["id"] for c in checks}, {self.check_a1.id, self.check_a2.id})
        staff_only_fields = ("respondent_id", "user_input_id", "survey_id")
        for staff_only in staff_only_fields + ("recommended_training_ids",):
            self.assertNotIn(staff_only, checks[0], staff_only)
        lines = self.rpc(LINE, "search_read", [], ["score", "check_id"])
        self.assertEqual(
            {line["check_id"][0] for line in lines}, {self.check_a1.id, self.check_a2.id}
        )
        goals = self.rpc(GOAL, "search_read", [], [])
        self.assertEqual([goal["id"] for goal in goals], self.goal_a.ids)
        self.assertNotIn("activity_id", goals[0])
        # Another organisation's records by id: the rules refuse them.
        self.assertRpcDenied(CHECK, "read", self.check_b.ids, ["score"])
        self.assertRpcDenied(GOAL, "read", self.goal_b.ids, ["name"])
        self.assertRpcDenied(LINE, "read", self.check_b.line_ids.ids, ["score"])

    def test_who_answered_is_not_named_by_the_record_authors(self):
        """The check a colleague made by answering the survey logged in does not name
        them through who created or last changed it (its or its scores')."""
        self.assertEqual(self.answer_a2.create_uid, self.user_a2, "answered logged in")
        self.login(self.contact_a)
        fields = ["create_uid", "write_uid"]
        records = self.rpc(CHECK, "read", self.check_a2.ids, fields)
        records += self.rpc(LINE, "search_read", [("check_id", "=", self.check_a2.id)], fields)
        self.assertEqual(len(records), 1 + len(self.check_a2.line_ids))
        for record in records:
            for field in fields:
                self.assertNotEqual(record[field][0], self.user_a2.id, field)
                self.assertNotIn("Arif", record[field][1], field)
        groups = self.rpc(CHECK, "formatted_read_group", [], ["create_uid", "write_uid"], [])
        self.assertNotIn("Arif", str(groups))
        self.assertFalse(
            self.rpc(CHECK, "search", [("create_uid", "=", self.user_a2.id)]), "searched"
        )

    def test_goal_not_shown_is_not_read_over_rpc(self):
        hidden = self.goal_a.copy({"name": "Portal Intern: Herr X bremst"})
        self.login(self.contact_a)
        goals = self.rpc(GOAL, "search_read", [], ["name"])
        self.assertEqual([goal["id"] for goal in goals], self.goal_a.ids)
        self.assertRpcDenied(GOAL, "read", hidden.ids, ["name"])
        checks = self.rpc(CHECK, "read", self.check_a1.ids, ["goal_ids"])
        self.assertEqual(checks[0]["goal_ids"], self.goal_a.ids)

    def test_goals_are_not_shown_unless_staff_choose(self):
        """Goals written before this module was installed, like a new one, stay off
        the portal until a staff member (a plain user will do) shows them."""
        goal = (
            self.env[GOAL]
            .with_user(self.staff)
            .create(
                {
                    "check_id": self.check_a1.id,
                    "dimension_id": self.governance.id,
                    "name": "Portal Neues Ziel",
                    "date_deadline": "2031-01-01",
                }
            )
        )
        self.assertFalse(goal.is_shown_on_portal)
        self.assertFalse(
            self.env[GOAL].default_get(["is_shown_on_portal"]).get("is_shown_on_portal")
        )
        goal.with_user(self.staff).is_shown_on_portal = True
        self.login(self.contact_a)
        goals = self.rpc(GOAL, "search_read", [], ["name"])
        self.assertIn(goal.id, [record["id"] for record in goals])

    def test_contact_person_only_reads(self):
        self.login(self.contact_a)
        self.assertRpcDenied(CHECK, "write", self.check_a1.ids, {"date": "2020-01-01"})
        self.assertRpcDenied(LINE, "write", self.check_a1.line_ids.ids, {"score": 4.0})
        self.assertRpcDenied(GOAL, "write", self.goal_a.ids, {"state": "reached"})
        self.assertRpcDenied(GOAL, "unlink", self.goal_a.ids)
        self.assertRpcDenied(
            GOAL,
            "create",
            {
                "check_id": self.check_a1.id,
                "dimension_id": self.governance.id,
                "name": "Portal selbst gesetzt",
                "date_deadline": "2031-01-01",
            },
        )

    def test_answers_stay_with_staff(self):
        self.login(self.contact_a)
        self.assertRpcDenied("survey.user_input", "search_read", [], ["partner_id"])
        self.assertRpcDenied("survey.user_input.line", "search_read", [], ["value_text_box"])
        self.assertRpcDenied(CHECK, "read", self.check_a2.ids, ["user_input_id"])

    def test_other_companys_check_stays_hidden(self):
        """A check another company of the database (another network) made with the
        same organisation is that company's: not on the page, not over RPC."""
        other_company = self.env["res.company"].create({"name": "Portal Zweiter Träger"})
        other = self.env[CHECK].create(
            {
                "partner_id": self.mo_a.id,
                "check_type": "mo",
                "company_id": other_company.id,
                "line_ids": [self._line(self.governance, 3.99)],
            }
        )
        self.login(self.contact_a)
        checks = self.rpc(CHECK, "search_read", [], ["score"])
        self.assertNotIn(other.id, [check["id"] for check in checks])
        self.assertRpcDenied(LINE, "read", other.line_ids.ids, ["score"])
        page = self.url_open("/my/kommune/organization")
        self.assertNotIn("3.99", page.text)
        page = self.url_open(f"/my/kommune/organization/checks/{other.id}")
        self.assertEqual(page.status_code, 404)

    def test_colleagues_and_participants_read_nothing(self):
        for user in (self.user_a, self.user_a2, self.user_b):
            self.login(user)
            for model in (CHECK, LINE, GOAL):
                self.assertRpcDenied(model, "search_read", [], [])

    def test_rules_hold_when_portal_users_get_read_access(self):
        """Should another addon give every portal user read access to the checks (say,
        to show a participant a check they answered), the rules still show a colleague
        nothing and a contact person only their own organisation's."""
        self.env["ir.model.access"].create(
            {
                "name": "portal reads checks (another addon)",
                "model_id": self.env["ir.model"]._get_id(CHECK),
                "group_id": self.env.ref("base.group_portal").id,
                "perm_read": True,
            }
        )
        self.login(self.user_a2)
        self.assertEqual(self.rpc(CHECK, "search_read", [], ["score"]), [])
        self.login(self.contact_b)
        checks = self.rpc(CHECK, "search_read", [], ["score"])
        self.assertEqual([check["id"] for check in checks], self.check_b.ids)

    def test_contact_person_moving_organisation(self):
        """A contact person who moves to another organisation loses the role: they
        read neither the former organisation's checks nor the new one's until staff
        make them its contact person."""
        group = self.env.ref("kommune_interkulturell_portal.group_kommune_portal_contact")
        self.login(self.contact_a)
        self.assertTrue(self.rpc(CHECK, "search_read", [], ["score"]))
        self.contact_a.partner_id.with_user(self.staff).parent_id = self.mo_b
        self.assertNotIn(group, self.contact_a.group_ids)
        self.assertRpcDenied(CHECK, "search_read", [], ["score"])
        response = self.url_open("/my/kommune/organization", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.contact_a.group_ids += group
        checks = self.rpc(CHECK, "search_read", [], ["score"])
        self.assertEqual([check["id"] for check in checks], self.check_b.ids)

    def test_contact_person_keeps_the_role_on_other_changes(self):
        self.contact_a.partner_id.with_user(self.staff).write(
            {"parent_id": self.mo_a.id, "phone": "030 1"}
        )
        self.mo_a.with_user(self.staff).name = "Portal MO Anadolu (neu)"
        self.login(self.contact_a)
        self.assertTrue(self.rpc(CHECK, "search_read", [], ["score"]))

    def test_contact_person_leaving_the_organisation_loses_the_role(self):
        """Taken out of the organisation (left it, a private person now), the former
        contact person keeps no role; an organisation put under an umbrella stays the
        organisation its people speak for (Odoo's commercial partner is the first
        company up)."""
        self.mo_a.with_user(self.staff).parent_id = self.mo_b
        self.assertTrue(
            self.contact_a.has_group("kommune_interkulturell_portal.group_kommune_portal_contact")
        )
        self.contact_a.partner_id.with_user(self.staff).parent_id = False
        self.assertFalse(
            self.contact_a.has_group("kommune_interkulturell_portal.group_kommune_portal_contact")
        )
        self.login(self.contact_a)
        self.assertRpcDenied(CHECK, "search_read", [], ["score"])


@tagged("post_install", "-at_install")
class TestPortalChecksPerformance(PortalChecksCommon):
    """The section's queries do not grow with the number of checks and goals shown."""

    def count_queries(self, url):
        self.url_open(url)  # warm the caches (routing, templates, rules)
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def test_organisation_page_in_constant_queries(self):
        self.login(self.contact_b)
        one = self.count_queries("/my/kommune/organization")
        for index in range(6):
            check = self.check_b.copy({"date": self.check_b.date.replace(day=1)})
            check.line_ids = [self._line(self.governance, 2.0), self._line(self.finances, 3.0)]
            self.goal_b.copy(
                {
                    "check_id": check.id,
                    "name": f"Portal Ziel {index}",
                    "is_shown_on_portal": True,
                }
            )
        self.env.flush_all()
        seven = self.count_queries("/my/kommune/organization")
        self.assertLessEqual(seven, one + 3, f"{one} queries for one check, {seven} for seven")
