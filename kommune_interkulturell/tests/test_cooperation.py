from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_cooperation import CooperationCommon


@tagged("post_install", "-at_install")
class TestCooperationPipeline(CooperationCommon):
    def test_stages_and_kinds_ship_as_data(self):
        stages = self.env["kommune.cooperation.stage"].search([])
        self.assertEqual(
            stages[:6],
            self.stage_contact
            | self.stage_first_meeting
            | self.stage_agreement
            | self.stage_active
            | self.stage_consolidated
            | self.stage_paused,
        )
        self.assertEqual(stages.filtered("is_won"), self.stage_consolidated)
        self.assertEqual(stages.filtered("fold"), self.stage_paused)
        self.assertEqual(self.stage_consolidated.probability, 100)
        kinds = self.env["kommune.cooperation.kind"].search([])
        self.assertEqual(len(kinds), 5)
        self.assertEqual(self.kind_agreement.dialogue_interval, 60)

    def test_defaults(self):
        coop = self.env["kommune.cooperation"].with_user(self.user).create({"name": "Neu"})
        self.assertEqual(coop.stage_id, self.stage_contact)
        self.assertEqual(coop.kind_id, self.kind_agreement)
        self.assertEqual(coop.user_id, self.user)
        self.assertEqual(coop.company_id, self.env.company)
        self.assertEqual(coop.date_start, fields.Date.context_today(coop))
        self.assertEqual(coop.probability, self.stage_contact.probability)

    def test_stage_move_tracked_in_chatter(self):
        coop = self.cooperation.with_user(self.user)
        # Tracking runs when the transaction's changes are flushed (precommit).
        self.env.flush_all()
        self.cr.flush()
        coop.stage_id = self.stage_active
        self.env.flush_all()
        self.cr.flush()
        message = self.cooperation.message_ids[0]  # tracking values: read as superuser
        self.assertEqual(
            message.subtype_id, self.env.ref("kommune_interkulturell.mt_cooperation_stage")
        )
        tracking = message.tracking_value_ids
        self.assertEqual(tracking.field_id.name, "stage_id")
        self.assertEqual(tracking.old_value_char, self.stage_contact.name)
        self.assertEqual(tracking.new_value_char, self.stage_active.name)
        self.assertEqual(coop.probability, self.stage_active.probability)

    def test_kanban_shows_every_stage(self):
        # Only two stages hold cooperations; the kanban still gets every column,
        # folded and empty ones included, so that cards can be dropped there.
        self.cooperation.stage_id = self.stage_active
        groups = (
            self.env["kommune.cooperation"]
            .with_user(self.user)
            .with_context(read_group_expand=True)  # as the kanban view asks
            .formatted_read_group([("id", "=", self.cooperation.id)], ["stage_id"], ["__count"])
        )
        stages = self.env["kommune.cooperation.stage"].search([])
        self.assertEqual([group["stage_id"][0] for group in groups], stages.ids)
        counts = {group["stage_id"][0]: group["__count"] for group in groups}
        self.assertEqual(counts[self.stage_active.id], 1)
        self.assertEqual(counts[self.stage_paused.id], 0)

    def test_members_and_roles(self):
        coop = self.cooperation
        by_partner = {member.partner_id: member for member in coop.member_ids}
        administration = by_partner[self.administration]
        self.assertEqual(administration.role, "initiating_administration")
        self.assertEqual(administration.contact_id, self.admin_person)
        mo_member = by_partner[self.mo]
        self.assertEqual(mo_member.role, "partner_mo")
        # The management speaks for the organisation, not the first volunteer.
        self.assertEqual(mo_member.contact_id, self.mo_manager)
        self.assertEqual(mo_member.organization_category, "migrant_organization")
        self.assertEqual(coop.partner_ids, self.administration | self.mo)
        self.assertEqual(coop.organization_count, 2)

        second_administration = self.env["res.partner"].create(
            {
                "name": "Test Bezirksamt Mitte",
                "is_company": True,
                "organization_type_id": self.type_integration.id,
                "district_id": self.district_mitte.id,
            }
        )
        coop.member_ids = [
            Command.create({"partner_id": second_administration.id}),
            Command.create({"partner_id": self.labour_actor.id}),
        ]
        roles = {member.partner_id: member.role for member in coop.member_ids}
        self.assertEqual(roles[second_administration], "administration")
        self.assertEqual(roles[self.labour_actor], "labour_market")
        self.assertFalse(
            coop.member_ids.filtered(lambda m: m.partner_id == self.labour_actor).contact_id
        )
        self.assertIn(self.labour_actor, coop.partner_ids)

    def test_member_contact_belongs_to_organisation(self):
        member = self.cooperation.member_ids.filtered(lambda m: m.partner_id == self.mo)
        with self.assertRaises(ValidationError):
            member.contact_id = self.admin_person
        member.contact_id = self.mo_person
        self.assertEqual(member.contact_id, self.mo_person)

    def test_member_only_once(self):
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.cooperation.member_ids = [Command.create({"partner_id": self.mo.id})]
            self.env.flush_all()

    def test_district_from_administration(self):
        # The MO comes first, but cooperations live where the administration is.
        coop = self._create_cooperation(
            "Ohne Bezirk",
            member_ids=[
                Command.create({"partner_id": self.mo.id}),
                Command.create({"partner_id": self.administration.id}),
            ],
        )
        self.assertEqual(coop.district_id, self.district_spandau)
        coop.district_id = self.district_mitte
        coop.member_ids = [Command.create({"partner_id": self.labour_actor.id})]
        self.assertEqual(coop.district_id, self.district_mitte, "a chosen district stays")

    def test_end_before_start_refused_in_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        coop = self.cooperation.with_context(lang="de_DE")
        with self.assertRaises(ValidationError) as error:
            coop.write({"date_start": "2026-03-01", "date_end": "2026-02-01"})
        self.assertIn("kann nicht enden", str(error.exception))
        self.assertIn("01.02.2026", str(error.exception))
        coop.write({"date_start": "2026-03-01", "date_end": "2026-03-01"})

    def test_probability_between_0_and_100(self):
        for probability in (-1, 101):
            with (
                self.subTest(probability=probability),
                self.assertRaises(IntegrityError),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self.stage_active.probability = probability
                self.env.flush_all()

    def test_indicators_and_interval_not_negative(self):
        for record, field in (
            (self.cooperation, "people_reached"),
            (self.cooperation, "placement_count"),
            (self.kind_agreement, "dialogue_interval"),
        ):
            with (
                self.subTest(field=field),
                self.assertRaises(IntegrityError),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                record[field] = -1
                self.env.flush_all()

    def test_close_and_resume(self):
        coop = self.cooperation
        closed_before = self.reason_funding.cooperation_count
        coop.date_start = fields.Date.today() - timedelta(days=100)
        wizard = (
            self.env["kommune.cooperation.close"]
            .with_user(self.user)
            .with_context(default_cooperation_ids=coop.ids)
            .create(
                {
                    "close_reason_id": self.reason_funding.id,
                    "outcome_result": "<p>40 Menschen beraten</p>",
                    "outcome_lessons": "<p>Früher über Finanzierung reden</p>",
                }
            )
        )
        self.assertEqual(wizard.stage_id, self.stage_paused)
        wizard.action_apply()
        self.assertEqual(coop.stage_id, self.stage_paused)
        self.assertTrue(coop.is_closed)
        self.assertEqual(coop.close_reason_id, self.reason_funding)
        self.assertIn("40 Menschen", coop.outcome_result)
        self.assertEqual(coop.date_end, fields.Date.context_today(coop))
        self.reason_funding.invalidate_recordset(["cooperation_count"])
        self.assertEqual(self.reason_funding.cooperation_count, closed_before + 1)
        self.assertIn(
            coop,
            self.env["kommune.cooperation"].search(
                self.reason_funding.action_open_cooperations()["domain"]
            ),
        )
        # Dragged back into a live stage, the cooperation resumed: no reason any more.
        coop.stage_id = self.stage_active
        self.assertFalse(coop.close_reason_id)
        self.assertIn("40 Menschen", coop.outcome_result, "the outcome stays as history")

    def test_pause_keeps_open_end(self):
        self.env["kommune.cooperation.close"].create(
            {"cooperation_ids": self.cooperation.ids, "close_reason_id": self.reason_no_capacity.id}
        ).action_apply()
        self.assertEqual(self.cooperation.stage_id, self.stage_paused)
        self.assertFalse(self.cooperation.date_end, "a paused cooperation has not ended")

    def test_related_trainings(self):
        """Trainings that people of member organisations attend show on the cooperation;
        cancelled registrations and other organisations' people do not count."""
        Partner = self.env["res.partner"]
        staff = Partner.create({"name": "MO-Mitarbeiterin", "parent_id": self.mo.id})
        outsider = Partner.create({"name": "Außenstehende"})
        training, other, cancelled = self.env["kommune.training"].create(
            [{"name": "Interkulturelle Öffnung"}, {"name": "Ohne Bezug"}, {"name": "Storniert"}]
        )
        training._register_participant(staff, consent=True)
        other._register_participant(outsider, consent=True)
        cancelled._register_participant(staff, consent=True).action_cancel()
        self.assertEqual(self.cooperation.training_count, 1)
        action = self.cooperation.action_view_trainings()
        self.assertEqual(self.env["kommune.training"].search(action["domain"]), training)

    def test_organisation_smart_button(self):
        self.assertEqual(self.mo.with_user(self.user).cooperation_count, 1)
        action = self.mo.with_user(self.user).action_open_cooperations()
        self.assertEqual(self.env["kommune.cooperation"].search(action["domain"]), self.cooperation)
        action = self.cooperation.action_view_organizations()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]), self.administration | self.mo
        )


