"""Installing without demo data and uninstalling, on a database of their own."""

import json

from .conftest import odoo_bin, odoo_shell

REPORT = """
import json
env.cr.commit()
Partner = env['res.partner'].with_context(active_test=False)
print('REPORT' + json.dumps({
    'state': env['ir.module.module'].search([('name', '=', 'kommune_interkulturell')]).state,
    'districts': env['kommune.district'].search_count([]) if 'kommune.district' in env else None,
    'demo_partners': env['ir.model.data'].search_count(
        [('module', '=', 'kommune_interkulturell'), ('model', '=', 'res.partner')]),
    'mine': Partner.search([('name', 'like', 'KI-Install-')]).mapped('name'),
}))
"""


def report(db):
    out = odoo_shell(db, REPORT)
    return json.loads(out.split("REPORT", 1)[1].splitlines()[0])


def test_install_without_demo_then_uninstall(scratch_db):
    odoo_bin(
        "-d", scratch_db, "-i", "kommune_interkulturell", "--stop-after-init", "--log-level=warn"
    )
    state = report(scratch_db)
    assert state["state"] == "installed"
    assert state["districts"] == 12
    assert state["demo_partners"] == 0

    odoo_shell(
        scratch_db,
        """
mo = env.ref('kommune_interkulturell.organization_type_mo')
org = env['res.partner'].create({'name': 'KI-Install-MO', 'is_company': True,
    'organization_type_id': mo.id,
    'district_id': env.ref('kommune_interkulturell.district_berlin_mitte').id})
env['res.partner'].create({'name': 'KI-Install-Person', 'parent_id': org.id,
    'network_role': 'volunteer'})
env.cr.commit()
""",
    )
    odoo_shell(
        scratch_db,
        """
module = env['ir.module.module'].search([('name', '=', 'kommune_interkulturell')])
module.button_immediate_uninstall()
env.cr.commit()
""",
    )
    state = report(scratch_db)
    assert state["state"] == "uninstalled"
    assert state["districts"] is None
    assert sorted(state["mine"]) == ["KI-Install-MO", "KI-Install-Person"]
