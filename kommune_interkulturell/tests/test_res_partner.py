from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import KommuneCommon


@tagged("post_install", "-at_install")
class TestResPartner(KommuneCommon):
    def test_districts_ship_as_data(self):
        districts = self.env["kommune.district"].search(
            [("state_id", "=", self.env.ref("base.state_de_be").id)]
        )
        self.assertEqual(len(districts), 12)
        self.assertEqual(sorted(districts.mapped("code")), [f"{n:02d}" for n in range(1, 13)])
        self.assertEqual(self.district_neukoelln.code, "08")
        self.assertEqual(self.district_neukoelln.display_name, "08 Neukölln")
        # Searching by number works like searching by name.
        found = self.env["kommune.district"].name_search("08")
        self.assertIn(self.district_neukoelln.id, [rid for rid, _name in found])

    def test_organization_types_have_categories(self):
        types = self.env["kommune.organization.type"].search([])
        self.assertEqual(
            set(types.mapped("category")),
            {"migrant_organization", "administration", "labour_market", "other"},
        )
        self.assertEqual(self.mo.organization_category, "migrant_organization")
        self.assertEqual(self.administration.organization_category, "administration")

    def test_vocabulary_tags_visible_on_cards(self):
        # Kanban cards hide many2many tags of colour 0: shipped and new entries have one.
        for model in (
            "kommune.community",
            "kommune.language",
            "kommune.activity.area",
            "kommune.target.group",
        ):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].search([("color", "=", 0)]))
                self.assertTrue(self.env[model].create({"name": f"Neu {model}"}).color)

    def test_search_by_district_and_type(self):
        Partner = self.env["res.partner"]
        in_neukoelln = Partner.search([("district_id", "=", self.district_neukoelln.id)])
        self.assertIn(self.mo, in_neukoelln)
        self.assertNotIn(self.administration, in_neukoelln)
        active_in_mitte = Partner.search([("active_district_ids", "in", self.district_mitte.ids)])
        self.assertIn(self.mo, active_in_mitte)
        mos = Partner.search(
            [("organization_category", "=", "migrant_organization"), ("is_company", "=", True)]
        )
        self.assertIn(self.mo, mos)
        self.assertNotIn(self.administration, mos)
        groups = Partner._read_group(
            [("id", "in", (self.mo | self.administration).ids)],
            ["organization_category"],
            ["__count"],
        )
        self.assertEqual(dict(groups), {"migrant_organization": 1, "administration": 1})

    def test_organization_buttons_count_what_they_open(self):
        """A district's and a type's "Organisations" button: its figure is the number of
        records it opens, and it opens the network's organisations there, not their people
        (who share the organisation's district and type) nor companies outside the network."""
        Partner = self.env["res.partner"]
        second_mo = Partner.create(
            {
                "name": "Test MO Zwei e.V.",
                "is_company": True,
                "organization_type_id": self.type_mo.id,
                "district_id": self.district_neukoelln.id,
            }
        )
        Partner.create(
            {
                "name": "Test Firma ohne Netzwerktyp",
                "is_company": True,
                "district_id": self.district_neukoelln.id,
            }
        )
        ours = Partner.search([("name", "=like", "Test %")])
        self.assertIn(self.mo_person, ours)
        for record, expected in (
            (self.district_neukoelln, self.mo | second_mo),
            (self.type_mo, self.mo | second_mo),
            (self.district_spandau, self.administration),
        ):
            with self.subTest(record=record.display_name):
                record.invalidate_recordset(["organization_count"])
                action = record.action_open_organizations()
                opened = Partner.search(action["domain"])
                self.assertEqual(opened & ours, expected)
                self.assertEqual(record.organization_count, len(opened))

    def test_persons_follow_their_organization(self):
        self.assertEqual(self.mo_person.organization_type_id, self.type_mo)
        self.assertEqual(self.mo_person.district_id, self.district_neukoelln)
        self.assertEqual(self.mo_person.active_district_ids, self.district_mitte)
        self.mo.district_id = self.district_spandau
        self.assertEqual(self.mo_person.district_id, self.district_spandau)

    def test_staff_counts_not_negative(self):
        for field in ("staff_fulltime_count", "staff_volunteer_count"):
            with (
                self.subTest(field=field),
                self.assertRaises(IntegrityError),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self.mo.write({field: -1})
                self.mo.flush_recordset()

    def test_founding_year_plausible(self):
        self.mo.founding_year = 1990
        for year in (1200, 2999):
            with self.subTest(year=year), self.assertRaises(ValidationError):
                self.mo.founding_year = year

    def test_constraint_messages_in_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        with self.assertRaises(ValidationError) as error:
            self.mo.with_context(lang="de_DE").founding_year = 3000
        self.assertIn("Gründungsjahr", str(error.exception))

    def test_partner_form_creates_organization(self):
        with Form(self.env["res.partner"].with_user(self.user)) as form:
            form.company_type = "company"
            form.name = "Neue MO im Wedding e.V."
            form.organization_type_id = self.type_mo
            form.district_id = self.district_mitte
            form.founding_year = 2015
            form.staff_volunteer_count = 12
            form.community_ids.add(
                self.env.ref("kommune_interkulturell.community_african_diaspora")
            )
        partner = form.record
        self.assertTrue(partner.is_company)
        self.assertEqual(partner.organization_category, "migrant_organization")
        self.assertEqual(partner.staff_volunteer_count, 12)
        self.assertEqual(partner.community_ids.name, "African diaspora")

    def test_person_form_role(self):
        with Form(self.env["res.partner"].with_user(self.user)) as form:
            form.name = "Neue Ehrenamtliche"
            form.parent_id = self.mo
            form.network_role = "volunteer"
        person = form.record
        self.assertFalse(person.is_company)
        self.assertEqual(person.organization_type_id, self.type_mo)
        self.assertEqual(person.network_role, "volunteer")

    def test_organization_actions(self):
        action = self.district_neukoelln.action_open_organizations()
        self.assertIn(self.mo, self.env["res.partner"].search(action["domain"]))
        action = self.type_integration.action_open_organizations()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]) & (self.mo | self.administration),
            self.administration,
        )
