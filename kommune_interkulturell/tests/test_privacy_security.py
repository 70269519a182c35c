import ast
from datetime import datetime
from pathlib import Path

from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

from .common_privacy import PrivacyCommon


@tagged("post_install", "-at_install")
class TestSensitiveFields(PrivacyCommon):
    """Notes on participants and consent details: staff with access to sensitive data
    and managers only. Users keep their daily work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registration = cls.training.with_context(
            kommune_training_no_mail=True
        )._register_participant(cls.persons[0], consent=True, note="Rollstuhl, Aufzug nötig.")
        cls.consent = cls.give_consent(cls.persons[0], cls.purpose_photo, note="Ordner 7")

    def test_group_levels(self):
        self.assertTrue(self.manager.has_group("kommune_interkulturell.group_kommune_sensitive"))
        self.assertTrue(self.sensitive_user.has_group("kommune_interkulturell.group_kommune_user"))
        self.assertFalse(
            self.sensitive_user.has_group("kommune_interkulturell.group_kommune_manager")
        )
        self.assertFalse(self.user.has_group("kommune_interkulturell.group_kommune_sensitive"))

    def test_user_cannot_read_sensitive_fields(self):
        for record, fname in ((self.registration, "note"), (self.consent, "note")):
            with self.subTest(model=record._name):
                with self.assertRaises(AccessError):
                    record.with_user(self.user).read([fname])
                with self.assertRaises(AccessError):
                    record.with_user(self.user).write({fname: "Neu"})
                with self.assertRaises(AccessError):
                    record.with_user(self.user).search([(fname, "ilike", "o")])
                for user in (self.sensitive_user, self.manager):
                    self.assertTrue(record.with_user(user)[fname])
                    record.with_user(user).write({fname: f"geändert von {user.login}"})
        with self.assertRaises(AccessError):
            self.persons[0].with_user(self.sensitive_user).read(["kommune_last_activity_date"])

    def test_views_hide_sensitive_fields(self):
        Registration = self.env["kommune.training.registration"]
        view = self.env.ref("kommune_interkulturell.kommune_training_registration_view_form")
        arch_user = Registration.with_user(self.user).get_view(view.id)["arch"]
        arch_sensitive = Registration.with_user(self.sensitive_user).get_view(view.id)["arch"]
        self.assertNotIn('name="note"', arch_user)
        self.assertIn('name="note"', arch_sensitive)
        consent_view = self.env.ref("kommune_interkulturell.kommune_consent_view_form")
        Consent = self.env["kommune.consent"]
        self.assertNotIn(
            'name="note"', Consent.with_user(self.user).get_view(consent_view.id)["arch"]
        )

    def test_user_daily_work_with_consents(self):
        Consent = self.env["kommune.consent"].with_user(self.user)
        consent = Consent.create(
            {
                "partner_id": self.persons[1].id,
                "purpose_id": self.purpose_invitation.id,
                "channel": "paper",
            }
        )
        self.assertEqual(consent.state, "given")
        self.assertEqual(
            Consent.search([("partner_id", "=", self.persons[1].id)]), consent, "reads them"
        )
        consent.action_withdraw()
        self.assertEqual(consent.state, "withdrawn")
        registration = self.registration.with_user(self.user)
        self.assertTrue(registration.consent)
        registration.consent = False
        self.assertEqual(self.registration.consent_id.state, "withdrawn")
        with self.assertRaises(AccessError):
            consent.unlink()
        for model in ("kommune.consent.purpose",):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.user).create({"name": "Neu"})


@tagged("post_install", "-at_install")
class TestMultiCompany(PrivacyCommon):
    """Every model that carries a company keeps its records in it: a user of one company
    neither finds nor reads another company's records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = cls.other_company
        training = env["kommune.training"].create(
            {"name": "Anderes Projekt", "company_id": company.id}
        )
        session = env["kommune.training.session"].create(
            {
                "training_id": training.id,
                "start": datetime(2031, 1, 1, 8),
                "stop": datetime(2031, 1, 1, 9),
            }
        )
        registration = training.with_context(kommune_training_no_mail=True)._register_participant(
            cls.persons[0], consent=True
        )
        cooperation = env["kommune.cooperation"].create(
            {
                "name": "Anderes Projekt",
                "company_id": company.id,
                "member_ids": [(0, 0, {"partner_id": cls.mo.id})],
            }
        )
        meeting = env["calendar.event"].create(
            {
                "name": "Anderes Treffen",
                "cooperation_id": cooperation.id,
                "start": datetime(2025, 1, 1, 8),
                "stop": datetime(2025, 1, 1, 9),
                "cooperation_action_item_ids": [
                    (0, 0, {"name": "Anruf", "partner_id": cls.persons[0].id})
                ],
            }
        )
        rule = env["kommune.retention.rule"].create({"name": "Anders", "company_id": company.id})
        log = env["kommune.privacy.log"]._log("access", company=company, person_count=1)
        cls.foreign = {
            "kommune.training": training,
            "kommune.training.session": session,
            "kommune.training.registration": registration,
            "kommune.training.attendance": registration.attendance_ids,
            "kommune.cooperation": cooperation,
            "kommune.cooperation.member": cooperation.member_ids,
            "kommune.cooperation.action.item": meeting.cooperation_action_item_ids,
            "kommune.consent": registration.consent_id,
            "kommune.retention.rule": rule,
            "kommune.privacy.log": log,
        }

    def test_records_stay_in_their_company(self):
        for model, record in self.foreign.items():
            with self.subTest(model=model):
                self.assertTrue(record, "test data exists")
                self.assertEqual(record.company_id, self.other_company)
                Model = self.env[model].with_user(self.manager)
                self.assertFalse(Model.search([("id", "in", record.ids)]))
                with self.assertRaises(AccessError):
                    record.with_user(self.manager).read(["company_id"])
                found = (
                    self.env[model].with_user(self.other_user).search([("id", "in", record.ids)])
                )
                self.assertEqual(found, record, "its own company sees it")

    def test_every_company_model_has_a_rule(self):
        """The audit as a test: a model of the addon with a company field has a
        multi-company record rule; the vocabularies have no company, by design."""
        Rule = self.env["ir.rule"]
        checked = []
        for name in sorted(self.registry):
            Model = self.env[name]
            if not name.startswith("kommune.") or Model._transient or Model._abstract:
                continue
            if "company_id" not in Model._fields:
                continue
            checked.append(name)
            with self.subTest(model=name):
                rules = Rule.search([("model_id.model", "=", name)])
                self.assertTrue(
                    any("company_ids" in rule.domain_force for rule in rules),
                    f"{name} has a company but no multi-company rule",
                )
        self.assertTrue(set(self.foreign) <= set(checked))

    def test_records_cannot_mix_companies(self):
        stranger = self.env["res.partner"].create(
            {"name": "Test Person nur anderes Projekt", "company_id": self.other_company.id}
        )
        with self.assertRaises(UserError):
            self.env["kommune.training.registration"].create(
                {"training_id": self.training.id, "partner_id": stranger.id}
            )
        with self.assertRaises(UserError):
            self.give_consent(stranger, self.purpose_invitation)  # given to this company
        with self.assertRaises(UserError):
            self.training.signatory_id = self.other_user
        with self.assertRaises(UserError):
            self.training.trainer_ids = stranger


