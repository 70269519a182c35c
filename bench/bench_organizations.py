"""Organisations kanban and group-by with 1,000 organisations and 3,000 persons."""


def bench(env, measure):
    districts = env["kommune.district"].search([])
    types = env["kommune.organization.type"].search([])
    orgs = env["res.partner"].create(
        [
            {
                "name": f"Bench MO {i}",
                "is_company": True,
                "organization_type_id": types[i % len(types)].id,
                "district_id": districts[i % len(districts)].id,
                "active_district_ids": [(6, 0, districts[(i + 1) % len(districts)].ids)],
            }
            for i in range(1000)
        ]
    )
    env["res.partner"].create(
        [{"name": f"Bench Person {i}", "parent_id": orgs[i % 1000].id} for i in range(3000)]
    )
    env.flush_all()
    spec = {
        "complete_name": {},
        "organization_type_id": {"fields": {"display_name": {}}},
        "district_id": {"fields": {"display_name": {}}},
        "email": {},
        "community_ids": {"fields": {"display_name": {}, "color": {}}},
        "served_language_ids": {"fields": {"display_name": {}, "color": {}}},
        "avatar_128": {},
    }
    domain = [("is_company", "=", True), ("organization_type_id", "!=", False)]
    Partner = env["res.partner"]
    with measure("organisations kanban: web_search_read, 80 cards") as run:
        run(lambda: Partner.web_search_read(domain, spec, limit=80))
    with measure("organisations grouped by district: formatted_read_group") as run:
        run(lambda: Partner.formatted_read_group(domain, ["district_id"], ["__count"]))