@tagged("post_install", "-at_install")
class TestCooperationForm(CooperationCommon):
    def test_form_creates_cooperation_with_members(self):
        with Form(self.env["kommune.cooperation"].with_user(self.user)) as form:
            form.name = "Formular-Kooperation"
            form.kind_id = self.kind_round_table
            self.assertEqual(form.stage_id, self.stage_contact)
            with form.member_ids.new() as member:
                member.partner_id = self.mo
                # The UI proposes the role and the contact person at once.
                self.assertEqual(member.role, "partner_mo")
                self.assertEqual(member.contact_id, self.mo_manager)
                member.contact_id = self.mo_person
            self.assertFalse(form.district_id, "an MO works across districts")
            with form.member_ids.new() as member:
                member.partner_id = self.administration
                self.assertEqual(member.role, "initiating_administration")
                self.assertEqual(member.contact_email, "petra@test-ba.example.org")
            self.assertEqual(form.district_id, self.district_spandau)
        coop = form.record
        self.assertEqual(coop.partner_ids, self.mo | self.administration)
        self.assertEqual(
            coop.member_ids.filtered(lambda m: m.partner_id == self.mo).contact_id,
            self.mo_person,
        )

    def test_form_changing_organisation_resets_contact(self):
        with (
            Form(self.cooperation.with_user(self.user)) as form,
            form.member_ids.edit(1) as member,
        ):
            self.assertEqual(member.contact_id, self.mo_manager)
            member.partner_id = self.labour_actor
            self.assertFalse(member.contact_id, "no person of the MO for another organisation")
            self.assertEqual(member.role, "labour_market")
        self.assertIn(self.labour_actor, self.cooperation.partner_ids)
        self.assertNotIn(self.mo, self.cooperation.partner_ids)

    def test_card_organisation_names_follow_members_and_renames(self):
        # The pipeline card shows the members through a stored text: it must follow
        # added and removed members and renamed organisations, read back from the database.
        coop = self.cooperation.with_user(self.user)
        card_names = self.card_names
        self.assertEqual(card_names(), "Test Bezirksamt Spandau – Integration, Test MO Brücke e.V.")
        coop.member_ids = [Command.create({"partner_id": self.labour_actor.id})]
        self.assertIn("Test Unternehmensverbund Mitte", card_names())
        self.mo.with_user(self.user).name = "Test MO Neue Brücke e.V."
        names = card_names()
        self.assertIn("Test MO Neue Brücke e.V.", names)
        self.assertNotIn("Test MO Brücke e.V.", names)
        coop.member_ids.filtered(lambda member: member.partner_id == self.administration).unlink()
        self.assertEqual(card_names(), "Test MO Neue Brücke e.V., Test Unternehmensverbund Mitte")

    def card_names(self, user=None):
        """The card's organisation names as the web client reads them from the
        database."""
        self.env.flush_all()
        self.env.invalidate_all()
        [card] = self.cooperation.with_user(user or self.user).web_read({"organization_names": {}})
        return card["organization_names"]

    def test_card_organisation_names_after_a_merge(self):
        """Merging the member organisation into another contact, or a member of another
        cooperation into it, moves the rows in SQL: the card names the contact kept
        (Odoo's wizard writes it afterwards, which computes the names again)."""
        duplicate = self.env["res.partner"].create({"name": "Test MO Bruecke", "is_company": True})
        other = self._create_cooperation(
            "Test Kooperation Dublette", member_ids=[Command.create({"partner_id": duplicate.id})]
        )
        kept = self.env["res.partner"].create({"name": "Test MO Brücke (neu)", "is_company": True})
        Wizard = self.env["base.partner.merge.automatic.wizard"]
        Wizard._merge((self.mo | kept).ids, kept)
        self.assertEqual(
            self.card_names(), "Test Bezirksamt Spandau – Integration, Test MO Brücke (neu)"
        )
        Wizard._merge((duplicate | kept).ids, kept)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(other.organization_names, "Test MO Brücke (neu)")

    def test_card_organisation_names_archived_member(self):
        """An archived organisation leaves the card, as it left the organisations'
        tags, and comes back once unarchived."""
        names = self.card_names()
        self.mo.action_archive()
        self.assertEqual(self.card_names(), "Test Bezirksamt Spandau – Integration")
        self.assertNotIn(self.mo, self.cooperation.with_user(self.user).partner_ids)
        self.mo.action_unarchive()
        self.assertEqual(self.card_names(), names)

    def test_card_organisation_names_only_readable_ones(self):
        """The stored text bypasses the contacts' record rules: a member organisation
        moved to another company is no longer named to users of the cooperation's
        company, who may not read it."""
        other_company = self.env["res.company"].create({"name": "Andere Gesellschaft"})
        self.mo.company_id = other_company
        with self.assertRaises(AccessError):
            self.mo.with_user(self.user).read(["name"])
        self.assertEqual(self.card_names(), "Test Bezirksamt Spandau – Integration")
        self.mo.company_id = self.cooperation.company_id
        self.assertEqual(
            self.card_names(), "Test Bezirksamt Spandau – Integration, Test MO Brücke e.V."
        )

    def test_form_end_before_start(self):
        form = Form(self.cooperation.with_user(self.user))
        form.date_start = "2026-05-01"
        form.date_end = "2026-04-01"
        with self.assertRaises(ValidationError):
            form.save()
