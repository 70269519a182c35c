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
