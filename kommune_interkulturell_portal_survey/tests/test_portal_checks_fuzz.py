"""The self-check pages fuzzed as a logged-in contact person of the first organisation:
the other organisation's, another company's and an erased respondent's checks, ids that
are no ids, odd parameters and the wrong HTTP method. The answer is "not found" (or
the method refused), never a 500, a traceback or anything of the other organisation,
and nothing is written."""

from odoo.addons.kommune_interkulturell.tests.common import erase
from odoo.addons.kommune_interkulturell_portal.tests.test_portal_fuzz import ODD_IDS
from odoo.tests import new_test_user, tagged

from .common_checks import PortalChecksCommon

CHECK = "kommune.development.check"
GOAL = "kommune.development.goal"
LINE = "kommune.development.check.line"


@tagged("post_install", "-at_install")
class TestPortalChecksFuzz(PortalChecksCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        other_company = env["res.company"].create({"name": "Portal Fuzz Zweiter Träger"})
        cls.check_other = env[CHECK].create(
            {
                "partner_id": cls.mo_a.id,
                "check_type": "mo",
                "company_id": other_company.id,
                "line_ids": [cls._line(cls.governance, 3.99)],
            }
        )
        # A check of the other organisation answered by a person erased since.
        erased = env["res.partner"].create(
            {"name": "Emil Gelöscht", "email": "emil.geloescht@portal.example.org"}
        )
        erased.parent_id = cls.mo_b
        cls.check_erased = env[CHECK].create(
            {
                "partner_id": cls.mo_b.id,
                "check_type": "mo",
                "respondent_id": erased.id,
                "line_ids": [cls._line(cls.finances, 2.22)],
            }
        )
        manager = new_test_user(
            env,
            login="ki_portal_checks_fuzz_manager",
            groups="kommune_interkulturell.group_kommune_manager",
        )
        erase(erased, manager)
        cls.leaks = (
            cls.mo_b.name,
            "Bintou",
            "Boris",
            "1.11",
            "2.22",
            "3.99",
            "Portal Baobab wählt",
            other_company.name,
            "Emil",
        )

    def _snapshot(self):
        self.env.invalidate_all()
        return {
            model: self.env[model].with_context(active_test=False).search_read([], fields)
            for model, fields in (
                (CHECK, ["partner_id", "company_id", "date", "respondent_id"]),
                (LINE, ["check_id", "score"]),
                (GOAL, ["check_id", "name", "is_shown_on_portal"]),
            )
        }

    def assertRefused(self, response, allowed):
        self.assertLess(response.status_code, 500, response.text[-2000:])
        self.assertIn(response.status_code, allowed)
        self.assertNotIn("Traceback", response.text)
        for leak in self.leaks:
            self.assertNotIn(leak, response.text)

    def test_check_ids_of_others_and_odd_ids_are_not_found(self):
        self.login(self.contact_a)
        before = self._snapshot()
        cases = (
            ("other organisation", self.check_b.id),
            ("other company", self.check_other.id),
            ("erased respondent", self.check_erased.id),
            *ODD_IDS,
        )
        for case, check_id in cases:
            with self.subTest(case=case):
                response = self.url_open(
                    f"/my/kommune/organization/checks/{check_id}", allow_redirects=False
                )
                # 301: an id in other digits, sent by Odoo's routing to its ASCII form.
                self.assertRefused(response, allowed=(301, 404))
                self.assertNotIn("o_kommune_portal_check_line", response.text)
                if response.status_code == 301:
                    location = response.headers["Location"].removeprefix(self.base_url())
                    self.assertTrue(location.startswith("/my/kommune/organization/checks/"))
        self.assertEqual(self._snapshot(), before)

    def test_odd_parameters_and_wrong_methods(self):
        self.login(self.contact_a)
        page = self.url_open("/my/kommune/organization")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        before = self._snapshot()
        url = f"/my/kommune/organization/checks/{self.check_a1.id}"
        for query in (f"check_id={self.check_b.id}", "id=%00", f"partner_id={self.mo_b.id}"):
            with self.subTest(query=query):
                response = self.url_open(f"{url}?{query}", allow_redirects=False)
                self.assertRefused(response, allowed=(200,))
                self.assertIn("o_kommune_portal_check_line", response.text)
                response = self.url_open(f"/my/kommune/organization?{query}", allow_redirects=False)
                self.assertRefused(response, allowed=(200,))
        for method, data in (
            ("POST", {"csrf_token": token}),
            ("POST", {}),
            ("PUT", {"csrf_token": token}),
            ("DELETE", {"csrf_token": token}),
        ):
            for target in (url, f"/my/kommune/organization/checks/{self.check_b.id}"):
                with self.subTest(method=method, url=target, csrf=bool(data)):
                    response = self.url_open(
                        target, data=data or {"x": "1"}, method=method, allow_redirects=False
                    )
                    self.assertRefused(response, allowed=(400, 405))
        self.assertEqual(self._snapshot(), before)
