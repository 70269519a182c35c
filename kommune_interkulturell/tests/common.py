import io

from PyPDF2 import PdfReader

from odoo.tests import Form, HttpCase, TransactionCase, new_test_user


def erase(partners, user):
    """Erase ``partners`` as ``user`` (a manager) does: the erasure wizard, confirmed."""
    action = partners.with_user(user).action_kommune_anonymize()
    with Form(
        partners.env[action["res_model"]].with_user(user).with_context(**action["context"])
    ) as form:
        form.confirm = True
    return form.record.action_anonymize()


def pdf_text(content):
    """The text of a rendered PDF, pages joined, every run of whitespace one space."""
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


class KommuneCommon(TransactionCase):
    """Users of both groups and a small network of its own (never the demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="ki_user",
            name="Kim User",
            groups="kommune_interkulturell.group_kommune_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="ki_manager",
            name="Mia Manager",
            groups="kommune_interkulturell.group_kommune_manager",
        )
        cls.district_mitte = cls.env.ref("kommune_interkulturell.district_berlin_mitte")
        cls.district_neukoelln = cls.env.ref("kommune_interkulturell.district_berlin_neukoelln")
        cls.district_spandau = cls.env.ref("kommune_interkulturell.district_berlin_spandau")
        cls.type_mo = cls.env.ref("kommune_interkulturell.organization_type_mo")
        cls.type_integration = cls.env.ref(
            "kommune_interkulturell.organization_type_administration_integration"
        )
        cls.type_business = cls.env.ref(
            "kommune_interkulturell.organization_type_business_alliance"
        )

        Partner = cls.env["res.partner"]
        cls.mo = Partner.create(
            {
                "name": "Test MO Brücke e.V.",
                "is_company": True,
                "organization_type_id": cls.type_mo.id,
                "district_id": cls.district_neukoelln.id,
                "active_district_ids": [(6, 0, cls.district_mitte.ids)],
                "email": "info@test-mo.example.org",
            }
        )
        cls.administration = Partner.create(
            {
                "name": "Test Bezirksamt Spandau – Integration",
                "is_company": True,
                "organization_type_id": cls.type_integration.id,
                "district_id": cls.district_spandau.id,
            }
        )
        cls.mo_person = Partner.create(
            {
                "name": "Test Person MO",
                "parent_id": cls.mo.id,
                "network_role": "volunteer",
                "email": "person@test-mo.example.org",
            }
        )


class KommuneTourCase(HttpCase):
    """A class of browser tours. Its first page may compile the asset bundles inside the
    test transaction (the template database of `make test` keeps them compiled, a fresh
    database of Odoo's runner does not) while the web client's other requests wait for
    the test cursor: on a loaded machine that takes longer than Odoo's default of 20
    seconds, and the tour fails on an HTML error page instead of JSON."""

    test_cursor_lock_timeout = 90
