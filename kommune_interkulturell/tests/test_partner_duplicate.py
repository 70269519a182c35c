from odoo.tests import Form, tagged

from .common_import import TEMPLATE_PERSONS, KommuneImportCommon


@tagged("post_install", "-at_install")
class TestPartnerDuplicate(KommuneImportCommon):
    """Likely duplicates, however they came in (import or hand entry), are shown on the
    form and found by the "Possible Duplicates" filter; merging them with Odoo's
    wizard leaves one contact and no warning."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.amina = cls.Partner.create(
            {
                "name": "Amina Haddad",
                "parent_id": cls.mo.id,
                "email": "amina.haddad@example.org",
                "zip": "12047",
            }
        )

    def possible_duplicates(self, user=None):
        return self.Partner.with_user(user or self.user).search(
            [("kommune_has_duplicates", "=", True)]
        )

    def test_import_with_duplicates(self):
        content = self.edit_xlsx(
            self.read_template(TEMPLATE_PERSONS),
            [
                # Same address, another name
                ["A. Haddad", "", "", "", "amina.haddad@example.org", ""],
                # A very similar name in the same organisation
                ["Haddad, Amina", "Test MO Brücke e.V.", "", "", "", ""],
                # Nobody like them
                ["Oleksandr Kovalenko", "Test MO Brücke e.V.", "", "", "o.k@example.org", ""],
            ],
        )
        result = self.import_file(content)
        self.assertFalse(result["messages"], result["messages"])
        by_mail, by_name, newcomer = self.Partner.browse(result["ids"])
        self.assertEqual(by_mail.kommune_duplicate_ids, self.amina)
        self.assertEqual(by_name.kommune_duplicate_ids, self.amina)
        self.assertEqual(self.amina.kommune_duplicate_ids, by_mail | by_name)
        self.assertFalse(newcomer.kommune_duplicate_ids)
        self.assertFalse(newcomer.kommune_has_duplicates)
        found = self.possible_duplicates()
        self.assertLessEqual(self.amina | by_mail | by_name, found)
        self.assertNotIn(newcomer, found)
        self.assertNotIn(newcomer, self.Partner.search([("kommune_has_duplicates", "=", True)]))
        self.assertIn(newcomer, self.Partner.search([("kommune_has_duplicates", "=", False)]))

        # Merging through the link of the warning, as a plain user
        action = self.amina.with_user(self.user).action_kommune_merge_duplicates()
        Wizard = (
            self.env[action["res_model"]].with_user(self.user).with_context(**action["context"])
        )
        form = Form(Wizard)
        self.assertEqual(len(form.partner_ids), 3)
        form.dst_partner_id = self.amina
        # Odoo lets only administrators merge different addresses: the two with the
        # same one here.
        form.partner_ids.remove(id=by_name.id)
        form.save().action_merge()
        self.assertFalse(by_mail.exists())
        self.assertTrue(self.amina.exists())
        self.amina.invalidate_recordset()
        self.assertEqual(self.amina.kommune_duplicate_ids, by_name)

    def test_same_address_written_otherwise(self):
        twin = self.Partner.create(
            {"name": "Frau Haddad", "email": "Amina Haddad <AMINA.HADDAD@example.org>"}
        )
        self.assertEqual(twin.kommune_duplicate_ids, self.amina)

    def test_same_name_and_postcode(self):
        twin = self.Partner.create({"name": " amina haddad", "zip": "12 047"})
        other_zip = self.Partner.create({"name": "Amina Haddad", "zip": "10115"})
        self.assertEqual(twin.kommune_duplicate_ids, self.amina)
        self.assertFalse(other_zip.kommune_duplicate_ids)

    def test_no_false_alarms(self):
        # An organisation and its people share the info@ address
        person = self.Partner.create(
            {"name": "Leyla Demir", "parent_id": self.mo.id, "email": self.mo.email}
        )
        # Different people of one organisation, different names of other organisations
        other = self.Partner.create({"name": "Amira Hadi", "parent_id": self.mo.id})
        namesake = self.Partner.create(
            {"name": "Amina Haddad", "parent_id": self.administration.id}
        )
        self.assertFalse((person | other | namesake | self.mo).kommune_duplicate_ids)
        # Archived contacts are no duplicates
        copy = self.Partner.create({"name": "Amina Haddad", "email": self.amina.email})
        copy.action_archive()
        self.assertFalse(self.amina.kommune_duplicate_ids)

    def test_other_companys_contacts_stay_hidden(self):
        other_company = self.env["res.company"].create({"name": "Anderes Projekt"})
        self.Partner.create(
            {"name": "Amina Haddad", "email": self.amina.email, "company_id": other_company.id}
        )
        amina = self.amina.with_user(self.user)
        self.assertFalse(amina.kommune_duplicate_ids)
        self.assertNotIn(self.amina, self.possible_duplicates())

    def test_merge_is_for_contact_creators(self):
        duplicate = self.Partner.create({"name": "Amina Haddad", "email": self.amina.email})
        viewer = self.env["res.users"].create(
            {
                "name": "Nur Lesen",
                "login": "ki_viewer",
                "group_ids": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        self.assertFalse(viewer.has_group("base.group_partner_manager"))
        arch = self.Partner.with_user(viewer).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("action_kommune_merge_duplicates", arch)
        arch = self.Partner.with_user(self.user).get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn("action_kommune_merge_duplicates", arch)
        self.assertEqual(duplicate.kommune_duplicate_ids, self.amina)

    def test_query_count_does_not_grow_with_the_contacts(self):
        def create_pairs(count):
            self.Partner.create(
                [
                    {"name": f"Test Doppelt {n}", "email": f"doppelt{n}@example.org"}
                    for n in range(count)
                    for _twice in range(2)
                ]
            )

        def filter_and_show():
            found = self.Partner.search([("kommune_has_duplicates", "=", True)])
            found.mapped("kommune_duplicate_ids")
            return found

        create_pairs(5)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=8):
            self.assertGreaterEqual(len(filter_and_show()), 10)
        create_pairs(30)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=8):
            self.assertGreaterEqual(len(filter_and_show()), 70)

    def test_form_of_one_person_in_a_large_organisation(self):
        """A plain user opening one person of a large organisation: the same number of
        queries however many colleagues, and their very similar colleague found."""
        similar = self.Partner.create({"name": "Amina Hadad", "parent_id": self.mo.id})
        for count in (10, 150):
            self.Partner.create(
                [{"name": f"Test Kollegin {n}", "parent_id": self.mo.id} for n in range(count)]
            )
            self.env.invalidate_all()
            with self.with_user(self.user.login), self.assertQueryCount(ki_user=10):
                amina = self.amina.with_env(self.env)
                self.assertEqual(amina.kommune_duplicate_ids, similar)
