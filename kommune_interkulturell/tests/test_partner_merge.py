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

    # ------------------------------------------------------------
    # Participant questionnaires
    # ------------------------------------------------------------

    def funding_periods(self):
        """The periods 2031 and 2032, the company's only ones (the demo's would
        overlap them)."""
        Period = self.env["kommune.funding.period"]
        Period.search([]).action_archive()
        return Period.create(
            [
                {"name": "Test Periode 2031", "date_start": "2031-01-01", "date_end": "2031-12-31"},
                {"name": "Test Periode 2032", "date_start": "2032-01-01", "date_end": "2032-12-31"},
            ]
        )

    def test_one_questionnaire_per_period(self):
        """Both duplicates answered the questionnaire of the same period: the more
        complete one (the first: one answer missing) is kept and takes the answers it
        lacks; disability and minority come over only with the consent they were given
        under."""
        period, other_period = self.funding_periods()
        Questionnaire = self.env["kommune.participant.questionnaire"]
        complete = Questionnaire.create(
            {
                "partner_id": self.person.id,
                "period_id": period.id,
                "first_name": "Test",
                "last_name": "Eins",
                "zip": "12043",
                "gender": "female",
                "employment_status": "employed",
                "age_group": "30_54",
                "education": "no_answer",
                "third_country_national": "yes",
            }
        )
        partial = Questionnaire.create(
            {
                "partner_id": self.duplicate.id,
                "period_id": period.id,
                "gender": "male",
                "foreign_background": "yes",
                "special_consent": True,
                "special_consent_date": "2031-02-03",
                "disability": "yes",
            }
        )
        elsewhere = Questionnaire.create(
            {"partner_id": self.duplicate.id, "period_id": other_period.id, "gender": "male"}
        )

        self.merge(self.duplicate, self.person, dst=self.person)

        self.assertFalse(partial.exists())
        self.assertEqual(
            Questionnaire.search([("partner_id", "=", self.person.id)]), complete | elsewhere
        )
        self.assertEqual(complete.gender, "female", "the answers kept are not overwritten")
        self.assertEqual(complete.foreign_background, "yes", "the answer it lacked")
        self.assertTrue(complete.is_complete)
        self.assertTrue(complete.special_consent, "the answer came with its consent")
        self.assertEqual(str(complete.special_consent_date), "2031-02-03")
        self.assertEqual(complete.disability, "yes")
        self.assertEqual(elsewhere.period_id, other_period)

    def test_questionnaire_special_categories_stay_with_their_consent(self):
        """The questionnaire kept has a consent of its own: the other's special
        categories, given under another consent, do not come over."""
        period, _other_period = self.funding_periods()
        Questionnaire = self.env["kommune.participant.questionnaire"]
        kept = Questionnaire.create(
            {
                "partner_id": self.person.id,
                "period_id": period.id,
                "gender": "female",
                "special_consent": True,
                "special_consent_date": "2031-03-01",
                "minority": "no",
            }
        )
        Questionnaire.create(
            {
                "partner_id": self.duplicate.id,
                "period_id": period.id,
                "special_consent": True,
                "special_consent_date": "2031-01-10",
                "disability": "yes",
            }
        )

        self.merge(self.duplicate, self.person, dst=self.person)

        self.assertEqual(Questionnaire.search([("partner_id", "=", self.person.id)]), kept)
        self.assertEqual(str(kept.special_consent_date), "2031-03-01")
        self.assertEqual(kept.minority, "no")
        self.assertFalse(kept.disability, "not given under this row's consent")

    def test_questionnaire_link_of_the_duplicate_ends(self):
        """A link sent to the duplicate's questionnaire was signed for that contact: it
        no longer opens after the merge, and the questionnaire, now the kept person's,
        no longer shows a link out with its date (staff send the person a new one). The
        kept person's own link keeps working."""
        period, other_period = self.funding_periods()
        Questionnaire = self.env["kommune.participant.questionnaire"]
        moved = Questionnaire.create({"partner_id": self.duplicate.id, "period_id": period.id})
        own = Questionnaire.create({"partner_id": self.person.id, "period_id": other_period.id})
        (moved | own)._send_self_fill_link()
        moved_token = moved._get_self_fill_token()
        own_token = own._get_self_fill_token()

        self.merge(self.duplicate, self.person, dst=self.person)

        self.env.invalidate_all()
        self.assertEqual(moved.partner_id, self.person)
        self.assertFalse(Questionnaire._get_from_self_fill_token(moved_token)[0])
        self.assertFalse(moved.self_fill_expiry, "no date of a link that does not open")
        self.assertFalse(moved.self_fill_state, "no link is out")
        self.assertEqual(Questionnaire._get_from_self_fill_token(own_token), (own, False))
