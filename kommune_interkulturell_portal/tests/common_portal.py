from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import JsonRpcException


class PortalCommon(HttpCase):
    """Two migrant organisations, each with a participant, a colleague and a contact
    person on the portal, and a training both organisations' people registered for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        # The people here speak English, the database's default language for contacts
        # too: portal pages are multilingual (http_routing), and a visitor whose language
        # is not the default one is first redirected to the same page under /en/, which
        # these tests of access are not about.
        cls.env["ir.default"].set("res.partner", "lang", "en_US")
        cls.staff = new_test_user(
            cls.env,
            login="ki_portal_staff",
            name="Sina Staff",
            groups="kommune_interkulturell.group_kommune_user",
        )
        Partner = cls.env["res.partner"]
        type_mo = cls.env.ref("kommune_interkulturell.organization_type_mo")
        cls.mo_a, cls.mo_b = Partner.create(
            [
                {"name": name, "is_company": True, "organization_type_id": type_mo.id}
                for name in ("Portal MO Anadolu e.V.", "Portal MO Baobab e.V.")
            ]
        )
        cls.user_a = cls._portal_user("ki_portal_a", "Aylin Participant", cls.mo_a)
        cls.user_a2 = cls._portal_user("ki_portal_a2", "Arif Colleague", cls.mo_a)
        cls.contact_a = cls._portal_user(
            "ki_portal_contact_a",
            "Asli Contact",
            cls.mo_a,
            groups="kommune_interkulturell_portal.group_kommune_portal_contact",
        )
        cls.user_b = cls._portal_user("ki_portal_b", "Bintou Participant", cls.mo_b)
        cls.contact_b = cls._portal_user(
            "ki_portal_contact_b",
            "Boris Contact",
            cls.mo_b,
            groups="kommune_interkulturell_portal.group_kommune_portal_contact",
        )
        cls.training = cls.env["kommune.training"].create(
            {
                "name": "Portal Fördermittel beantragen",
                "topic_id": cls.env.ref("kommune_interkulturell.training_topic_fundraising").id,
                "format": "seminar_series",
                "seats_max": 2,
                "stage_id": cls.env.ref("kommune_interkulturell.training_stage_open").id,
                "online_url": "https://meet.example.org/foerdermittel",
            }
        )
        start = datetime(2031, 3, 3, 8, 0)
        cls.sessions = cls.env["kommune.training.session"].create(
            [
                {
                    "training_id": cls.training.id,
                    "start": start + timedelta(days=7 * week),
                    "stop": start + timedelta(days=7 * week, hours=3),
                }
                for week in range(2)
            ]
        )
        Registration = cls.env["kommune.training.registration"].with_context(
            kommune_training_no_mail=True
        )
        for user in (cls.user_a, cls.user_a2, cls.user_b):
            Registration |= cls.training._register_participant(user.partner_id, consent=True)
        cls.reg_a, cls.reg_a2, cls.reg_b = Registration

    @classmethod
    def _portal_user(cls, login, name, organization, groups="base.group_portal"):
        user = new_test_user(cls.env, login=login, name=name, groups=groups)
        user.partner_id.write(
            {"parent_id": organization.id, "email": f"{login}@portal.example.org", "lang": "en_US"}
        )
        return user

    def rpc(self, model, method, *args, **kwargs):
        """Call the model over JSON-RPC as the web client does, with the session of
        the last authenticated user."""
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def login(self, user):
        self.authenticate(user.login, user.login)

    def assertRpcDenied(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as caught:
            self.rpc(model, method, *args, **kwargs)
        self.assertIn("AccessError", str(caught.exception))
