import re
from datetime import datetime, timedelta

from odoo import Command
from odoo.addons.kommune_interkulturell_portal.controllers.organization import PROPOSALS_PER_HOUR
from odoo.tests import tagged

from .common_portal import PortalCommon
from .test_portal_participant import CSRF_RE


class PortalOrganizationCommon(PortalCommon):
    """A cooperation of the first organisation with a meeting ahead and a task for its
    contact person, and one of the second organisation alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.cooperation = env["kommune.cooperation"].create(
            {
                "name": "Portal Kooperation Wedding",
                "kind_id": env.ref("kommune_interkulturell.cooperation_kind_agreement").id,
                "user_id": cls.staff.id,
                "next_steps": "<p>Flyer in three languages</p>",
                "member_ids": [
                    Command.create(
                        {"partner_id": cls.mo_a.id, "contact_id": cls.contact_a.partner_id.id}
                    ),
                ],
            }
        )
        cls.cooperation_b = env["kommune.cooperation"].create(
            {
                "name": "Portal Kooperation Baobab allein",
                "kind_id": env.ref("kommune_interkulturell.cooperation_kind_agreement").id,
                "member_ids": [Command.create({"partner_id": cls.mo_b.id})],
            }
        )
        start = datetime.now() + timedelta(days=10)
        cls.meeting = env["calendar.event"].create(
            {
                "name": "Portal Treffen",
                "cooperation_id": cls.cooperation.id,
                "start": start,
                "stop": start + timedelta(hours=2),
                "cooperation_action_item_ids": [
                    Command.create(
                        {"name": "Portal Räume anfragen", "partner_id": cls.contact_a.partner_id.id}
                    ),
                    Command.create({"name": "Portal Protokoll", "user_id": cls.staff.id}),
                ],
            }
        )
        cls.item = cls.meeting.cooperation_action_item_ids.filtered("partner_id")
        cls.purpose = env["kommune.consent.purpose"]._get_by_code("organization_portal")


@tagged("post_install", "-at_install")
class TestPortalOrganization(PortalOrganizationCommon):
    """The organisation's page for its contact persons: its people's trainings, named
    only with their consent, its cooperations, their tasks (mark done) and proposals to
    the profile; never another organisation's."""

    def test_only_contact_persons_see_the_page(self):
        self.login(self.user_a)
        response = self.url_open("/my/kommune/organization", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("organization", response.headers["Location"])

    def test_people_named_only_with_their_consent(self):
        self.env["kommune.consent"].create(
            {"partner_id": self.user_a2.partner_id.id, "purpose_id": self.purpose.id}
        )
        self.login(self.contact_a)
        page = self.url_open("/my/kommune/organization")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.text.count("o_kommune_portal_person_row"), 2, "A's two people")
        self.assertIn("Arif Colleague", page.text, "agreed to be shown")
        self.assertNotIn("Aylin", page.text, "did not agree")
        self.assertIn("Name not shared", page.text)
        self.assertNotIn("Bintou", page.text, "another organisation's person")

    def test_withdrawn_consent_hides_the_name_again(self):
        consent = self.env["kommune.consent"].create(
            {"partner_id": self.user_a2.partner_id.id, "purpose_id": self.purpose.id}
        )
        consent.action_withdraw()
        self.login(self.contact_a)
        self.assertNotIn("Arif", self.url_open("/my/kommune/organization").text)

    def test_cooperations_next_meeting_steps_and_tasks(self):
        self.login(self.contact_a)
        page = self.url_open("/my/kommune/organization")
        self.assertIn("Portal Kooperation Wedding", page.text)
        self.assertIn("Flyer in three languages", page.text)
        self.assertIn("Next meeting", page.text)
        self.assertIn("Portal Räume anfragen", page.text)
        self.assertNotIn("Portal Protokoll", page.text, "staff's own item")
        self.assertNotIn("Baobab allein", page.text, "not a member")

    def test_next_meeting_in_berlin_time(self):
        # A contact person without a time zone of their own sees the meeting's time as
        # it is in Berlin, not in UTC (an hour off in winter, two in summer).
        self.contact_a.tz = False
        start = datetime(datetime.now().year + 1, 1, 15, 9, 0)  # 10:00 in Berlin
        self.meeting.write({"start": start, "stop": start + timedelta(hours=2)})
        self.login(self.contact_a)
        page = self.url_open("/my/kommune/organization").text
        line = re.search(r"Next meeting:(.*?)</p>", page, re.S).group(1)
        self.assertIn("10:00", line)
        self.assertNotIn("09:00", line)

    def test_mark_own_task_done(self):
        self.login(self.contact_a)
        token = CSRF_RE.search(self.url_open("/my/kommune/organization").text).group(1)
        self.url_open(
            f"/my/kommune/organization/items/{self.item.id}/done", data={"csrf_token": token}
        )
        self.env.invalidate_all()
        self.assertTrue(self.item.is_done)

    def test_other_organisation_cannot_touch_the_task(self):
        self.login(self.contact_b)
        page = self.url_open("/my/kommune/organization")
        self.assertNotIn("Portal Räume anfragen", page.text)
        self.assertNotIn("Portal Kooperation Wedding", page.text)
        self.assertNotIn("Aylin", page.text)
        self.assertNotIn("Arif", page.text)
        token = CSRF_RE.search(page.text).group(1)
        self.url_open(
            f"/my/kommune/organization/items/{self.item.id}/done", data={"csrf_token": token}
        )
        self.env.invalidate_all()
        self.assertFalse(self.item.is_done)

    def test_proposal_is_a_note_for_staff(self):
        self.login(self.contact_a)
        token = CSRF_RE.search(self.url_open("/my/kommune/organization").text).group(1)
        self.url_open(
            "/my/kommune/organization/propose",
            data={"csrf_token": token, "city": "Berlin-Wedding", "languages": "Türkçe, Kurdî"},
        )
        note = self.mo_a.message_ids.filtered(lambda m: "Berlin-Wedding" in (m.body or ""))
        self.assertEqual(note.author_id, self.contact_a.partner_id)
        self.assertTrue(note.subtype_id.internal, "a note: staff only")
        self.assertIn("Kurdî", note.body)
        self.assertNotEqual(self.mo_a.city, "Berlin-Wedding", "staff decide")
        # The profile of another organisation is out of reach.
        self.assertFalse(
            self.mo_b.message_ids.filtered(lambda m: "Berlin-Wedding" in (m.body or ""))
        )

    def test_proposal_is_no_dialogue_and_limited(self):
        """A proposal is the contact person's, not a contact by staff: it leaves the
        organisation's "last contact" (and its dialogue reminders) alone. And a script in
        a contact person's session does not fill the staff's chatter."""
        before = self.mo_a.date_last_contact
        self.login(self.contact_a)
        token = CSRF_RE.search(self.url_open("/my/kommune/organization").text).group(1)
        statuses = [
            self.url_open(
                "/my/kommune/organization/propose",
                data={"csrf_token": token, "city": f"Berlin-Wedding {attempt}"},
                allow_redirects=False,
            ).status_code
            for attempt in range(PROPOSALS_PER_HOUR + 1)
        ]
        self.assertEqual(statuses, [303] * PROPOSALS_PER_HOUR + [429])
        self.env.invalidate_all()
        proposals = self.mo_a.message_ids.filtered(lambda m: "Berlin-Wedding" in (m.body or ""))
        self.assertEqual(len(proposals), PROPOSALS_PER_HOUR)
        self.assertEqual(self.mo_a.date_last_contact, before, "no contact with the organisation")
