"""The addon over RPC on a real server process: what an integration would use."""

import uuid
import xmlrpc.client

import pytest


def xmlid(rpc, full_id):
    module, name = full_id.split(".")
    rows = rpc(
        "ir.model.data",
        "search_read",
        [[("module", "=", module), ("name", "=", name)]],
        fields=["res_id"],
    )
    return rows[0]["res_id"]


def test_rpc_user_works_with_organizations(live_server):
    admin = live_server.rpc()
    login = f"ki_rpc_{uuid.uuid4().hex[:8]}"
    group = xmlid(admin, "kommune_interkulturell.group_kommune_user")
    admin(
        "res.users",
        "create",
        [{"name": "RPC Staff", "login": login, "password": login, "group_ids": [(6, 0, [group])]}],
    )
    staff = live_server.rpc(login, login)
    neukoelln = staff("kommune.district", "search", [[("name", "=", "Neukölln")]])
    mo_type = xmlid(admin, "kommune_interkulturell.organization_type_mo")
    org_id = staff(
        "res.partner",
        "create",
        [
            {
                "name": f"RPC MO {login}",
                "is_company": True,
                "organization_type_id": mo_type,
                "district_id": neukoelln[0],
            }
        ],
    )
    found = staff(
        "res.partner",
        "search_read",
        [
            [
                ("district_id", "=", neukoelln[0]),
                ("organization_category", "=", "migrant_organization"),
            ]
        ],
        fields=["name"],
    )
    assert org_id in [row["id"] for row in found]
    # Configuration stays with managers, also over RPC: the answer is an access error
    # that names the Manager group.
    with pytest.raises(xmlrpc.client.Fault) as fault:
        staff("kommune.district", "create", [{"name": f"RPC District {login}"}])
    assert "kommune.district" in fault.value.faultString
    assert "Kommune Interkulturell/Manager" in fault.value.faultString


def _new_user(admin, login, groups, company=None):
    values = {"name": login, "login": login, "password": login, "group_ids": [(6, 0, groups)]}
    if company:
        values.update(company_id=company, company_ids=[(6, 0, [company])])
    admin("res.users", "create", [values])


def test_rpc_calendar_shows_people_only_to_project_users_of_company(live_server):
    """Training sessions and cooperation meetings are calendar events: over RPC, an
    employee without the project's groups and a project user of another company find
    neither them nor their attendees; a project user of the company does. Calendar's
    ordinary events stay readable by every employee."""
    from .conftest import open_training

    admin = live_server.rpc()
    suffix = uuid.uuid4().hex[:8]
    project_group = xmlid(admin, "kommune_interkulturell.group_kommune_user")
    employee_group = xmlid(admin, "base.group_user")
    other_company = admin("res.company", "create", [{"name": f"Anderes Projekt {suffix}"}])
    _new_user(admin, f"ki_staff_{suffix}", [project_group])
    _new_user(admin, f"ki_employee_{suffix}", [employee_group])
    _new_user(admin, f"ki_other_{suffix}", [project_group], company=other_company)

    training = open_training(admin, f"RPC Kalender {suffix}", seats=5)
    participant = admin("res.partner", "create", [{"name": f"RPC Teilnehmerin {suffix}"}])
    admin(
        "kommune.training.registration",
        "create",
        [
            {
                "training_id": training,
                "partner_id": participant,
                "consent": True,
                "state": "confirmed",
            }
        ],
    )
    session_events = [
        row["calendar_event_id"][0]
        for row in admin(
            "kommune.training.session",
            "search_read",
            [[("training_id", "=", training)]],
            fields=["calendar_event_id"],
        )
    ]
    cooperation = admin("kommune.cooperation", "create", [{"name": f"RPC Kooperation {suffix}"}])
    meeting = admin(
        "calendar.event",
        "create",
        [
            {
                "name": f"RPC Treffen {suffix}",
                "cooperation_id": cooperation,
                "start": "2031-02-02 09:00:00",
                "stop": "2031-02-02 10:00:00",
                "partner_ids": [(6, 0, [participant])],
                "cooperation_minutes": "<p>Vertraulich</p>",
            }
        ],
    )
    ordinary = admin(
        "calendar.event",
        "create",
        [
            {
                "name": f"RPC Teamrunde {suffix}",
                "start": "2031-02-03 09:00:00",
                "stop": "2031-02-03 10:00:00",
                "partner_ids": [(6, 0, [participant])],
            }
        ],
    )
    events = [*session_events, meeting]
    for event in events:
        attendees = admin("calendar.event", "read", [[event]], fields=["partner_ids"])
        assert participant in attendees[0]["partner_ids"]

    for login in (f"ki_employee_{suffix}", f"ki_other_{suffix}"):
        user = live_server.rpc(login, login)
        assert user("calendar.event", "search", [[("id", "in", events)]]) == [], login
        assert user("calendar.event", "search", [[("partner_ids", "in", [participant])]]) == [
            ordinary
        ], login
        assert user("calendar.attendee", "search_read", [[("event_id", "in", events)]]) == []
        for event in events:
            with pytest.raises(xmlrpc.client.Fault) as fault:
                user("calendar.event", "read", [[event]], fields=["partner_ids"])
            assert "calendar.event" in fault.value.faultString, fault.value.faultString
        partner = user("res.partner", "read", [[participant]], fields=["meeting_count"])
        assert partner[0]["meeting_count"] == 1, login  # the ordinary event only
        # Calendar's ordinary events are unchanged: every employee reads them whole.
        row = user("calendar.event", "read", [[ordinary]], fields=["partner_ids"])
        assert row[0]["partner_ids"] == [participant]

    staff = live_server.rpc(f"ki_staff_{suffix}", f"ki_staff_{suffix}")
    assert sorted(staff("calendar.event", "search", [[("id", "in", events)]])) == sorted(events)
    rows = staff(
        "calendar.attendee", "search_read", [[("event_id", "=", meeting)]], fields=["partner_id"]
    )
    assert [row["partner_id"][0] for row in rows] == [participant]
    minutes = staff("calendar.event", "read", [[meeting]], fields=["cooperation_minutes"])
    assert "Vertraulich" in minutes[0]["cooperation_minutes"]
    employee = live_server.rpc(f"ki_employee_{suffix}", f"ki_employee_{suffix}")
    with pytest.raises(xmlrpc.client.Fault):
        employee("calendar.event", "search_read", [[]], fields=["cooperation_minutes"])