# A reason names the escalation: "sudo: ..." or "Superuser: ...".
REASON_WORDS = ("sudo", "superuser")
# Where the public routes run: no superuser environment there, only sudo() on the
# records the checked link or form stands for.
PUBLIC_CODE = ("controllers/", "models/ir_http.py")
SUPERUSER_NAMES = ("SUPERUSER_ID", "user_root")


def _call_name(func):
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _escalation(node, source):
    """What superuser escalation ``node`` is (``sudo()``, ``env(su=True)``,
    ``with_user(superuser)``), or None."""
    if not isinstance(node, ast.Call):
        return None
    name = _call_name(node.func)
    if name == "sudo":
        flag = node.args[0] if node.args else None
        return None if isinstance(flag, ast.Constant) and not flag.value else "sudo()"
    if any(
        keyword.arg == "su" and isinstance(keyword.value, ast.Constant) and keyword.value.value
        for keyword in node.keywords
    ):
        return "env(su=True)"
    if name == "with_user" and node.args:
        user = node.args[0]
        text = ast.get_source_segment(source, user) or ""
        if any(word in text for word in SUPERUSER_NAMES) or (
            isinstance(user, ast.Constant) and user.value == 1
        ):
            return "with_user(superuser)"
    return None


def find_unjustified_escalations(source, path=""):
    """Superuser escalations of a module without a reason: a comment naming sudo or the
    superuser in the six lines above, or the docstring of the enclosing function.

    One idiom needs none: ``hmac(env(su=True), ...)``, since odoo.tools.misc.hmac asks
    for a superuser environment to read the database secret and does nothing else with
    it. In the code of public routes (``PUBLIC_CODE``), a superuser environment is
    refused even with a reason: sudo() the records instead.

    :return: (number of escalations, ``["path:line kind", ...]`` without a reason)
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    functions = [
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    hmac_keys = {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _call_name(node.func) == "hmac" and node.args
    }
    # The path within its addon, with or without the addon in front.
    public = path.startswith(PUBLIC_CODE) or path.partition("/")[2].startswith(PUBLIC_CODE)
    count, unjustified = 0, []
    calls = sorted(
        (node for node in ast.walk(tree) if isinstance(node, ast.Call)),
        key=lambda node: (node.lineno, node.col_offset),
    )
    for node in calls:
        kind = _escalation(node, source)
        if not kind or id(node) in hmac_keys:
            continue
        count += 1
        where = f"{path}:{node.lineno} {kind}"
        if public and kind != "sudo()":
            unjustified.append(f"{where} (public route: sudo() the records instead)")
            continue
        enclosing = [f for f in functions if f.lineno <= node.lineno <= f.end_lineno]
        innermost = max(enclosing, key=lambda f: f.lineno, default=None)
        docstring = (ast.get_docstring(innermost) or "") if innermost else ""
        comments = [
            line for line in lines[max(node.lineno - 7, 0) : node.lineno] if line.strip()[:1] == "#"
        ]
        reason = "\n".join([docstring, *comments]).lower()
        if not any(word in reason for word in REASON_WORDS):
            unjustified.append(where)
    return count, unjustified


AUDIT_SAMPLE = '''
def env_su(self):
    return request.env(su=True)["res.partner"]
def root(self):
    return self.with_user(SUPERUSER_ID)
def root_record(self):
    return self.with_user(self.env.ref("base.user_root"))
def plain(self):
    return self.env["res.partner"].sudo()
def commented(self):
    # sudo: the visitor may not read contacts.
    return self.env["res.partner"].sudo()
def documented(self):
    """Superuser: the job runs for every company."""
    return self.env(su=True)
def signed(self):
    return hmac(self.env(su=True), "scope", 1)
def back(self):
    return self.sudo(False)
'''


@tagged("post_install", "-at_install")
class TestSudoAudit(TransactionCase):
    """Every superuser escalation in the addon says why: sudo(), a superuser environment
    (env(su=True)) and with_user(SUPERUSER_ID), with a comment just above it or the
    docstring of its method. Public routes build no superuser environment at all."""

    def test_every_sudo_is_justified(self):
        # The app and the bridges of the repo that are installed.
        addons = self.env["ir.module.module"].search(
            [("name", "=like", "kommune_interkulturell%"), ("state", "=", "installed")]
        )
        unjustified = []
        count = 0
        for addon in addons.mapped("name"):
            root = Path(get_module_path(addon))
            for path in sorted(root.rglob("*.py")):
                if "tests" in path.parts:
                    continue
                found, missing = find_unjustified_escalations(
                    path.read_text(), f"{addon}/{path.relative_to(root).as_posix()}"
                )
                count += found
                unjustified += missing
        self.assertGreater(count, 5, "the audit finds the sudo() calls")
        self.assertFalse(unjustified, f"superuser without a reason: {unjustified}")

    def test_audit_catches_every_escalation(self):
        count, missing = find_unjustified_escalations(AUDIT_SAMPLE, "models/x.py")
        self.assertEqual(count, 6, "hmac's environment and sudo(False) are no escalation")
        self.assertEqual(
            missing,
            [
                "models/x.py:3 env(su=True)",
                "models/x.py:5 with_user(superuser)",
                "models/x.py:7 with_user(superuser)",
                "models/x.py:9 sudo()",
            ],
        )
        _count, missing = find_unjustified_escalations(AUDIT_SAMPLE, "controllers/x.py")
        self.assertIn(
            "controllers/x.py:15 env(su=True) (public route: sudo() the records instead)", missing
        )
        self.assertNotIn("controllers/x.py:12 sudo()", missing)
