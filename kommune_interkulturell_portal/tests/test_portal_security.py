from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common_portal import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalSecurity(PortalCommon):
    """What a portal user reads over RPC, the web client's own channel: the pages are
    one way in, the JSON-RPC of the same session another one."""

    def test_participant_reads_own_registration_only(self):
        self.login(self.user_a)
        found = self.rpc(
            "kommune.training.registration", "search_read", [], fields=["partner_id", "state"]
        )
        self.assertEqual([row["id"] for row in found], self.reg_a.ids)
        # Neither the colleague's nor the other organisation's, even by id.
        for registration in self.reg_a2 | self.reg_b:
            self.assertRpcDenied(
                "kommune.training.registration", "read", registration.ids, ["state"]
            )

    def test_participant_cannot_change_registration(self):
        self.login(self.user_a)
        self.assertRpcDenied(
            "kommune.training.registration", "write", self.reg_a.ids, {"state": "attended"}
        )
        self.assertRpcDenied(
            "kommune.training.registration",
            "create",
            {"training_id": self.training.id, "partner_id": self.user_a.partner_id.id},
        )
        self.assertEqual(self.reg_a.state, "confirmed")

    def test_participant_reads_own_consents_only(self):
        self.login(self.user_a)
        found = self.rpc("kommune.consent", "search_read", [], fields=["partner_id"])
        self.assertTrue(found)
        self.assertEqual({row["partner_id"][0] for row in found}, {self.user_a.partner_id.id})
        self.assertRpcDenied("kommune.consent", "read", self.reg_b.consent_id.ids, ["purpose_id"])
        self.assertRpcDenied(
            "kommune.consent", "write", self.reg_a.consent_id.ids, {"date_withdrawn": False}
        )

    def test_colleague_is_invisible(self):
        """Decision: a portal user reads their own contact and organisations, never a
        colleague's contact or user (Odoo alone would show every contact of the
        organisation)."""
        self.login(self.user_a)
        found = self.rpc("res.partner", "search_read", [], fields=["name", "email"])
        self.assertEqual({row["id"] for row in found}, {self.user_a.partner_id.id, self.mo_a.id})
        for person in (self.user_a2.partner_id, self.contact_a.partner_id):
            self.assertRpcDenied("res.partner", "read", person.ids, ["name", "email"])
        found = self.rpc("res.users", "search_read", [], fields=["name", "login"])
        self.assertEqual([row["id"] for row in found], self.user_a.ids)
        self.assertRpcDenied("res.users", "read", self.user_a2.ids, ["name", "login"])
        # Reading the organisation's people through its own record shows nobody else.
        organization = self.rpc("res.partner", "read", self.mo_a.ids, ["child_ids"])
        self.assertEqual(organization[0]["child_ids"], self.user_a.partner_id.ids)

    def test_other_organisation_is_invisible(self):
        """A person of one organisation never sees another organisation's people, not
        even its contact person."""
        for user in (self.user_a, self.contact_a):
            self.login(user)
            found = self.rpc(
                "res.partner",
                "search_read",
                [
                    (
                        "id",
                        "in",
                        (self.mo_b | self.user_b.partner_id | self.contact_b.partner_id).ids,
                    )
                ],
                fields=["name"],
            )
            self.assertFalse(found)
            self.assertRpcDenied("res.partner", "read", self.user_b.partner_id.ids, ["name"])
            self.assertRpcDenied("kommune.training.registration", "read", self.reg_b.ids, ["state"])

    def test_contact_person_reads_no_registration_of_colleagues_over_rpc(self):
        """The organisation's page names colleagues who agreed to it; over RPC the
        contact person reads no colleague's registration at all."""
        self.login(self.contact_a)
        found = self.rpc("kommune.training.registration", "search_read", [], fields=["id"])
        self.assertFalse(found)
        self.assertRpcDenied("kommune.training.registration", "read", self.reg_a.ids, ["state"])

    def test_no_access_to_staff_models(self):
        self.login(self.contact_a)
        for model in ("kommune.training", "kommune.cooperation", "kommune.privacy.log"):
            self.assertRpcDenied(model, "search_read", [], fields=["id"])

    def test_staff_still_read_everybody(self):
        """The narrowing concerns portal users only."""
        self.login(self.staff)
        found = self.rpc(
            "res.partner",
            "search_read",
            [("id", "in", (self.user_a2.partner_id | self.user_b.partner_id).ids)],
            fields=["name"],
        )
        self.assertEqual(len(found), 2)

    def test_organisation_chatter_and_notes_are_staff_only(self):
        """Decision: a portal user reads their organisation's (and any organisation's)
        name and address, never what staff keep about it: the mails and messages on its
        chatter (a colleague's incoming mail among them) and its notes."""
        for organization in self.mo_a | self.mo_b:
            organization.comment = "<p>Vorstand zerstritten, vertraulich</p>"
            organization.message_post(
                body="Bewerbung von Arif, vertraulich",
                message_type="email",
                subtype_xmlid="mail.mt_comment",
                author_id=self.user_a2.partner_id.id,
            )
        self.login(self.user_a)
        for organization in self.mo_a | self.mo_b:
            fetched = self.make_jsonrpc_request(
                "/mail/thread/messages",
                {"thread_model": "res.partner", "thread_id": organization.id},
            )
            # Only what the user may read anyway (their own messages elsewhere), never
            # the organisation's.
            shown = self.env["mail.message"].browse(fetched["messages"])
            self.assertFalse(
                shown.filtered_domain(
                    [("model", "=", "res.partner"), ("res_id", "=", organization.id)]
                )
            )
            self.assertNotIn("vertraulich", str(fetched["data"]))
            self.assertRpcDenied("res.partner", "read", organization.ids, ["comment"])
            # Over the contact's own field: refused, or empty.
            try:
                read = self.rpc("res.partner", "read", organization.ids, ["message_ids"])
            except JsonRpcException as refused:
                self.assertIn("AccessError", str(refused))
            else:
                self.assertFalse(read[0]["message_ids"])
        found = self.rpc(
            "mail.message", "search_read", [("model", "=", "res.partner")], fields=["body"]
        )
        self.assertFalse([row for row in found if "vertraulich" in (row["body"] or "")])
        # The organisation's name and address stay readable (its page shows them).
        self.assertEqual(
            self.rpc("res.partner", "read", self.mo_a.ids, ["name"])[0]["name"], self.mo_a.name
        )
