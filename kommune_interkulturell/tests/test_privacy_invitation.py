from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tests import tagged

from .common_privacy import PrivacyCommon


@tagged("post_install", "-at_install")
class TestInvitationAudience(PrivacyCommon):
    """Who the network's invitations may reach: the API campaigns build on
    (res.partner._kommune_invitation_basis_domain and the field kommune_invitation_allowed)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.opted_in, cls.withdrew, cls.interest_only, cls.silent = cls.persons[:4]
        cls.give_consent(cls.opted_in, cls.purpose_invitation, channel="web")
        cls.give_consent(cls.withdrew, cls.purpose_invitation).action_withdraw()
        cls.give_consent(
            cls.interest_only, cls.purpose_invitation, legal_basis="legitimate_interest"
        )
        cls.give_consent(cls.silent, cls.purpose_photo)
        cls.objecting_mo = Partner.create(
            {
                "name": "Test MO ohne Einladungen",
                "is_company": True,
                "organization_type_id": cls.type_mo.id,
                "email": "info@ohne.example.org",
            }
        )
        cls.give_consent(
            cls.objecting_mo, cls.purpose_invitation, legal_basis="legitimate_interest"
        ).action_withdraw()
        cls.outsider_company = Partner.create(
            {
                "name": "Test Lieferant GmbH",
                "is_company": True,
                "email": "info@lieferant.example.org",
            }
        )
        cls.candidates = (
            cls.persons | cls.mo | cls.administration | cls.objecting_mo | cls.outsider_company
        )

    def allowed(self, company=None):
        Partner = self.env["res.partner"]
        domain = Domain("id", "in", self.candidates.ids) & Partner._kommune_invitation_basis_domain(
            company
        )
        return Partner.search(domain)

    def test_opt_in_required(self):
        self.assertEqual(self.env.company.kommune_invitation_basis, "consent", "the default")
        self.assertEqual(self.allowed(), self.opted_in)

    def test_legitimate_interest_for_organisations(self):
        self.env.company.kommune_invitation_basis = "legitimate_interest"
        self.assertEqual(
            self.allowed(),
            self.opted_in | self.mo | self.administration,
            "network organisations unless they objected; people still need consent",
        )
        # An organisation that objected and later agreed again is back.
        self.give_consent(self.objecting_mo, self.purpose_invitation)
        self.assertIn(self.objecting_mo, self.allowed())

    def test_consent_of_another_company_does_not_count(self):
        self.give_consent(
            self.persons[4], self.purpose_invitation, company_id=self.other_company.id
        )
        self.assertNotIn(self.persons[4], self.allowed())
        self.assertEqual(self.allowed(self.other_company), self.persons[4])
        Partner = self.env["res.partner"].with_company(self.other_company)
        self.assertEqual(
            Partner.search(
                [("id", "in", self.candidates.ids), ("kommune_invitation_allowed", "=", True)]
            ),
            self.persons[4],
            "the field follows the current company",
        )

    def test_searchable_field(self):
        Partner = self.env["res.partner"].with_user(self.user)
        found = Partner.search(
            [("id", "in", self.candidates.ids), ("kommune_invitation_allowed", "=", True)]
        )
        self.assertEqual(found, self.opted_in)
        not_found = Partner.search(
            [("id", "in", self.candidates.ids), ("kommune_invitation_allowed", "=", False)]
        )
        self.assertEqual(not_found, self.candidates - self.opted_in)
        self.assertEqual(
            self.candidates.with_user(self.user).filtered("kommune_invitation_allowed"),
            self.opted_in,
        )

    def test_other_purposes(self):
        Partner = self.env["res.partner"]
        photo = Partner.search(
            Domain("id", "in", self.candidates.ids) & Partner._kommune_consent_domain("photo")
        )
        self.assertEqual(photo, self.silent)
        any_basis = Partner.search(
            Domain("id", "in", self.candidates.ids) & Partner._kommune_consent_domain("invitation")
        )
        self.assertEqual(any_basis, self.opted_in | self.interest_only)

    def test_withdraw_from_the_person(self):
        """One click in the person's consent list ends the invitations."""
        consent = self.opted_in.kommune_consent_ids.filtered(
            lambda consent: consent.purpose_id == self.purpose_invitation
        )
        consent.with_user(self.user).action_withdraw()
        self.assertFalse(self.allowed())
        self.assertFalse(self.opted_in.kommune_invitation_allowed)

    def test_outside_the_network_no_access(self):
        """People without a role in the network do not see consents at all."""
        employee = self.env["res.users"].create(
            {
                "name": "Test Nur Mitarbeiterin",
                "login": "ki_employee_only",
                "group_ids": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["kommune.consent"].with_user(employee).search([])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(employee).search(
                [("kommune_invitation_allowed", "=", True)]
            )
