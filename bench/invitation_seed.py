"""The audience of the invitation benchmarks (a helper, not a benchmark: run.py runs
bench_*.py only)."""

from datetime import datetime, timedelta


def seed_invited_persons(env, label, persons_count):
    """An open training with one session, and a migrant organisation with
    ``persons_count`` persons who consented to invitations: ``(organization, persons,
    training)``, named after ``label``."""
    organization = env["res.partner"].create(
        {
            "name": f"Bench {label} MO",
            "is_company": True,
            "organization_type_id": env.ref("kommune_interkulturell.organization_type_mo").id,
        }
    )
    persons = env["res.partner"].create(
        [
            {
                "name": f"Bench {label} Person {index}",
                "parent_id": organization.id,
                "email": f"bench.{label.lower()}.{index}@bench.example.org",
                "lang": "de_DE",
            }
            for index in range(persons_count)
        ]
    )
    purpose = env.ref("kommune_interkulturell.consent_purpose_invitation")
    env["kommune.consent"].create(
        [{"partner_id": person.id, "purpose_id": purpose.id} for person in persons]
    )
    training = env["kommune.training"].create(
        {
            "name": f"Bench {label} Schulung",
            "seats_max": 0,
            "stage_id": env.ref("kommune_interkulturell.training_stage_open").id,
        }
    )
    start = datetime(2031, 5, 5, 8, 0)
    env["kommune.training.session"].create(
        {"training_id": training.id, "start": start, "stop": start + timedelta(hours=3)}
    )
    return organization, persons, training
