from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_cooperation import CooperationCommon

CONFIG_MODELS = {
    "kommune.cooperation.stage": {"name": "Neue Stufe"},
    "kommune.cooperation.kind": {"name": "Neue Art"},
    "kommune.cooperation.close.reason": {"name": "Neuer Grund"},
}


@tagged("post_install", "-at_install")
class TestCooperationAccessRights(CooperationCommon):
    def test_user_does_the_daily_work(self):
        Cooperation = self.env["kommune.cooperation"].with_user(self.user)
        coop = Cooperation.create(
            {
                "name": "Von der Nutzerin",
                "member_ids": [Command.create({"partner_id": self.mo.id})],
                "tag_ids": [Command.create({"name": "Ausbildung"})],
            }
        )
        coop.write(
            {
                "stage_id": self.stage_first_meeting.id,
                "goals": "<p>Ziele</p>",
                "member_ids": [Command.create({"partner_id": self.administration.id})],
            }
        )
        coop.member_ids.filtered(lambda m: m.partner_id == self.mo).unlink()
        self.assertEqual(coop.partner_ids, self.administration)
        meeting = (
            self.env["calendar.event"]
            .with_user(self.user)
            .create(
                {
                    "name": "Treffen",
                    "cooperation_id": coop.id,
                    "start": self._days_ago(1),
                    "stop": self._days_ago(1, 12),
                }
            )
        )
        meeting.write(
            {
                "cooperation_minutes": "<p>Protokoll</p>",
                "cooperation_action_item_ids": [
                    Command.create({"name": "Nachfassen", "user_id": self.user.id}),
                    Command.create({"name": "Flyer", "partner_id": self.admin_person.id}),
                ],
            }
        )
        meeting.cooperation_action_item_ids.filtered("partner_id").is_done = True
        coop.message_post(body="Telefonat", message_type="comment", subtype_xmlid="mail.mt_note")
        self.env["kommune.cooperation.close"].with_user(self.user).create(
            {"cooperation_ids": coop.ids, "close_reason_id": self.reason_no_capacity.id}
        ).action_apply()
        self.assertEqual(coop.stage_id, self.stage_paused)
        # Reading the configuration is part of the daily work.
        for model in CONFIG_MODELS:
            self.assertTrue(self.env[model].with_user(self.user).search([], limit=1))

    def test_user_cannot_delete_nor_configure(self):
        with self.assertRaises(AccessError):
            self.cooperation.with_user(self.user).unlink()
        for model, values in CONFIG_MODELS.items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.user)
                with self.assertRaises(AccessError):
                    Model.create(values)
                record = Model.search([], limit=1)
                with self.assertRaises(AccessError):
                    record.write({"name": "Umbenannt"})
                with self.assertRaises(AccessError):
                    record.unlink()
        tag = self.env["kommune.cooperation.tag"].create({"name": "Nur Leitung löscht"})
        with self.assertRaises(AccessError):
            tag.with_user(self.user).unlink()

    def test_manager_configures_and_deletes(self):
        for model, values in CONFIG_MODELS.items():
            with self.subTest(model=model):
                record = self.env[model].with_user(self.manager).create(values)
                record.write({"name": f"Umbenannt {model}"})
                record.unlink()
        self.cooperation.with_user(self.manager).unlink()
        self.assertFalse(self.cooperation.exists())

    def test_employee_without_group_has_no_access(self):
        employee = new_test_user(self.env, login="ki_co_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["kommune.cooperation"].with_user(employee).search([])
        # Their calendar and contacts keep working.
        meeting = (
            self.env["calendar.event"]
            .with_user(employee)
            .create(
                {
                    "name": "Eigener Termin",
                    "start": self._days_ago(1),
                    "stop": self._days_ago(1, 11),
                }
            )
        )
        meeting.unlink()
        [values] = self.mo.with_user(employee).read(["date_last_contact", "days_since_contact"])
        self.assertFalse(values["date_last_contact"])

    def test_other_company_cooperations_hidden(self):
        other_company = self.env["res.company"].create({"name": "Andere Gesellschaft"})
        other_user = new_test_user(
            self.env,
            login="ki_co_other_company",
            groups="kommune_interkulturell.group_kommune_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        theirs = (
            self.env["kommune.cooperation"]
            .with_user(other_user)
            .with_company(other_company)
            .create({"name": "Kooperation der anderen Gesellschaft"})
        )
        self.assertEqual(theirs.company_id, other_company)
        mine = self.env["kommune.cooperation"].with_user(self.user).search([])
        self.assertIn(self.cooperation, mine)
        self.assertNotIn(theirs, mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.user).read(["name"])
        self.assertFalse(
            self.env["kommune.cooperation.member"]
            .with_user(other_user)
            .search([("cooperation_id", "=", self.cooperation.id)])
        )

    def test_deleted_cooperation_leaves_no_meetings_for_everyone(self):
        # Its meetings name the members' contact persons: they go with the cooperation
        # instead of becoming plain events that every employee reads.
        employee = new_test_user(self.env, login="ki_co_employee_del", groups="base.group_user")
        meeting = self._create_meeting(self.cooperation, self._days_ago(3))
        Event = self.env["calendar.event"].with_user(employee)
        self.assertFalse(Event.search([("id", "=", meeting.id)]))
        self.cooperation.with_user(self.manager).unlink()
        self.assertFalse(Event.search([("id", "=", meeting.id)]))
