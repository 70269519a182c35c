"""Invitation campaigns over 5,000 persons in 250 organisations.

The Invite wizard's audience, campaign creation, recipients, opt-outs, personal links.
"""

from datetime import datetime, timedelta


def bench(env, measure):
    # Bench data sends nothing: registrations without mails, sessions without invitations.
    env = env(context={"kommune_training_no_mail": True, "no_mail_to_attendees": True})
    user = env["res.users"].create(
        {
            "name": "Bench Campaigner",
            "login": "ki_bench_campaigns",
            "email": "campaigner@bench.example.org",
            "group_ids": [(6, 0, [env.ref("kommune_interkulturell.group_kommune_user").id])],
        }
    )
    for lang in ("de_DE", "en_US"):  # one mailing per language
        env["res.lang"]._activate_lang(lang)
    types = env["kommune.organization.type"].search([])
    districts = env["kommune.district"].search([])
    communities = env["kommune.community"].search([])
    organizations = env["res.partner"].create(
        [
            {
                "name": f"Bench Org {index}",
                "is_company": True,
                "organization_type_id": types[index % len(types)].id,
                "district_id": districts[index % len(districts)].id,
                "community_ids": [(6, 0, communities[index % len(communities)].ids)],
            }
            for index in range(250)
        ]
    )
    roles = ["fulltime", "volunteer", "management", "administration"]
    persons = env["res.partner"].create(
        [
            {
                "name": f"Bench Person {index}",
                "parent_id": organizations[index % 250].id,
                "email": f"bench.person.{index}@bench.example.org" if index % 20 else False,
                "network_role": roles[index % 4],
                "lang": "en_US" if index % 3 == 0 else "de_DE",
            }
            for index in range(5000)
        ]
    )
    persons[::50].write({"invitation_opt_out": True})  # 100 opted out
    # Nine in ten agreed to invitations (campaigns need it); the others are "without
    # consent" in the wizard.
    purpose = env.ref("kommune_interkulturell.consent_purpose_invitation")
    env["kommune.consent"].create(
        [
            {"partner_id": person.id, "purpose_id": purpose.id}
            for index, person in enumerate(persons)
            if index % 10
        ]
    )
    env["mail.blacklist"]._add("bench.person.7@bench.example.org")
    training = env["kommune.training"].create(
        {"name": "Bench Campaign Training", "seats_max": 0, "user_id": user.id}
    )
    start = datetime(2031, 5, 5, 8, 0)
    env["kommune.training.session"].create(
        {"training_id": training.id, "start": start, "stop": start + timedelta(hours=3)}
    )
    for person in persons[1:400:2]:  # 200 already registered
        training._register_participant(person, consent=True)
    env.flush_all()
    # Fresh statistics, as autovacuum keeps them in a database in use: without them the
    # planner guesses a few rows of partners and nests loops over 5,000.
    env.cr.execute(
        "ANALYZE res_partner, kommune_training_registration, mail_blacklist, kommune_consent"
    )

    Wizard = env["kommune.campaign.invite"].with_user(user)
    wide = Wizard.create({"training_id": training.id})
    narrow = Wizard.create(
        {
            "training_id": training.id,
            "category_migrant_organization": True,
            "role_volunteer": True,
            "district_ids": [(6, 0, districts[:4].ids)],
        }
    )

    def audience(wizard):
        wizard.invalidate_recordset()
        return (
            wizard.recipient_count,
            wizard.sample_partner_ids.mapped("name"),
            wizard.lang_summary,
            wizard.unreachable_organization_ids.mapped("name"),
            wizard.no_consent_count,
        )

    with measure(
        "Invite wizard: count, sample, languages, unreachable, no consent (whole network)"
    ) as run:
        run(lambda: audience(wide))
    with measure("Invite wizard: the same, MOs' volunteers in 4 districts") as run:
        run(lambda: audience(narrow))

    campaigns = []
    with measure("campaign: utm.campaign + one mailing per language (render texts)") as run:
        run(lambda: campaigns.append(wide._create_campaign()))
    mailings = campaigns[-1].mailing_mail_ids
    with measure(
        f"mailing recipients (_get_recipients) of {len(mailings)} sibling mailings"
    ) as run:
        run(lambda: [len(mailing._get_recipients()) for mailing in mailings])
    with measure("opt-out list for a mailing (_mailing_get_opt_out_list)") as run:
        run(lambda: env["res.partner"]._mailing_get_opt_out_list(mailings[0]))

    Training = env["kommune.training"]
    sample = persons[:1000]

    def tokens():
        for person in sample:
            token = training._get_invitation_token(person, mailings[0])
            assert Training._get_invitation_from_token(token)[1] == person

    with measure("1,000 personal links signed and verified", repeat=3) as run:
        run(tokens)
