"""Trainings kanban, list and analysis with 2,000 trainings and 20,000 registrations."""

from datetime import datetime, timedelta

# What the kanban card reads: the same spec as the query-count test guards.
from odoo.addons.kommune_interkulturell.tests.test_training_performance import KANBAN_SPEC


def bench(env, measure):
    # Registrations of bench data send no mails and the sessions no invitations.
    env = env(context={"kommune_training_no_mail": True, "no_mail_to_attendees": True})
    user = env["res.users"].create(
        {
            "name": "Bench Trainer",
            "login": "ki_bench_trainings",
            "group_ids": [(6, 0, [env.ref("kommune_interkulturell.group_kommune_user").id])],
        }
    )
    stages = env["kommune.training.stage"].search([])
    topics = env["kommune.training.topic"].search([])
    districts = env["kommune.district"].search([])
    org = env["res.partner"].create(
        {
            "name": "Bench MO e.V.",
            "is_company": True,
            "organization_type_id": env.ref("kommune_interkulturell.organization_type_mo").id,
        }
    )
    persons = env["res.partner"].create(
        [{"name": f"Bench Participant {i}", "parent_id": org.id} for i in range(200)]
    )
    trainings = env["kommune.training"].create(
        [
            {
                "name": f"Bench Training {i}",
                "stage_id": stages[i % len(stages)].id,
                "topic_id": topics[i % len(topics)].id,
                "district_id": districts[i % len(districts)].id,
                "seats_max": 12,
                "user_id": user.id,
            }
            for i in range(2000)
        ]
    )
    start = datetime(2031, 1, 6, 8, 0)
    env["kommune.training.session"].create(
        [
            {
                "training_id": training.id,
                "start": start + timedelta(days=i),
                "stop": start + timedelta(days=i, hours=3),
            }
            for i, training in enumerate(trainings[:300])
        ]
    )
    env["kommune.training.registration"].create(
        [
            {
                "training_id": training.id,
                "partner_id": persons[(i * 10 + j) % 200].id,
                "state": "confirmed" if j < 10 else "waitlist",
                "consent": True,
            }
            for i, training in enumerate(trainings)
            for j in range(10)
        ]
    )
    env.flush_all()

    Training = env["kommune.training"].with_user(user)
    with measure("trainings kanban: web_read_group by stage, 80 cards per column") as run:
        run(
            lambda: Training.with_context(read_group_expand=True).web_read_group(
                [],
                ["stage_id"],
                ["__count"],
                auto_unfold=True,
                unfold_read_specification=KANBAN_SPEC,
                unfold_read_default_limit=80,
            )
        )
    with measure("trainings kanban: activity progress bars") as run:
        run(
            lambda: Training.read_progress_bar(
                [], "stage_id", {"field": "activity_state", "colors": {"planned": "success"}}
            )
        )
    with measure("trainings list: web_search_read, 80 rows") as run:
        run(lambda: Training.web_search_read([], KANBAN_SPEC, limit=80))

    Registration = env["kommune.training.registration"].with_user(user)
    with measure("registrations pivot: topic x status (20,000 registrations)") as run:
        run(lambda: Registration.formatted_read_group([], ["topic_id", "state"], ["__count"]))
    with measure("registrations graph: month of training start x organisation type") as run:
        run(
            lambda: Registration.formatted_read_group(
                [], ["training_date_begin:month", "organization_type_id"], ["__count"]
            )
        )

    counter = iter(range(1000))

    def register_twenty():
        training = env["kommune.training"].create(
            {"name": f"Bench Seats {next(counter)}", "seats_max": 15, "user_id": user.id}
        )
        for person in persons[:20]:
            training.with_user(user)._register_participant(person, consent=True)

    with measure("_register_participant: 20 people on a 15-seat training (lock, waitlist)") as run:
        run(register_twenty)
