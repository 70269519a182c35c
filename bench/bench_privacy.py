"""Subject access and erasure through Odoo's privacy lookup: 1,000 persons with
registrations, consents, campaign traces, personal links and clicks, among 20,000 other
messages and 20,000 other mailing traces."""

from odoo.addons.kommune_interkulturell.tests.test_privacy_lookup import CLICK_IP

PERSONS = int(__import__("os").environ.get("KI_BENCH_PERSONS", 1000))


def bench(env, measure):
    env = env(context={"kommune_training_no_mail": True, "tracking_disable": True})
    org = env["res.partner"].create(
        {
            "name": "Bench Datenschutz e.V.",
            "is_company": True,
            "organization_type_id": env.ref("kommune_interkulturell.organization_type_mo").id,
        }
    )
    persons = env["res.partner"].create(
        [
            {
                "name": f"Bench Person {i}",
                "email": f"bench.person{i}@bench-privacy.example.org",
                "parent_id": org.id,
            }
            for i in range(PERSONS)
        ]
    )
    others = env["res.partner"].create(
        [{"name": f"Bench Other {i}", "email": f"other{i}@example.org"} for i in range(200)]
    )
    training = env["kommune.training"].create({"name": "Bench Schulung Datenschutz"})
    env["kommune.training.registration"].create(
        [{"training_id": training.id, "partner_id": person.id} for person in persons]
    )
    purpose = env.ref("kommune_interkulturell.consent_purpose_invitation")
    env["kommune.consent"].create(
        [{"partner_id": person.id, "purpose_id": purpose.id} for person in persons]
    )
    mailing = env["mailing.mailing"].create(
        {
            "subject": "Bench Einladung",
            "mailing_model_id": env["ir.model"]._get_id("res.partner"),
            "training_id": training.id,
        }
    )
    traces = env["mailing.trace"].create(
        [
            {
                "mass_mailing_id": mailing.id,
                "model": "res.partner",
                "res_id": partner.id,
                "email": partner.email_normalized,
                "trace_status": "sent",
            }
            for partner in persons | others
            for _copy in range(20 if partner in others else 1)
        ]
    )
    links = env["link.tracker"].create(
        [
            {
                "url": training._get_invitation_url(person, mailing),
                "title": "Bench",
                "mass_mailing_id": mailing.id,
            }
            for person in persons
        ]
    )
    env["link.tracker.click"].create(
        [
            {"link_id": link.id, "ip": CLICK_IP, "mailing_trace_id": trace.id}
            for link, trace in zip(links, traces[:PERSONS], strict=True)
        ]
    )
    env["mail.message"].create(
        [
            {
                "model": "res.partner",
                "res_id": others[i % 200].id,
                "body": f"<p>Bench Notiz {i} über ein Treffen</p>",
                "message_type": "comment",
            }
            for i in range(20 * PERSONS)
        ]
        + [
            {
                "model": "res.partner",
                "res_id": org.id,
                "body": f"<p>Gespräch mit {person.name} ({person.email})</p>",
                "message_type": "comment",
            }
            for person in persons
        ]
    )
    env.flush_all()

    person = persons[0]
    with measure("lookup of 1 person (Odoo's query and the extension)") as run:
        run(lambda: env["privacy.lookup.wizard"]._kommune_lookup(person))
    with measure("lookup of 100 persons at once") as run:
        run(lambda: env["privacy.lookup.wizard"]._kommune_lookup(persons[1:101]))
    with measure("subject access: the records of 1 person") as run:
        run(lambda: env["kommune.privacy"]._get_personal_records(person))
    with measure("erasure of 10 persons", repeat=1) as run:
        run(lambda: env["kommune.privacy"]._anonymize(persons[101:111]))
    with measure("erasure of 100 persons (a retention batch)", repeat=1) as run:
        run(lambda: env["kommune.privacy"]._anonymize(persons[200:300]))
