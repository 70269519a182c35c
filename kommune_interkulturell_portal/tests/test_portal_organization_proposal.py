from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import fields
from odoo.addons.kommune_interkulturell.tests.common import erase
from odoo.exceptions import AccessError, UserError
from odoo.modules.module import load_script
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .. import _uninstall_hook
from ..models.kommune_organization_proposal import DECIDED_PROPOSAL_DAYS, DECISION
from .test_portal_organization import PortalOrganizationCommon
from .test_portal_participant import CSRF_RE

MIGRATION = "kommune_interkulturell_portal/migrations/19.0.1.1.0/pre-migrate.py"


@tagged("post_install", "-at_install")
class TestPortalOrganizationProposal(PortalOrganizationCommon):
    """A contact person's proposal for their organisation's profile is a record staff
    accept (the organisation changes, the chatter shows old and new, the review activity
    is done) or reject; only staff of the organisation's company see it, portal users
    never over RPC, and the erasure of the proposer removes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="ki_portal_proposal_manager",
            groups="kommune_interkulturell.group_kommune_manager",
        )
        cls.mo_a.write(
            {"user_id": cls.staff.id, "city": "Berlin", "company_id": cls.env.company.id}
        )
        cls.Proposal = cls.env["kommune.organization.proposal"]

    def _propose(self, **values):
        self.login(self.contact_a)
        token = CSRF_RE.search(self.url_open("/my/kommune/organization").text).group(1)
        response = self.url_open(
            "/my/kommune/organization/propose",
            data={"csrf_token": token, **values},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        return self.Proposal.search([("organization_id", "=", self.mo_a.id)], limit=1)

    def _proposal(self, partner=None, **values):
        """A proposal as the portal page makes it (the page's own path is tested above)."""
        return self.Proposal.create(
            self.Proposal._prepare_from_text(
                {
                    "organization_id": self.mo_a.id,
                    "partner_id": (partner or self.contact_a.partner_id).id,
                    **values,
                }
            )
        )

    def _erase(self, person):
        erase(person, self.manager)

    @contextmanager
    def _days_later(self, days):
        """``days`` from now, for Python's clock and for the transaction's (the clock of
        write_date, otherwise fixed for the whole test)."""
        moment = fields.Datetime.now() + timedelta(days=days)
        with freeze_time(moment), patch.object(self.env.cr, "_now", moment):
            yield

    def test_contact_person_proposes_and_staff_accept(self):
        proposal = self._propose(city="Berlin-Wedding", languages="german, Klingon")
        self.assertEqual(proposal.partner_id, self.contact_a.partner_id)
        self.assertEqual(proposal.state, "to_review")
        self.assertEqual(proposal.city, "Berlin-Wedding")
        self.assertEqual(proposal.served_language_ids.mapped("name"), ["German"])
        note = self.mo_a.message_ids.filtered(lambda m: "Berlin-Wedding" in (m.body or ""))
        self.assertIn(
            f'data-oe-model="kommune.organization.proposal" data-oe-id="{proposal.id}"', note.body
        )
        activity = proposal.activity_id
        self.assertEqual(activity.user_id, self.staff, "the organisation's responsible staff")
        self.assertEqual((activity.res_model, activity.res_id), ("res.partner", self.mo_a.id))
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("kommune_interkulturell_portal.mail_activity_type_profile_proposal"),
        )
        self.assertNotEqual(self.mo_a.city, "Berlin-Wedding", "staff decide")

        proposal.with_user(self.staff).action_accept()
        self.assertEqual(proposal.state, "accepted")
        self.assertEqual(self.mo_a.city, "Berlin-Wedding")
        self.assertEqual(self.mo_a.served_language_ids.mapped("name"), ["German"])
        self.assertFalse(activity.active, "the review activity is done")
        self.assertFalse(self.mo_a.activity_ids)
        log = self.mo_a.message_ids.filtered(lambda m: "accepted" in (m.body or ""))
        self.assertEqual(log.author_id, self.staff.partner_id)
        self.assertIn("Berlin → Berlin-Wedding", log.body)

    def test_proposal_keeps_persian_and_blanks_direction_controls(self):
        """A proposal in Persian keeps its zero-width non-joiners; bidirectional
        overrides and zero-width spaces, which make a value read as another in the
        backend, are blanks."""
        persian = "خانه\u200cها"
        proposal = self._propose(
            city=persian, phone="\u202e0987 654\u202c", website="exa\u200bmple.org"
        )
        self.assertEqual(proposal.city, persian)
        self.assertEqual(proposal.phone, "0987 654")
        self.assertEqual(proposal.website, "exa mple.org")

    def test_reviewer_without_responsible_staff_is_a_manager(self):
        self.mo_a.user_id = False
        proposal = self._proposal(city="Berlin-Moabit")
        proposal._schedule_review_activity()
        self.assertTrue(
            proposal.activity_id.user_id.has_group("kommune_interkulturell.group_kommune_manager")
        )
        # Any staff member may decide it; the manager's To-Do is done all the same.
        proposal.with_user(self.staff).action_accept()
        self.assertEqual(self.mo_a.city, "Berlin-Moabit")
        self.assertFalse(proposal.activity_id.active)

    def test_reject_leaves_the_organisation_alone(self):
        proposal = self._proposal(city="Berlin-Moabit", languages="German")
        proposal._schedule_review_activity()
        activity = proposal.activity_id
        proposal.with_user(self.staff).reject_reason = "Die Adresse ist die des Vorstands."
        proposal.with_user(self.staff).action_reject()
        self.assertEqual(proposal.state, "rejected")
        self.assertEqual(self.mo_a.city, "Berlin")
        self.assertFalse(self.mo_a.served_language_ids)
        self.assertFalse(activity.active)
        log = self.mo_a.message_ids.filtered(lambda m: "rejected" in (m.body or ""))
        self.assertIn("des Vorstands", log.body)

    def test_proposal_and_its_review_are_no_contact_with_the_organisation(self):
        """The continuous dialogue counts staff's contacts with the organisation: a
        proposal from the portal, its review To-Do being done and the decision logged are
        office work on the profile, not a contact; the last contact stays unchanged."""
        self.mo_a.message_post(body="Anruf beim Vorstand", message_type="comment")
        self.env.flush_all()
        last_contact = self.mo_a.date_last_contact
        self.assertTrue(last_contact)
        with freeze_time(fields.Datetime.now() + timedelta(days=3)):
            proposal = self._propose(city="Berlin-Wedding")
            proposal.with_user(self.staff).action_accept()
            self.env.flush_all()
            self.assertFalse(proposal.activity_id.active)
            self.assertEqual(self.mo_a.city, "Berlin-Wedding")
            self.assertEqual(self.mo_a.date_last_contact, last_contact)

    def test_decided_proposal_is_not_decided_again(self):
        accepted, rejected = self._proposal(city="Berlin-Moabit"), self._proposal(zip="10115")
        accepted.with_user(self.staff).action_accept()
        rejected.with_user(self.staff).action_reject()
        self.mo_a.city = "Berlin-Mitte"
        for proposal in (accepted, rejected):
            for action in ("action_accept", "action_reject"):
                with self.assertRaises(UserError):
                    getattr(proposal.with_user(self.staff), action)()
        self.assertEqual(self.mo_a.city, "Berlin-Mitte", "no second write")
        self.assertNotEqual(self.mo_a.zip, "10115")

    def test_state_is_set_by_the_decision_only(self):
        """Staff cannot set a proposal's state by hand (over RPC) to decide it twice or
        pass it off as decided, nor change a decided proposal afterwards."""
        proposal = self._proposal(city="Berlin-Moabit")
        with self.assertRaises(UserError):
            proposal.with_user(self.staff).write({"state": "accepted"})
        proposal.with_user(self.staff).action_accept()
        for values in ({"state": "to_review"}, {"city": "Berlin-Wedding"}):
            with self.subTest(values=values), self.assertRaises(UserError):
                proposal.with_user(self.staff).write(values)
        self.assertEqual(proposal.state, "accepted")
        self.assertEqual(proposal.city, "Berlin-Moabit")

    def test_other_company_staff_cannot_see_nor_accept(self):
        other = self.env["res.company"].create({"name": "Portal Proposal Other Company"})
        staff_other = new_test_user(
            self.env,
            login="ki_portal_proposal_other",
            groups="kommune_interkulturell.group_kommune_user",
            company_id=other.id,
            company_ids=other.ids,
        )
        proposal = self._proposal(city="Berlin-Moabit")
        self.assertEqual(proposal.company_id, self.env.company)
        self.assertFalse(
            self.Proposal.with_user(staff_other).search([("organization_id", "=", self.mo_a.id)])
        )
        with self.assertRaises(AccessError):
            proposal.with_user(staff_other).action_accept()
        self.assertEqual(self.mo_a.city, "Berlin")

    def test_portal_user_has_no_access_over_rpc(self):
        proposal = self._proposal(city="Berlin-Moabit")
        self.login(self.contact_a)
        self.assertRpcDenied("kommune.organization.proposal", "read", proposal.ids, ["city"])
        self.assertRpcDenied("kommune.organization.proposal", "search_read", [], ["city"])
        self.assertRpcDenied(
            "kommune.organization.proposal",
            "create",
            [{"organization_id": self.mo_b.id, "city": "Berlin-Moabit"}],
        )
        self.assertRpcDenied("kommune.organization.proposal", "action_accept", proposal.ids)
        self.env.invalidate_all()
        self.assertEqual(proposal.state, "to_review")
        self.assertFalse(self.Proposal.search([("organization_id", "=", self.mo_b.id)]))

    def test_erasure_of_the_proposer_removes_the_proposal(self):
        """A former contact person (their portal access removed) is erased: their
        proposals, with what they wrote, and the review activity go."""
        person = self.env["res.partner"].create(
            {
                "name": "Portal Former Contact",
                "email": "former@portal.example.org",
                "parent_id": self.mo_a.id,
            }
        )
        proposal = self._proposal(partner=person, phone="+49 30 1234567", city="Berlin-Moabit")
        proposal._schedule_review_activity()
        activity = proposal.activity_id
        self._erase(person)
        self.assertFalse(proposal.exists())
        self.assertFalse(activity.exists())
        self.assertFalse(self.Proposal.search([("phone", "=", "+49 30 1234567")]))

    def test_user_reviews_manager_deletes(self):
        proposal = self._proposal(city="Berlin-Moabit")
        as_user = proposal.with_user(self.staff)
        as_user.community_ids = self.env["kommune.community"].search([], limit=1)
        self.assertEqual(as_user.read(["city"])[0]["city"], "Berlin-Moabit")
        with self.assertRaises(AccessError):
            self.Proposal.with_user(self.staff).create({"organization_id": self.mo_a.id})
        with self.assertRaises(AccessError):
            as_user.unlink()
        proposal.with_user(self.manager).unlink()
        self.assertFalse(proposal.exists())

    def test_subject_access_lists_the_proposals(self):
        person = self.env["res.partner"].create(
            {"name": "Portal Asking Contact", "parent_id": self.mo_a.id}
        )
        self._proposal(partner=person, phone="+49 30 7654321")
        data = self.env["kommune.privacy"].with_user(self.manager)._get_personal_data(person)
        self.assertIn("profile_proposals", str(data))
        self.assertIn("+49 30 7654321", str(data))

    def test_list_names_match_exactly_not_as_patterns(self):
        """A proposed list entry is matched by its whole name in any case: the wildcards
        of a LIKE pattern are letters like any other."""
        Language = "kommune.language"
        self.assertEqual(self.Proposal._match_names(Language, "gERMAN").mapped("name"), ["German"])
        for text in ("%", "_%", "Germa_", "G%"):
            with self.subTest(text=text):
                self.assertFalse(self.Proposal._match_names(Language, text))

    def test_decided_proposals_are_deleted_after_the_retention(self):
        """What a contact person wrote is kept while staff need it: a decided proposal
        goes DECIDED_PROPOSAL_DAYS after its decision; those to review stay."""
        accepted, rejected, waiting = (
            self._proposal(city="Berlin-Moabit"),
            self._proposal(zip="10115"),
            self._proposal(phone="+49 30 5550000"),
        )
        accepted.with_user(self.staff).action_accept()
        rejected.with_user(self.staff).action_reject()
        self.env.flush_all()
        with freeze_time(fields.Datetime.now() + timedelta(days=DECIDED_PROPOSAL_DAYS - 1)):
            self.Proposal._gc_decided_proposals()
        self.assertTrue((accepted | rejected | waiting).exists() == accepted | rejected | waiting)
        with freeze_time(fields.Datetime.now() + timedelta(days=DECIDED_PROPOSAL_DAYS + 1)):
            self.Proposal._gc_decided_proposals()
        self.assertEqual((accepted | rejected | waiting).exists(), waiting)
        self.assertEqual(self.mo_a.city, "Berlin-Moabit", "what was accepted stays")

    def test_a_later_write_does_not_postpone_the_deletion(self):
        """The retention counts from the decision: a technical write long after it (a
        contact merge moving the proposer, a recompute) does not keep what the contact
        person wrote any longer."""
        proposal = self._proposal(phone="+49 30 5551111")
        proposal.with_user(self.staff).action_reject()
        other = self.env["res.partner"].create(
            {"name": "Portal Merged Contact", "parent_id": self.mo_a.id}
        )
        with self._days_later(80):
            proposal.with_context(kommune_proposal_decision=DECISION).partner_id = other
            self.env.flush_all()
        with self._days_later(DECIDED_PROPOSAL_DAYS + 1):
            self.Proposal._gc_decided_proposals()
        self.assertFalse(proposal.exists())

    def test_proposals_to_review_are_never_deleted_by_the_retention(self):
        """However old, a proposal waiting for staff stays."""
        waiting = self._proposal(city="Berlin-Moabit")
        self.assertFalse(waiting.date_decided)
        with self._days_later(10 * DECIDED_PROPOSAL_DAYS):
            self.Proposal._gc_decided_proposals()
        self.assertTrue(waiting.exists())
        self.assertEqual(waiting.state, "to_review")

    def test_decision_date_is_set_once_and_not_by_hand(self):
        proposal = self._proposal(city="Berlin-Moabit")
        proposal.with_user(self.staff).action_accept()
        self.assertTrue(proposal.date_decided)
        with self.assertRaises(UserError):
            proposal.with_user(self.staff).date_decided = fields.Datetime.now()
        waiting = self._proposal(zip="10115")
        with self.assertRaises(UserError):
            waiting.with_user(self.staff).date_decided = fields.Datetime.now()

    def test_decision_cannot_be_forged_over_rpc(self):
        """Staff may write proposals, and an RPC call carries any context it likes: the
        decision's date can neither be cleared nor moved that way, nor a decided
        proposal created, so nothing escapes the retention."""
        proposal = self._proposal(city="Berlin-Moabit")
        proposal.with_user(self.staff).action_reject()
        forged = proposal.with_user(self.staff).with_context(kommune_proposal_decision=True)
        for vals in (
            {"date_decided": False},
            {"date_decided": fields.Datetime.now() + timedelta(days=3650)},
            {"state": "to_review"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                forged.write(vals)
        with self.assertRaises(UserError):
            self.Proposal.with_user(self.manager).with_context(
                kommune_proposal_decision=True
            ).create({"organization_id": self.mo_a.id, "state": "accepted", "city": "Bonn"})
        # Nor through defaults in the context, nor by copying a decided proposal.
        with self.assertRaises(UserError):
            self.Proposal.with_user(self.manager).with_context(
                default_state="accepted", default_date_decided="2099-01-01 00:00:00"
            ).create({"organization_id": self.mo_a.id, "city": "Bonn"})
        with self.assertRaises(UserError):
            proposal.with_user(self.manager).copy()
        # Not even the database keeps a decided proposal without its date.
        with (
            self.assertRaises(psycopg2.errors.CheckViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                SQL(
                    "UPDATE kommune_organization_proposal SET date_decided = NULL WHERE id = %s",
                    proposal.id,
                )
            )

    def test_upgrade_dates_the_proposals_decided_before(self):
        """Proposals decided before the decision date was stored get their last write
        as decision date; those to review get none."""
        decided, waiting = self._proposal(city="Berlin-Moabit"), self._proposal(zip="10115")
        decided.with_user(self.staff).action_reject()
        self.env.flush_all()
        # As before the upgrade: no decision date, so no constraint tying it to the
        # decision either (dropped in the test's transaction only).
        self.env.cr.execute(
            SQL(
                "ALTER TABLE kommune_organization_proposal "
                "DROP CONSTRAINT kommune_organization_proposal_decided_with_date"
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE kommune_organization_proposal SET date_decided = NULL, "
                "write_date = %s WHERE id IN %s",
                datetime(2026, 1, 5, 10, 0),
                tuple((decided | waiting).ids),
            )
        )
        load_script(MIGRATION, "kommune_proposal_date_decided_migration").migrate(
            self.env.cr, "19.0.1.0.0"
        )
        self.env.invalidate_all()
        self.assertEqual(decided.date_decided, datetime(2026, 1, 5, 10, 0))
        self.assertFalse(waiting.date_decided)

    def test_deleted_proposer_takes_their_proposals(self):
        person = self.env["res.partner"].create(
            {"name": "Portal Deleted Contact", "parent_id": self.mo_a.id}
        )
        proposal = self._proposal(partner=person, phone="+49 30 4440000")
        person.unlink()
        self.assertFalse(proposal.exists(), "no proposal left without its author")

    def test_erasure_leaves_only_the_organisations_history(self):
        """The proposer is erased after staff accepted their proposal: their note in the
        organisation's chatter is blanked; the decision stays as the organisation's
        history (its old and new values) and names neither them nor their address."""
        person = self.env["res.partner"].create(
            {
                "name": "Portal Proposing Person",
                "email": "proposing.person@portal.example.org",
                "parent_id": self.mo_a.id,
            }
        )
        proposal = self._proposal(
            partner=person, city="Berlin-Moabit", email="proposing.person@portal.example.org"
        )
        # As the portal page posts it, by the contact person.
        note = self.mo_a.message_post(
            body="Vorschlag: proposing.person@portal.example.org, Berlin-Moabit",
            author_id=person.id,
            message_type="comment",
            subtype_xmlid="kommune_interkulturell_portal.mt_profile_proposal",
        )
        proposal.with_user(self.staff).action_accept()
        decision = self.mo_a.message_ids.filtered(lambda m: "accepted" in (m.body or ""))
        self.assertIn("Berlin → Berlin-Moabit", decision.body)
        self._erase(person)
        self.env.invalidate_all()
        self.assertNotIn("Berlin-Moabit", note.body, "what they wrote is blanked")
        self.assertIn("Berlin → Berlin-Moabit", decision.body, "the organisation's history")
        for message in self.mo_a.message_ids:
            self.assertNotIn("Portal Proposing Person", message.body or "")
            self.assertNotIn("proposing.person@portal.example.org", message.body or "")

    def test_uninstall_leaves_no_blocking_activity_nor_public_message(self):
        """Without the bridge its review activities go (they would block the deletion of
        their type), and its decision notes stay staff notes."""
        proposal = self._proposal(city="Berlin-Moabit")
        proposal._schedule_review_activity()
        done = self._proposal(zip="10115")
        done._schedule_review_activity()
        done.with_user(self.staff).action_accept()
        review_type = self.env.ref(
            "kommune_interkulturell_portal.mail_activity_type_profile_proposal"
        )
        subtype = self.env.ref("kommune_interkulturell_portal.mt_profile_proposal")
        messages = self.env["mail.message"].search([("subtype_id", "=", subtype.id)])
        self.assertTrue(messages)
        _uninstall_hook(self.env)
        Activity = self.env["mail.activity"].with_context(active_test=False)
        self.assertFalse(Activity.search([("activity_type_id", "=", review_type.id)]))
        self.assertEqual(messages.subtype_id, self.env.ref("mail.mt_note"))
        review_type.unlink()
        subtype.unlink()
        self.assertTrue(messages.exists(), "the organisation's history stays")
