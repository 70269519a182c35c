from datetime import datetime, timedelta

from odoo import Command, fields

from .common import KommuneCommon


class CooperationCommon(KommuneCommon):
    """The small network of KommuneCommon plus a labour-market actor, people in each
    organisation and one cooperation between them (never the demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.stage_contact = env.ref("kommune_interkulturell.cooperation_stage_contact")
        cls.stage_first_meeting = env.ref("kommune_interkulturell.cooperation_stage_first_meeting")
        cls.stage_agreement = env.ref("kommune_interkulturell.cooperation_stage_agreement")
        cls.stage_active = env.ref("kommune_interkulturell.cooperation_stage_active")
        cls.stage_consolidated = env.ref("kommune_interkulturell.cooperation_stage_consolidated")
        cls.stage_paused = env.ref("kommune_interkulturell.cooperation_stage_paused")
        # 60 days of dialogue interval
        cls.kind_agreement = env.ref("kommune_interkulturell.cooperation_kind_agreement")
        cls.kind_round_table = env.ref("kommune_interkulturell.cooperation_kind_round_table")
        cls.reason_funding = env.ref(
            "kommune_interkulturell.cooperation_close_reason_funding_ended"
        )
        cls.reason_no_capacity = env.ref(
            "kommune_interkulturell.cooperation_close_reason_no_capacity"
        )

        Partner = env["res.partner"]
        cls.labour_actor = Partner.create(
            {
                "name": "Test Unternehmensverbund Mitte",
                "is_company": True,
                "organization_type_id": cls.type_business.id,
                "district_id": cls.district_mitte.id,
            }
        )
        cls.admin_person = Partner.create(
            {
                "name": "Test Petra Verwaltung",
                "parent_id": cls.administration.id,
                "network_role": "administration",
                "email": "petra@test-ba.example.org",
            }
        )
        cls.mo_manager = Partner.create(
            {
                "name": "Test Leitung MO",
                "parent_id": cls.mo.id,
                "network_role": "management",
                "email": "leitung@test-mo.example.org",
            }
        )
        cls.cooperation = env["kommune.cooperation"].create(
            {
                "name": "Test Kooperation Spandau",
                "kind_id": cls.kind_agreement.id,
                "user_id": cls.user.id,
                "member_ids": [
                    Command.create({"partner_id": cls.administration.id}),
                    Command.create({"partner_id": cls.mo.id}),
                ],
            }
        )

    @classmethod
    def _create_cooperation(cls, name, **values):
        return cls.env["kommune.cooperation"].create(
            {"name": name, "kind_id": cls.kind_agreement.id, "user_id": cls.user.id, **values}
        )

    @classmethod
    def _create_meeting(cls, cooperation, start, hours=2, **values):
        """A meeting of ``cooperation`` starting at ``start`` (a datetime)."""
        return cls.env["calendar.event"].create(
            {
                "name": f"Treffen {cooperation.name}",
                "cooperation_id": cooperation.id,
                "start": start,
                "stop": start + timedelta(hours=hours),
                "partner_ids": [Command.set(cooperation._get_meeting_partners().ids)],
                **values,
            }
        )

    @staticmethod
    def _days_ago(days, hour=10):
        today = fields.Date.today()
        return datetime.combine(today - timedelta(days=days), datetime.min.time()).replace(
            hour=hour
        )
