"""Side by side with Odoo's own apps, interleaved in one run: ratios and query counts.

Cooperation kanban (5,000 cooperations, 3 member organisations each, meetings on half)
against the crm.lead kanban (5,000 opportunities); training kanban and list (2,000
trainings, 2 sessions each, 20 registrations each) against event.event (2,000 events,
20 registrations each). Needs crm and event in the bench database (`make bench`
installs them there). A ratio below 1.0 means ours is faster. KI_BENCH_SCREENS=cooperation
(or training) runs and seeds only those screens, for repeated runs of one of them.
"""

import os
import time
from datetime import timedelta

from lxml import etree

from odoo import Command, fields

ROUNDS = 7
COOPERATIONS = 5000
TRAININGS = 2000
REGISTRATIONS_EACH = 20
SCREENS = set(os.environ.get("KI_BENCH_SCREENS", "cooperation,training").split(","))


def view_spec(env, model, view_type):
    """The specification the web client sends for the model's default view: every field
    of the arch, relational ones with their display name (and a tag's color)."""
    views = env[model].get_views([(False, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    fields_info = views["models"][model]["fields"]
    spec = {}
    for node in arch.iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        name = node.get("name")
        info = fields_info.get(name, {})
        if info.get("type") in ("many2one", "many2many", "one2many"):
            sub = {"display_name": {}}
            if "color_field" in (node.get("options") or ""):
                sub["color"] = {}
            spec[name] = {"fields": sub}
        else:
            spec[name] = {}
    return spec


def side_by_side(env, label, ours, theirs):
    """Run both ROUNDS times, alternating, and print the best times, ratio, queries."""
    best = {"ours": None, "theirs": None}
    queries = {}
    for _ in range(ROUNDS):
        for side, fn in (("ours", ours), ("theirs", theirs)):
            env.invalidate_all()
            before = env.cr.sql_log_count
            start = time.perf_counter()
            fn()
            elapsed = (time.perf_counter() - start) * 1000
            queries[side] = env.cr.sql_log_count - before
            best[side] = elapsed if best[side] is None else min(best[side], elapsed)
    ratio = best["ours"] / best["theirs"]
    print(
        f"  {label:<44} ours {best['ours']:7.1f} ms {queries['ours']:3d} q | "
        f"Odoo {best['theirs']:7.1f} ms {queries['theirs']:3d} q | ratio {ratio:4.2f}x"
    )
    return ratio


def seed_cooperations(env, orgs, user):
    districts = env["kommune.district"].search([])
    kinds = env["kommune.cooperation.kind"].search([])
    stages = env["kommune.cooperation.stage"].search([])
    now = fields.Datetime.now()
    cooperations = env["kommune.cooperation"].create(
        [
            {
                "name": f"Bench Kooperation {i}",
                "kind_id": kinds[i % len(kinds)].id,
                "stage_id": stages[i % len(stages)].id,
                "district_id": districts[i % len(districts)].id,
                "user_id": user.id,
                "date_start": fields.Date.today() - timedelta(days=i % 200),
                "member_ids": [
                    Command.create({"partner_id": orgs[(i + k * 7) % len(orgs)].id})
                    for k in range(3)
                ],
            }
            for i in range(COOPERATIONS)
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
    return cooperations


def seed_leads(env, orgs, user):
    stages = env["crm.stage"].search([])
    tags = env["crm.tag"].search([]) or env["crm.tag"].create(
        [{"name": f"Bench Tag {i}"} for i in range(5)]
    )
    return env["crm.lead"].create(
        [
            {
                "name": f"Bench Opportunity {i}",
                "type": "opportunity",
                "stage_id": stages[i % len(stages)].id,
                "partner_id": orgs[i % len(orgs)].id,
                "user_id": user.id,
                "expected_revenue": 1000 * (i % 50),
                "tag_ids": [Command.set(tags[: i % 3].ids)],
            }
            for i in range(COOPERATIONS)
        ]
    )


def seed_trainings(env, persons):
    stages = env["kommune.training.stage"].search([])
    start = fields.Datetime.now() + timedelta(days=30)
    trainings = env["kommune.training"].create(
        [
            {
                "name": f"Bench Schulung {i}",
                "seats_max": 0,
                "stage_id": stages[i % len(stages)].id,
                "session_ids": [
                    Command.create(
                        {
                            "start": start + timedelta(days=i % 300, weeks=week),
                            "stop": start + timedelta(days=i % 300, weeks=week, hours=3),
                        }
                    )
                    for week in range(2)
                ],
            }
            for i in range(TRAININGS)
        ]
    )
    # Rows written in bulk: the seat logic of each registration is not what is measured.
    rows = [
        {
            "training_id": training.id,
            "partner_id": persons[(index * REGISTRATIONS_EACH + k) % len(persons)].id,
            "state": "confirmed",
        }
        for index, training in enumerate(trainings)
        for k in range(REGISTRATIONS_EACH)
    ]
    env["kommune.training.registration"].create(rows)
    return trainings


def seed_events(env, persons):
    stages = env["event.stage"].search([])
    start = fields.Datetime.now() + timedelta(days=30)
    events = env["event.event"].create(
        [
            {
                "name": f"Bench Event {i}",
                "stage_id": stages[i % len(stages)].id,
                "date_begin": start + timedelta(days=i % 300),
                "date_end": start + timedelta(days=i % 300, weeks=1, hours=3),
            }
            for i in range(TRAININGS)
        ]
    )
    env["event.registration"].create(
        [
            {
                "event_id": event.id,
                "partner_id": persons[(index * REGISTRATIONS_EACH + k) % len(persons)].id,
                "state": "open",
            }
            for index, event in enumerate(events)
            for k in range(REGISTRATIONS_EACH)
        ]
    )
    return events


def bench(env, measure):
    if "crm.lead" not in env or "event.event" not in env:
        print("  crm and event are not installed in this database: run `make bench`")
        return
    env = env(
        context={
            "kommune_training_no_mail": True,
            "no_mail_to_attendees": True,
            "mail_create_nolog": True,
            "mail_notrack": True,
            "tracking_disable": True,
        }
    )
    user = env.ref("base.user_admin")
    types = env["kommune.organization.type"].search([])
    orgs = env["res.partner"].create(
        [
            {
                "name": f"Bench Organisation {i}",
                "is_company": True,
                "organization_type_id": types[i % len(types)].id,
            }
            for i in range(300)
        ]
    )
    persons = env["res.partner"].create(
        [
            {"name": f"Bench Person {i}", "email": f"bench.{i}@bench.example.org"}
            for i in range(4000)
        ]
    )
    seeding = time.perf_counter()
    if "cooperation" in SCREENS:
        cooperations = seed_cooperations(env, orgs, user)
        leads = seed_leads(env, orgs, user)
    if "training" in SCREENS:
        trainings = seed_trainings(env, persons)
        events = seed_events(env, persons)
    env.flush_all()
    print(f"  seeded in {time.perf_counter() - seeding:.0f} s")

    as_user = env(user=user, context={**env.context, "read_group_expand": True})
    Cooperation = as_user["kommune.cooperation"]
    Lead = as_user["crm.lead"]
    Training = as_user["kommune.training"]
    Event = as_user["event.event"]

    def kanban(model, domain):
        spec = view_spec(env, model._name, "kanban")
        return lambda: model.web_read_group(
            domain,
            ["stage_id"],
            auto_unfold=True,
            unfold_read_specification=spec,
            unfold_read_default_limit=80,
        )

    def listing(model, domain):
        spec = view_spec(env, model._name, "list")
        return lambda: model.web_search_read(domain, spec, limit=80)

    if "cooperation" in SCREENS:
        side_by_side(
            env,
            f"cooperation kanban vs crm.lead kanban ({COOPERATIONS:,})",
            kanban(Cooperation, [("id", "in", cooperations.ids)]),
            kanban(Lead, [("id", "in", leads.ids)]),
        )
    if "training" not in SCREENS:
        return
    side_by_side(
        env,
        f"training kanban vs event.event kanban ({TRAININGS:,})",
        kanban(Training, [("id", "in", trainings.ids)]),
        kanban(Event, [("id", "in", events.ids)]),
    )
    side_by_side(
        env,
        f"training list vs event.event list ({TRAININGS:,})",
        listing(Training, [("id", "in", trainings.ids)]),
        listing(Event, [("id", "in", events.ids)]),
    )
