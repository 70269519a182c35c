"""The portal's pages fuzzed as a logged-in contact person of the first organisation:
ids of the other organisation's, another company's and an erased person's records,
missing, zero, negative, huge and non-numeric ids; forms without the CSRF token or with
another user's; missing, overlong and odd fields; the wrong HTTP method.

Whatever comes in, the answer is a redirect to a page of the user's own or a 4xx page:
never a 500, never a traceback, never a name or an address of the other organisation or
the other company, and nothing written that the request had no right to write."""

import unicodedata

from odoo import Command
from odoo.addons.kommune_interkulturell.controllers.kommune_public import JOINERS
from odoo.addons.kommune_interkulturell.tests.common import erase
from odoo.tests import new_test_user, tagged

from .test_portal_organization import PortalOrganizationCommon
from .test_portal_participant import CSRF_RE

# 301: Odoo's routing sends an id written with other digits (e.g. Arabic-Indic) to the
# same address with ASCII digits, where the page decides.
REFUSED = (301, 303, 400, 403, 404, 405, 413, 429)
# ids as a path segment: numbers nobody owns, and what is not an id at all.
ODD_IDS = (
    ("missing", "999999999"),
    ("zero", "0"),
    ("negative", "-1"),
    ("int4 overflow", str(2**31)),
    ("huge", str(2**63)),
    ("very long number", "9" * 400),
    ("text", "abc"),
    ("float", "1.5"),
    ("hex", "0x1"),
    ("arabic-indic digits", "\u0661\u0662"),
    ("leading blank", "%201"),
    ("nul byte", "%00"),
    ("encoded slash", "1%2F2"),
    ("dots", "..%2F.."),
    ("quote", "1'"),
)
# Values of a form field that no page of ours sends.
ODD_VALUES = (
    ("nul byte", "Berlin\x00Mitte"),
    ("only nul bytes", "\x00\x00"),
    ("control characters", "\x1b[31m\x07\x08"),
    ("right-to-left", "\u202eevil\u202c \u0628\u0631\u0644\u064a\u0646"),
    ("emoji", "\U0001f600" * 40),
    ("markup", '<script>alert("x")</script><b>'),
    # Long, yet all fields of a form together within its size limit (413 beyond).
    ("long", "x" * 1500),
    ("blank", "   "),
    ("list", ["Berlin", "Hamburg"]),
)


