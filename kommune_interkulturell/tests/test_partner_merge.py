from datetime import datetime

from odoo import Command
from odoo.tests import Form, tagged
from odoo.tools import format_date

from .common_privacy import PrivacyCommon


@tagged("post_install", "-at_install")
class TestPartnerMerge(PrivacyCommon):
    """Odoo's merge wizard (Contacts → Merge) on duplicates that both have a row of the
    same key: a registration for the same training (with its attendance), a consent in
    force for the same purpose, a membership in the same cooperation. The better row is
    kept, the other merged into it, and the chatter says so; nothing fails on the
    addon's unique indexes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.silent = cls.training.with_context(kommune_training_no_mail=True)
        cls.person = cls.persons[0]
        cls.duplicate = cls.env["res.partner"].create(
            {"name": "Test Teilnehmende Eins (Dublette)", "email": cls.person.email}
        )
        cls.Registration = cls.env["kommune.training.registration"]
        cls.Consent = cls.env["kommune.consent"]

    def merge(self, *partners, dst):
        """Merge through the wizard as staff do: a project user (Contacts' merge needs
        the contact creation right, which the project's users have)."""
        partners = self.env["res.partner"].concat(*partners)
        Wizard = self.env["base.partner.merge.automatic.wizard"].with_user(self.user)
        form = Form(Wizard.with_context(active_model="res.partner", active_ids=partners.ids))
        form.dst_partner_id = dst
        form.save().action_merge()
        self.assertFalse((partners - dst).exists(), "the duplicates are gone")
        self.assertTrue(dst.exists())

    def chatter(self, record):
        return " ".join(record.message_ids.mapped("body"))

    # ------------------------------------------------------------
    # Registrations and attendance
    # ------------------------------------------------------------

    def test_registration_furthest_along_is_kept(self):
        confirmed = self.silent._register_participant(self.duplicate, consent=True)
        registered = self.silent._register_participant(self.person, consent=False)
        self.assertEqual((confirmed.state, registered.state), ("confirmed", "registered"))
        registered.message_post(body="Rückruf wegen Anreise vereinbart.")

        self.merge(self.duplicate, self.person, dst=self.person)

        self.assertFalse(registered.exists())
        self.assertEqual(self.Registration.search([("partner_id", "=", self.person.id)]), confirmed)
        self.assertEqual(confirmed.partner_id, self.person)
        self.assertEqual(confirmed.state, "confirmed")
        self.assertTrue(confirmed.consent)
        self.assertEqual(confirmed.consent_id.partner_id, self.person)
        self.assertTrue(confirmed._has_consent_in_force())
        self.assertEqual(confirmed.attendance_ids.session_id, self.sessions)
        self.assertEqual(self.sessions.attendance_ids.partner_id, self.person)
        chatter = self.chatter(confirmed)
        self.assertIn(self.person.name, chatter, "the merged registration is named")
        self.assertIn("Rückruf wegen Anreise vereinbart.", chatter, "the chatter moved")

    def test_consent_tick_and_notes_carried_over(self):
        """The registration kept lacked the consent the other one had: it takes it
        over, with the person's consent record, and the notes of both."""
        # Invited by phone before the invitation rule applied: a registration of its own.
        invited = self.Registration.create(
            {
                "training_id": self.training.id,
                "partner_id": self.person.id,
                "state": "invited",
                "source": "invitation",
            }
        )
        invited.note = "Braucht Dolmetschung."
        registered = self.silent._register_participant(
            self.duplicate, consent=True, confirm=False, note="Kommt mit Kinderwagen."
        )
        self.assertEqual((invited.state, registered.state), ("invited", "registered"))
        self.assertFalse(invited.consent)

        self.merge(self.duplicate, self.person, dst=self.person)

        kept = self.Registration.search([("partner_id", "=", self.person.id)])
        self.assertEqual(kept, registered)
        self.assertTrue(kept.consent)
        self.assertTrue(kept._has_consent_in_force())
        self.assertEqual(kept.note, "Kommt mit Kinderwagen.\n\nBraucht Dolmetschung.")

    def test_two_seats_become_one_and_attendance_merges(self):
        """Both duplicates held a seat: one is freed for the waitlist; the person was
        present wherever either of them was ticked present."""
        first = self.silent._register_participant(self.duplicate, consent=True)
        second = self.silent._register_participant(self.person, consent=True)
        waiting = self.silent._register_participant(self.persons[1], consent=True)
        self.assertEqual(
            (first + second + waiting).mapped("state"), ["confirmed", "confirmed", "waitlist"]
        )
        first.attendance_ids.filtered(lambda a: a.session_id == self.sessions[0]).present = True
        second.attendance_ids.filtered(lambda a: a.session_id == self.sessions[1]).present = True

        self.merge(self.duplicate, self.person, dst=self.person)

        kept = self.Registration.search(
            [("partner_id", "=", self.person.id), ("training_id", "=", self.training.id)]
        )
        self.assertEqual(len(kept), 1)
        self.assertEqual(len(kept.attendance_ids), 2, "one line per session")
        self.assertTrue(all(kept.attendance_ids.mapped("present")))
        self.assertEqual(kept.state, "attended")
        self.assertEqual(waiting.state, "confirmed", "the freed seat went to the waitlist")
        self.assertEqual(self.training.seats_taken, 2)
        for session in self.sessions:
            attendees = session.attendee_ids.filtered(lambda a: a.partner_id == self.person)
            self.assertEqual(len(attendees), 1, "invited once to each session")

    def test_merge_without_shared_training_moves_everything(self):
        other_training = self.training.copy({"name": "Test Zweite Schulung"})
        first = self.silent._register_participant(self.duplicate, consent=True)
        second = other_training.with_context(kommune_training_no_mail=True)._register_participant(
            self.person, consent=True
        )

        self.merge(self.duplicate, self.person, dst=self.person)

        self.assertEqual(
            self.Registration.search([("partner_id", "=", self.person.id)]), first | second
        )

    # ------------------------------------------------------------
    # Consents
    # ------------------------------------------------------------

    def test_one_consent_in_force_the_others_kept_as_evidence(self):
        earlier = self.give_consent(
            self.duplicate, self.purpose_invitation, date_given=datetime(2024, 5, 1, 10)
        )
        later = self.give_consent(self.person, self.purpose_invitation)
        history = self.give_consent(
            self.duplicate, self.purpose_photo, date_given=datetime(2023, 1, 1, 10)
        )
        history.action_withdraw()
        photo = self.give_consent(self.person, self.purpose_photo)
        # The same purpose given to another company is another consent in force.
        elsewhere = self.give_consent(
            self.duplicate, self.purpose_invitation, company_id=self.other_company.id
        )
        signup = self.give_consent(
            self.duplicate, self.purpose_training, confirmation_pending=True, channel="web"
        )
        training = self.give_consent(self.person, self.purpose_training)

        self.merge(self.duplicate, self.person, dst=self.person)

        consents = self.Consent.search([("partner_id", "=", self.person.id)])
        self.assertFalse(signup.exists(), "a sign-up never confirmed is no evidence")
        self.assertEqual(consents, earlier | later | history | photo | elsewhere | training)
        in_force = consents.filtered(lambda consent: consent.state == "given")
        self.assertEqual(in_force, earlier | photo | elsewhere | training)
        self.assertEqual(later.state, "withdrawn")
        date = format_date(self.env(user=self.user), earlier.date_given)
        self.assertIn(date, self.chatter(later), "names the consent kept")
        self.assertIn(self.person.name, self.chatter(earlier), "names the consent closed")
        self.assertIn("Test Teilnehmende Eins (Dublette)", self.chatter(training))

    # ------------------------------------------------------------
    # Cooperation members
    # ------------------------------------------------------------

    def test_one_member_per_cooperation(self):
        duplicate_mo = self.env["res.partner"].create(
            {
                "name": "Test MO Brücke (Dublette)",
                "is_company": True,
                "email": self.mo.email,
                "organization_type_id": self.type_mo.id,
            }
        )
        spokesperson = self.env["res.partner"].create(
            {"name": "Test Sprecherin", "parent_id": duplicate_mo.id}
        )
        cooperation = self.env["kommune.cooperation"].create(
            {
                "name": "Test Kooperation Dubletten",
                "member_ids": [
                    Command.create({"partner_id": self.administration.id}),
                    Command.create(
                        {"partner_id": self.mo.id, "contribution": "Räume", "contact_id": False}
                    ),
                    Command.create(
                        {
                            "partner_id": duplicate_mo.id,
                            "contribution": "Dolmetschen",
                            "contact_id": spokesperson.id,
                        }
                    ),
                ],
            }
        )
        self.assertEqual(len(cooperation.member_ids), 3)

        self.merge(duplicate_mo, self.mo, dst=self.mo)

        members = cooperation.member_ids
        self.assertEqual(members.partner_id, self.administration | self.mo)
        member = members.filtered(lambda m: m.partner_id == self.mo)
        self.assertEqual(member.contribution, "Dolmetschen\n\nRäume")
        self.assertEqual(member.contact_id, spokesperson, "the member with a contact is kept")
        self.assertEqual(spokesperson.parent_id, self.mo)
        self.assertIn("Test MO Brücke (Dublette)", self.chatter(cooperation))
