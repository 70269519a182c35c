import datetime
import io

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .common_import import TEMPLATE_ORGANIZATIONS, TEMPLATE_PERSONS, KommuneImportCommon


@tagged("post_install", "-at_install")
class TestPartnerImport(KommuneImportCommon):
    """The import templates, imported by a plain user through Odoo's importer, give
    the network's organisations and persons with every column filled in."""

    def test_templates_are_offered_in_the_import_dialog(self):
        templates = self.env(user=self.user, context={"lang": "de_DE"})[
            "res.partner"
        ].get_import_templates()
        paths = [template["template"] for template in templates]
        self.assertIn(f"/{TEMPLATE_ORGANIZATIONS}", paths)
        self.assertIn(f"/{TEMPLATE_PERSONS}", paths)
        labels = [template["label"] for template in templates]
        self.assertIn("Importvorlage für Organisationen", labels)

    def test_import_organizations_then_persons(self):
        result = self.import_file(self.read_template(TEMPLATE_ORGANIZATIONS))
        self.assertFalse(result["messages"], result["messages"])
        organizations = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(len(organizations), 2)
        bruecke = organizations.filtered(lambda p: p.name == "Brücke der Kulturen e.V.")
        self.assertTrue(bruecke.is_company)
        self.assertEqual(bruecke.organization_type_id, self.type_mo)
        # By number "08", and further districts by number too
        self.assertEqual(bruecke.district_id, self.district_neukoelln)
        self.assertEqual(bruecke.active_district_ids.mapped("code"), ["01", "02"])
        self.assertEqual(
            bruecke.community_ids,
            self.env.ref("kommune_interkulturell.community_arabic_speaking_communities"),
        )
        self.assertEqual(set(bruecke.served_language_ids.mapped("code")), {"ar", "de"})
        self.assertEqual(len(bruecke.activity_area_ids), 2)
        self.assertEqual(bruecke.legal_form, "registered_association")
        self.assertEqual(bruecke.zip, "12047")
        consent = bruecke.kommune_consent_ids
        self.assertEqual(consent.purpose_code, "invitation")
        # The sheet's day, from midnight in Berlin (CET, UTC+1).
        self.assertEqual(consent.date_given, datetime.datetime(2026, 3, 1, 23, 0))
        self.assertEqual(consent.channel, "paper")
        self.assertEqual(consent.create_uid, self.user, "recorded as the importing user")
        self.assertEqual(bruecke.invitation_consent_date, datetime.date(2026, 3, 2))
        # By name
        spandau = organizations - bruecke
        self.assertEqual(spandau.district_id, self.district_spandau)
        self.assertFalse(spandau.kommune_consent_ids, "no date, no consent")

        result = self.import_file(self.read_template(TEMPLATE_PERSONS))
        self.assertFalse(result["messages"], result["messages"])
        persons = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(persons.parent_id, bruecke)
        amina = persons.filtered(lambda p: p.name == "Amina Haddad")
        self.assertEqual(amina.network_role, "fulltime")
        self.assertEqual(amina.function, "Projektleitung")
        self.assertEqual(amina.district_id, self.district_neukoelln, "from the organisation")
        self.assertEqual(amina.kommune_consent_ids.channel, "paper")
        self.assertEqual((persons - amina).network_role, "volunteer")

    def test_consent_dated_before_a_withdrawal_is_refused(self):
        """A sheet signed before the person withdrew invitations (at 00:30 in Berlin on
        the sheet's day) records no consent; a sheet signed later does."""
        person = self.env["res.partner"].create({"name": "Test Widerruf", "parent_id": self.mo.id})
        self.env["ir.model.data"].create(
            {
                "module": "__import__",
                "name": "test_widerruf",
                "model": "res.partner",
                "res_id": person.id,
            }
        )
        consent = self.env["kommune.consent"].create(
            {
                "partner_id": person.id,
                "purpose_id": self.env.ref("kommune_interkulturell.consent_purpose_invitation").id,
                "date_given": datetime.datetime(2026, 1, 5),
            }
        )
        with freeze_time("2026-03-01 23:30:00"):
            consent.action_withdraw()

        def sheet(day):
            book = openpyxl.Workbook()
            book.active.append(["id", "Name", "Invitation Consent On"])
            book.active.append(["__import__.test_widerruf", "Test Widerruf", day])
            out = io.BytesIO()
            book.save(out)
            return out.getvalue()

        with freeze_time("2026-03-10 10:00:00"):
            result = self.import_file(sheet(datetime.datetime(2026, 3, 2)), user=self.manager)
            self.assertFalse(result["ids"])
            self.assertIn("Test Widerruf", str(result["messages"]))
            self.assertEqual(person.kommune_consent_ids, consent, "nothing recorded")
            result = self.import_file(sheet(datetime.datetime(2026, 3, 3)), user=self.manager)
            self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(sorted(person.kommune_consent_ids.mapped("state")), ["given", "withdrawn"])

    def test_unknown_district_stops_the_import_with_its_row(self):
        content = self.edit_xlsx(
            self.read_template(TEMPLATE_ORGANIZATIONS),
            [
                ["Verein Eins e.V.", "Ja", "Migrant*innenorganisation (MO)", "1"],
                ["Verein Zwei e.V.", "Ja", "Migrant*innenorganisation (MO)", "13"],
                ["Verein Drei e.V.", "Ja", "Migrant*innenorganisation (MO)", "Atlantis"],
            ],
        )
        result = self.import_file(content)
        self.assertFalse(result["ids"])
        errors = [message for message in result["messages"] if message["type"] == "error"]
        self.assertEqual(len(errors), 2, errors)
        self.assertIn("13", errors[0]["message"])
        self.assertEqual(errors[0]["rows"]["from"], 1, "the second row of the file")
        self.assertIn("Atlantis", errors[1]["message"])
        self.assertFalse(
            self.env["res.partner"].search_count([("name", "like", "Verein % e.V.")]),
            "nothing imported: no row goes in while another is refused",
        )

    def test_district_by_number_name_or_display_name(self):
        District = self.env["kommune.district"]
        for value in ("8", "08", "8.0", "Neukölln", "08 Neukölln"):
            with self.subTest(value=value):
                self.assertEqual(
                    District.name_search(value, operator="=", limit=None)[0][0],
                    self.district_neukoelln.id,
                )
        self.assertFalse(District.name_search("08 Spandau", operator="="))
        self.assertFalse(District.name_search("13", operator="="))