@tagged("post_install", "-at_install")
class TestPortalFuzz(PortalOrganizationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # The other organisation's contact person's task, in its own cooperation.
        meeting_b = env["calendar.event"].create(
            {
                "name": "Portal Treffen Baobab",
                "cooperation_id": cls.cooperation_b.id,
                "start": cls.meeting.start,
                "stop": cls.meeting.stop,
                "cooperation_action_item_ids": [
                    Command.create(
                        {"name": "Portal Baobab Aufgabe", "partner_id": cls.contact_b.partner_id.id}
                    )
                ],
            }
        )
        cls.item_b = meeting_b.cooperation_action_item_ids
        # Another company: its person, its training and her registration.
        cls.other_company = env["res.company"].create({"name": "Portal Fuzz Fremdfirma GmbH"})
        cls.stranger = env["res.partner"].create(
            {
                "name": "Olga Fremdfirma",
                "email": "olga.fremdfirma@other.example.org",
                "company_id": cls.other_company.id,
            }
        )
        cls.training_other = env["kommune.training"].create(
            {
                "name": "Portal Fuzz Fremdschulung",
                "topic_id": env.ref("kommune_interkulturell.training_topic_fundraising").id,
                "company_id": cls.other_company.id,
            }
        )
        cls.reg_other = env["kommune.training.registration"].create(
            {"training_id": cls.training_other.id, "partner_id": cls.stranger.id}
        )
        # A person of the first organisation, registered, then erased by a manager.
        manager = new_test_user(
            env,
            login="ki_portal_fuzz_manager",
            groups="kommune_interkulturell.group_kommune_manager",
        )
        erased = env["res.partner"].create(
            {
                "name": "Emil Gelöscht",
                "email": "emil.geloescht@portal.example.org",
                "parent_id": cls.mo_a.id,
            }
        )
        cls.reg_erased = env["kommune.training.registration"].create(
            {"training_id": cls.training.id, "partner_id": erased.id}
        )
        erase(erased, manager)
        cls.training.is_catalogue_published = True
        # Every request comes from 127.0.0.1: the public pages' limit per address would
        # answer 429 before the page sees the input.
        env["ir.config_parameter"].set_param("kommune_interkulturell.public_rate_limit", "100000")
        cls.inactive_purpose = env["kommune.consent.purpose"].create(
            {
                "name": "Portal Fuzz alter Zweck",
                "code": "portal_fuzz_old",
                "legal_basis": "consent",
                "active": False,
            }
        )
        cls.leaks = (
            cls.mo_b.name,
            "Bintou",
            "Boris",
            cls.user_b.partner_id.email,
            cls.contact_b.partner_id.email,
            "Portal Kooperation Baobab",
            "Portal Baobab Aufgabe",
            cls.other_company.name,
            cls.stranger.name,
            cls.stranger.email,
            "Portal Fuzz Fremdschulung",
            "Emil",
            "emil.geloescht",
        )

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def _csrf(self, url="/my/kommune/data"):
        return CSRF_RE.search(self.url_open(url).text).group(1)

    def _snapshot(self):
        """What no refused request may change: the state of every registration,
        consent and task, the proposals, and the contacts of both organisations."""
        self.env.invalidate_all()
        watched = {
            "kommune.training.registration": ["state", "consent", "partner_id"],
            "kommune.consent": ["state", "date_withdrawn", "partner_id", "purpose_id"],
            "kommune.cooperation.action.item": ["is_done"],
            "kommune.organization.proposal": ["organization_id", "state"],
            "mail.activity": ["res_model", "res_id"],
        }
        snapshot = {
            model: self.env[model].with_context(active_test=False).search_read([], fields)
            for model, fields in watched.items()
        }
        people = (
            self.mo_a
            | self.mo_b
            | self.contact_a.partner_id
            | self.contact_b.partner_id
            | self.user_b.partner_id
            | self.stranger
        )
        snapshot["res.partner"] = people.read(
            ["name", "email", "phone", "street", "zip", "city", "lang", "active"]
        )
        snapshot["mail.message"] = self.env["mail.message"].search_count([])
        snapshot["contacts"] = (
            self.env["res.partner"].with_context(active_test=False).search_count([])
        )
        return snapshot

    def assertRefused(self, response, allowed=REFUSED, valid_token=True):
        """A redirect to one of the user's pages or a 4xx page, which names nobody
        of the other organisation or company and shows no traceback. Refused by the
        page itself, not before it: the session still holds (no way to the login
        page) and, with ``valid_token``, the CSRF check passed."""
        self.assertLess(response.status_code, 500, response.text[-2000:])
        self.assertIn(response.status_code, allowed)
        self.assertNotIn("Traceback", response.text)
        if valid_token:
            self.assertNotIn("invalid CSRF token", response.text)
        for leak in self.leaks:
            self.assertNotIn(leak, response.text)
            self.assertNotIn(leak, response.headers.get("Location", ""))
        if response.status_code in (301, 302, 303):
            location = response.headers["Location"].removeprefix(self.base_url())
            self.assertTrue(location.startswith(("/my", "/kommune")), location)

    def _foreign_ids(self):
        """{route kind: [(case, id)]}: the records the contact person may not touch."""
        return {
            "registration": [
                ("other organisation", self.reg_b.id),
                ("colleague", self.reg_a.id),
                ("other company", self.reg_other.id),
                ("erased person", self.reg_erased.id),
            ],
            "purpose": [("archived purpose", self.inactive_purpose.id)],
            "item": [
                ("other organisation", self.item_b.id),
                ("staff's item", (self.meeting.cooperation_action_item_ids - self.item).id),
            ],
            "training": [
                # Not in the catalogue: the catalogue shows any company's published
                # trainings (public by the staff's choice), none of the others.
                ("another company's, unpublished", self.training_other.id),
            ],
            "token": [("registration id", self.reg_a.id)],
        }

    # ------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------

    def test_ids_of_others_and_odd_ids_are_refused(self):
        routes = (
            ("GET", "/my/kommune/trainings/{}", "registration"),
            ("POST", "/my/kommune/trainings/{}/cancel", "registration"),
            ("GET", "/my/kommune/trainings/{}/calendar.ics", "registration"),
            ("GET", "/my/kommune/certificates/{}", "registration"),
            ("POST", "/my/kommune/consents/{}/withdraw", "purpose"),
            ("POST", "/my/kommune/consents/{}/give", "purpose"),
            ("POST", "/my/kommune/organization/items/{}/done", "item"),
            ("GET", "/kommune/schulungen/{}", "training"),
            ("POST", "/kommune/schulungen/{}/register", "training"),
            ("GET", "/kommune/schulungen/confirm/{}", "token"),
            ("POST", "/kommune/schulungen/confirm/{}", "token"),
        )
        self.login(self.contact_a)
        token = self._csrf()
        before = self._snapshot()
        foreign = self._foreign_ids()
        for method, path, kind in routes:
            for case, record_id in (*foreign[kind], *ODD_IDS):
                url = path.format(record_id)
                with self.subTest(url=url, case=case):
                    data = {"csrf_token": token} if method == "POST" else None
                    response = self.url_open(url, data=data, method=method, allow_redirects=False)
                    self.assertRefused(response)
        self.assertEqual(self._snapshot(), before)

    def test_odd_slugs_and_parameters(self):
        """The decision of a consent, a page's message, a catalogue filter: only the
        values the pages send mean anything."""
        self.login(self.contact_a)
        token = self._csrf()
        purpose = self.env["kommune.consent.purpose"]._get_by_code("organization_portal")
        before = self._snapshot()
        for decision in ("GIVE", "give ", "give%00", "withdraw%2F..", "x" * 500, "%E2%80%AE"):
            with self.subTest(decision=decision):
                response = self.url_open(
                    f"/my/kommune/consents/{purpose.id}/{decision}",
                    data={"csrf_token": token},
                    allow_redirects=False,
                )
                self.assertRefused(response)
        for page in ("/my/kommune/consents", "/my/kommune/data", "/my/kommune/organization"):
            for message in ("<script>x</script>", "%00", "saved" * 1000, "done&message=x"):
                with self.subTest(page=page, message=message):
                    response = self.url_open(f"{page}?message={message}", allow_redirects=False)
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn("<script>x", response.text)
                    self.assertRefused(response, allowed=(200,))
        for query in (
            "topic=%00",
            f"district={2**63}",
            "language=-1",
            "topic=1&topic=abc",
            "lang=%00",
            "lang=de_DE%00",
            "lang=" + "x" * 3000,
            "lang=../../etc",
        ):
            with self.subTest(query=query):
                response = self.url_open(f"/kommune/schulungen?{query}", allow_redirects=False)
                self.assertRefused(response, allowed=(200, 400))
        # The language as a parameter or cookie, on the portal and the catalogue.
        for page in ("/my/kommune/trainings", "/kommune/schulungen", "/my/kommune/organization"):
            for lang in ("%00", "de_DE%00", "x" * 500, "ar_001'"):
                with self.subTest(page=page, lang=lang):
                    response = self.url_open(f"{page}?lang={lang}", allow_redirects=False)
                    self.assertRefused(response, allowed=(200, 301, 302, 303, 400))
                    response = self.url_open(
                        page, cookies={"frontend_lang": lang}, allow_redirects=False
                    )
                    self.assertRefused(response, allowed=(200, 301, 302, 303, 400))
        self.assertEqual(self._snapshot(), before)

    def test_forms_without_a_valid_csrf_token_are_refused(self):
        """No token, an empty or forged one, or the token of another user's session:
        refused before anything is read or written."""
        self.login(self.contact_b)
        token_b = self._csrf()
        self.login(self.contact_a)
        purpose = self.env["kommune.consent.purpose"]._get_by_code("organization_portal")
        posts = (
            (f"/my/kommune/trainings/{self.reg_a.id}/cancel", {}),
            (f"/my/kommune/consents/{purpose.id}/give", {}),
            (f"/my/kommune/consents/{purpose.id}/withdraw", {}),
            (f"/my/kommune/organization/items/{self.item.id}/done", {}),
            ("/my/kommune/organization/propose", {"city": "Berlin-Moabit"}),
            ("/my/kommune/data", {"phone": "+49 30 999"}),
            ("/my/kommune/data/export.json", {}),
            (
                f"/kommune/schulungen/{self.training.id}/register",
                {"name": "Asli", "email": "asli@portal.example.org", "consent": "1"},
            ),
        )
        tokens = (
            ("none", None),
            ("empty", ""),
            ("forged", "0" * 40 + "o9999999999"),
            ("nul byte", "abc\x00def"),
            ("another user's", token_b),
        )
        before = self._snapshot()
        for url, data in posts:
            for case, token in tokens:
                with self.subTest(url=url, token=case):
                    payload = dict(data, csrf_token=token) if token is not None else dict(data)
                    response = self.url_open(url, data=payload or {"x": "1"}, allow_redirects=False)
                    self.assertRefused(response, allowed=(400, 403), valid_token=False)
        self.assertEqual(self._snapshot(), before)

    def test_wrong_methods_are_refused(self):
        self.login(self.contact_a)
        token = self._csrf()
        purpose = self.env["kommune.consent.purpose"]._get_by_code("organization_portal")
        before = self._snapshot()
        cases = (
            ("GET", f"/my/kommune/trainings/{self.reg_a.id}/cancel"),
            ("GET", f"/my/kommune/consents/{purpose.id}/give"),
            ("GET", f"/my/kommune/organization/items/{self.item.id}/done"),
            ("GET", "/my/kommune/organization/propose"),
            ("GET", f"/kommune/schulungen/{self.training.id}/register"),
            ("POST", "/my/kommune/consents"),
            ("POST", "/my/kommune/organization"),
            ("POST", "/kommune/schulungen"),
            ("POST", f"/kommune/schulungen/{self.training.id}"),
            ("PUT", "/my/kommune/data"),
            ("PATCH", "/my/kommune/organization/propose"),
        )
        for method, url in cases:
            with self.subTest(method=method, url=url):
                data = {"csrf_token": token} if method != "GET" else None
                response = self.url_open(url, data=data, method=method, allow_redirects=False)
                self.assertRefused(response, allowed=(400, 404, 405))
        # A page that takes every method shows nothing of another's to any of them.
        response = self.url_open(
            f"/my/kommune/trainings/{self.reg_a.id}",
            data={"csrf_token": token},
            method="DELETE",
            allow_redirects=False,
        )
        self.assertRefused(response, allowed=(303,))
        # The export answers a GET (an old bookmark) with its page, exporting nothing.
        response = self.url_open("/my/kommune/data/export.json", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("application/json", response.headers.get("Content-Type", ""))
        self.assertEqual(self._snapshot(), before)

    def test_odd_fields_of_my_data(self):
        """The contact person's own data: whatever is posted, only their phone is
        written, printable and cut to length; their organisation's address (shared by
        every colleague) and everybody else stay as they were."""
        self.login(self.contact_a)
        token = self._csrf()
        before = self._snapshot()
        fields = ("phone", "street", "city", "zip", "lang", "name", "email", "parent_id")
        for case, value in ODD_VALUES:
            with self.subTest(case=case):
                data = {"csrf_token": token, **dict.fromkeys(fields, value)}
                response = self.url_open("/my/kommune/data", data=data, allow_redirects=False)
                self.assertRefused(response, allowed=(303,))
                partner = self.contact_a.partner_id
                self.env.invalidate_all()
                self.assertTrue(not partner.phone or partner.phone.isprintable(), partner.phone)
                self.assertLessEqual(len(partner.phone or ""), 128)
                self.assertEqual(partner.lang, "en_US")
        response = self.url_open(
            "/my/kommune/data",
            data={"csrf_token": token, "phone": "1" * 20000},
            allow_redirects=False,
        )
        self.assertRefused(response, allowed=(413,))
        response = self.url_open(
            "/my/kommune/data",
            data={"csrf_token": token},
            files={"phone": ("phone.txt", b"\x00\xff" * 10, "text/plain")},
            allow_redirects=False,
        )
        self.assertRefused(response, allowed=(303, 400))
        after = self._snapshot()
        # Only the contact person's phone may have changed, tracked on their contact.
        tracked = self.env["mail.message"].search([], order="id desc", limit=1000)[
            : after["mail.message"] - before["mail.message"]
        ]
        self.assertLessEqual(set(tracked.mapped("model")), {"res.partner"})
        self.assertLessEqual(set(tracked.mapped("res_id")), set(self.contact_a.partner_id.ids))
        for snapshot in (before, after):
            snapshot.pop("mail.message")
            for row in snapshot["res.partner"]:
                if row["id"] == self.contact_a.partner_id.id:
                    row.pop("phone")
        self.assertEqual(after, before)

    def test_odd_fields_of_a_proposal(self):
        """A proposal for the contact person's own organisation only, its texts
        printable and cut to length; whatever else is posted is ignored."""
        self.login(self.contact_a)
        token = self._csrf("/my/kommune/organization")
        Proposal = self.env["kommune.organization.proposal"]
        RateLimit = self.env["kommune.rate.limit"].sudo()
        fields = ("street", "zip", "city", "phone", "website", "email", "communities")
        before = self._snapshot()
        for case, value in ODD_VALUES:
            with self.subTest(case=case):
                RateLimit.search([]).unlink()
                data = {
                    "csrf_token": token,
                    "organization_id": str(self.mo_b.id),
                    "partner_id": str(self.contact_b.partner_id.id),
                    **dict.fromkeys(fields, value),
                }
                response = self.url_open(
                    "/my/kommune/organization/propose", data=data, allow_redirects=False
                )
                self.assertRefused(response, allowed=(303,))
        self.env.invalidate_all()
        proposals = Proposal.search([]) - Proposal.browse(
            [row["id"] for row in before["kommune.organization.proposal"]]
        )
        self.assertTrue(proposals)
        self.assertEqual(proposals.organization_id, self.mo_a)
        self.assertEqual(proposals.partner_id, self.contact_a.partner_id)
        for proposal in proposals:
            for fname in fields:
                value = proposal[fname] or ""
                # No control character, no invisible format character but the
                # joiners Persian is written with.
                self.assertFalse(
                    any(
                        unicodedata.category(char) == "Cc"
                        or (unicodedata.category(char) == "Cf" and char not in JOINERS)
                        for char in value
                    ),
                    f"{fname}: {value!r}",
                )
                self.assertLessEqual(len(value), 512)
        # Nothing else changed: the other organisation has no proposal.
        self.assertFalse(Proposal.search([("organization_id", "=", self.mo_b.id)]))
        self.assertEqual(self._snapshot()["kommune.consent"], before["kommune.consent"])
        self.assertEqual(self._snapshot()["res.partner"], before["res.partner"])

    def test_odd_fields_of_a_catalogue_registration(self):
        """Logged in or not, the catalogue's form registers nobody from input that is
        not valid: no contact, no consent, no registration, no mail."""
        self.login(self.contact_a)
        token = self._csrf()
        url = f"/kommune/schulungen/{self.training.id}/register"
        valid = {"name": "Asli Contact", "email": "asli@portal.example.org", "consent": "1"}
        cases = [
            *(
                (case, dict.fromkeys(("name", "email", "consent"), value))
                for case, value in ODD_VALUES
            ),
            ("nul byte in the name", dict(valid, name="Asli\x00Contact")),
            ("nul byte in the address", dict(valid, email="asli@portal.example.org\x00")),
            ("no consent", dict(valid, consent="0")),
            ("consent as a list", dict(valid, consent=["0", "1"])),
            ("overlong field", dict(valid, organization="x" * 2000)),
        ]
        before = self._snapshot()
        for case, data in cases:
            with self.subTest(case=case):
                response = self.url_open(
                    url, data={"csrf_token": token, **data}, allow_redirects=False
                )
                self.assertRefused(response, allowed=(400,))
        response = self.url_open(
            url,
            data={"csrf_token": token, **valid},
            files={"name": ("name.txt", b"Asli", "text/plain")},
            allow_redirects=False,
        )
        self.assertRefused(response, allowed=(400,))
        self.assertEqual(self._snapshot(), before)
