"""Cooperation pipeline with 2,000 cooperations: kanban, dialogue report, daily cron."""

from datetime import timedelta

from odoo import Command, fields

# What the kanban card reads: the same spec as the query-count test guards.
from odoo.addons.kommune_interkulturell.tests.test_cooperation_performance import KANBAN_SPEC


def bench(env, measure):
    districts = env["kommune.district"].search([])
    kinds = env["kommune.cooperation.kind"].search([])
    stages = env["kommune.cooperation.stage"].search([])
    types = env["kommune.organization.type"].search([])
    orgs = env["res.partner"].create(
        [
            {
                "name": f"Bench Organisation {i}",
                "is_company": True,
                "organization_type_id": types[i % len(types)].id,
                "district_id": districts[i % len(districts)].id,
            }
            for i in range(300)
        ]
    )
    now = fields.Datetime.now()
    cooperations = env["kommune.cooperation"].create(
        [
            {
                "name": f"Bench Kooperation {i}",
                "kind_id": kinds[i % len(kinds)].id,
                "stage_id": stages[i % len(stages)].id,
                "district_id": districts[i % len(districts)].id,
                "date_start": fields.Date.today() - timedelta(days=i % 200),
                "member_ids": [
                    Command.create({"partner_id": orgs[i % 300].id}),
                    Command.create({"partner_id": orgs[(i + 7) % 300].id}),
                    Command.create({"partner_id": orgs[(i + 13) % 300].id}),
                ],
            }
            for i in range(2000)
        ]
    )
    env["calendar.event"].with_context(no_mail_to_attendees=True).create(
        [
            {
                "name": f"Bench Treffen {i}",
                "cooperation_id": coop.id,
                "start": now + timedelta(days=(i % 120) - 90),
                "stop": now + timedelta(days=(i % 120) - 90, hours=2),
            }
            for i, coop in enumerate(cooperations[::2])
        ]
    )
    env.flush_all()

    user = env.ref("base.user_admin")
    Cooperation = env["kommune.cooperation"].with_user(user).with_context(read_group_expand=True)
    domain = [("id", "in", cooperations.ids)]
    with measure("cooperation kanban: web_read_group by stage, 80 cards a column") as run:
        run(
            lambda: Cooperation.web_read_group(
                domain, ["stage_id"], auto_unfold=True, unfold_read_specification=KANBAN_SPEC
            )
        )
    with measure("cooperation cards: web_search_read, all 2,000") as run:
        run(lambda: Cooperation.web_search_read(domain, KANBAN_SPEC))
    with measure("cooperations by district and stage: formatted_read_group") as run:
        run(
            lambda: Cooperation.formatted_read_group(
                domain, ["district_id", "stage_id"], ["__count"]
            )
        )
    with measure("filter 'Dialogue Overdue': search_count") as run:
        run(lambda: Cooperation.search_count(domain + [("is_dialogue_overdue", "=", True)]))
    Member = env["kommune.cooperation.member"].with_user(user)
    with measure("dialogue pivot: members by district and type category") as run:
        run(
            lambda: Member.formatted_read_group(
                [("cooperation_id", "in", cooperations.ids), ("stage_id.fold", "=", False)],
                ["district_id", "organization_category"],
                ["partner_id:count_distinct", "cooperation_id:count_distinct"],
            )
        )
    Cron = env["kommune.cooperation"]
    overdue = Cron.search_count([("is_dialogue_overdue", "=", True)])
    with measure(f"dialogue cron, first run: {overdue} reminders", repeat=1) as run:
        run(Cron._cron_dialogue_followup)
    with measure("dialogue cron, next day: refresh only, no new reminder") as run:
        run(Cron._cron_dialogue_followup)
