from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import KommuneTourCase


@tagged("post_install", "-at_install")
class TestCooperationUi(KommuneTourCase):
    def test_cooperation_tour(self):
        """Open the cooperation kanban as a plain User working in German, see the
        overdue dialogue marked, drag the card to the next stage, open it and move it
        on in the form; both moves are tracked in the chatter. Then the Dialogue pivot,
        the meetings calendar and the graph by district open."""
        self.env["res.lang"]._activate_lang("de_DE")
        user = self.env["res.users"].create(
            {
                "name": "Tour Kooperation",
                "login": "ki_cooperation_tour",
                "password": "ki_cooperation_tour",
                "lang": "de_DE",
                "group_ids": [
                    Command.set([self.env.ref("kommune_interkulturell.group_kommune_user").id])
                ],
            }
        )
        mo = self.env["res.partner"].create(
            {
                "name": "Tour-MO Moabit e.V.",
                "is_company": True,
                "organization_type_id": self.env.ref(
                    "kommune_interkulturell.organization_type_mo"
                ).id,
                "district_id": self.env.ref("kommune_interkulturell.district_berlin_mitte").id,
            }
        )
        coop = self.env["kommune.cooperation"].create(
            {
                "name": "Tour-Kooperation Moabit",
                "kind_id": self.env.ref("kommune_interkulturell.cooperation_kind_agreement").id,
                "user_id": user.id,
                "district_id": self.env.ref("kommune_interkulturell.district_berlin_mitte").id,
                "date_start": fields.Date.today() - timedelta(days=100),
                "member_ids": [Command.create({"partner_id": mo.id})],
            }
        )
        self.assertTrue(coop.is_dialogue_overdue)
        self.start_tour("/odoo", "kommune_cooperation_tour", login="ki_cooperation_tour")
        self.assertEqual(
            coop.stage_id, self.env.ref("kommune_interkulturell.cooperation_stage_active")
        )
