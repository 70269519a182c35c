"""Install without demo data, upgrade and uninstall, on a database of their own.

One scratch database for the module: the app installed alone (without mass_mailing)
and filled with the network's data (organisations, persons, a training with sessions
and registrations, a cooperation with a meeting, consents); then mass_mailing installed,
which brings the bridge BRIDGE by itself, and an invitation campaign sent; then
upgraded, then uninstalled. The tests run in this order, each on what the previous one
left (pytest keeps the order of a file)."""

import json

import pytest
import requests

from .conftest import TEST_DB, LiveServer, odoo_bin, odoo_shell

MODULE = "kommune_interkulturell"
BRIDGE = "kommune_interkulturell_mass_mailing"

CREATE_DATA = """
from datetime import datetime, timedelta
from odoo import Command
env = env(context=dict(env.context, kommune_training_no_mail=True))
ref = env.ref
Partner = env['res.partner']
mo = Partner.create({'name': 'KI-Install-MO', 'is_company': True,
    'organization_type_id': ref('kommune_interkulturell.organization_type_mo').id,
    'district_id': ref('kommune_interkulturell.district_berlin_mitte').id})
ba = Partner.create({'name': 'KI-Install-BA', 'is_company': True,
    'organization_type_id': ref(
        'kommune_interkulturell.organization_type_administration_integration').id,
    'district_id': ref('kommune_interkulturell.district_berlin_spandau').id})
persons = Partner.create([{'name': f'KI-Install-Person {i}', 'parent_id': mo.id,
    'network_role': 'volunteer', 'email': f'person{i}@install.example.org'} for i in range(3)])
contact = Partner.create({'name': 'KI-Install-Contact', 'parent_id': ba.id,
    'network_role': 'administration'})
training = env['kommune.training'].create({'name': 'KI-Install-Training', 'seats_max': 2,
    'topic_id': ref('kommune_interkulturell.training_topic_fundraising').id,
    'trainer_ids': [Command.set(contact.ids)]})
start = datetime(2031, 4, 1, 8)
env['kommune.training.session'].create([{'training_id': training.id,
    'start': start + timedelta(days=7 * week),
    'stop': start + timedelta(days=7 * week, hours=3)} for week in range(2)])
for person in persons:
    training._register_participant(person, consent=True, note='KI-Install-Note')
training.session_ids[0].action_mark_all_present()
cooperation = env['kommune.cooperation'].create({'name': 'KI-Install-Cooperation',
    'member_ids': [Command.create({'partner_id': mo.id, 'contact_id': persons[0].id}),
                   Command.create({'partner_id': ba.id})]})
env['calendar.event'].create({'name': 'KI-Install-Meeting', 'cooperation_id': cooperation.id,
    'start': datetime(2025, 5, 5, 9), 'stop': datetime(2025, 5, 5, 10),
    'partner_ids': [Command.set((persons[0] | contact).ids)],
    'cooperation_minutes': '<p>KI-Install-Minutes</p>',
    'cooperation_action_item_ids': [Command.create({'name': 'KI-Install-Item',
                                                    'partner_id': contact.id})]})
invitation = ref('kommune_interkulturell.consent_purpose_invitation')
env['kommune.consent'].create({'partner_id': persons[0].id, 'purpose_id': invitation.id,
    'channel': 'paper', 'note': 'KI-Install-Consent-Note'})
env['kommune.consent'].create({'partner_id': persons[1].id, 'purpose_id': invitation.id,
    'channel': 'web'}).action_withdraw()
# What managers change in non-updatable data and settings survives upgrades.
ref('kommune_interkulturell.consent_purpose_photo').name = 'KI-Install-Fotos'
ref('kommune_interkulturell.training_stage_open').name = 'KI-Install-Offen'
env['ir.config_parameter'].set_param('kommune_interkulturell.training_reminder_days', '5')
env.company.kommune_invitation_basis = 'legitimate_interest'
env.cr.commit()
"""

# With the bridge: an invitation campaign, sent (the mails fail without a mail server:
# traces all the same).
CREATE_CAMPAIGN = """
env = env(context=dict(env.context, kommune_training_no_mail=True))
mo = env['res.partner'].search([('name', '=', 'KI-Install-MO')])
env.user.email = env.user.email or 'admin@install.example.org'
next_training = env['kommune.training'].create({'name': 'KI-Install-Training-2'})
campaign = next_training._create_invitation_campaign(
    [('parent_id', '=', mo.id)], title='KI-Install-Campaign')
campaign.mailing_mail_ids.action_send_mail()
env.cr.commit()
"""

MODULE_STATES = """
import json
print('STATES' + json.dumps(dict(
    env['ir.module.module'].search([('name', 'in', %r)]).mapped(lambda m: (m.name, m.state)))))
"""

SNAPSHOT = """
import json
def value(record, fname):
    value = record[fname]
    if hasattr(value, '_name'):
        return sorted(value.mapped('display_name'))
    return str(value)
def rows(model, domain, fnames):
    records = env[model].with_context(active_test=False).search(domain, order='id')
    return [[value(record, fname) for fname in fnames] for record in records]
ref = env.ref
print('SNAPSHOT' + json.dumps({
    'partners': rows('res.partner', [('name', 'like', 'KI-Install-')],
        ['name', 'email', 'parent_id', 'organization_type_id', 'district_id', 'network_role']),
    'trainings': rows('kommune.training', [('name', 'like', 'KI-Install-')],
        ['name', 'stage_id', 'seats_max', 'seats_taken', 'waiting_count', 'date_begin',
         'date_end', 'session_count', 'trainer_ids']),
    'sessions': rows('kommune.training.session', [('training_id.name', 'like', 'KI-Install-')],
        ['name', 'start', 'stop', 'partner_ids', 'calendar_event_id']),
    'registrations': rows('kommune.training.registration',
        [('training_id.name', 'like', 'KI-Install-')],
        ['partner_id', 'organization_id', 'state', 'consent', 'consent_date', 'consent_id',
         'note', 'attended_session_count']),
    'attendance': rows('kommune.training.attendance', [('training_id.name', 'like', 'KI-Install-')],
        ['session_id', 'partner_id', 'present']),
    'cooperations': rows('kommune.cooperation', [('name', 'like', 'KI-Install-')],
        ['name', 'stage_id', 'district_id', 'partner_ids', 'meeting_count']),
    'members': rows('kommune.cooperation.member', [('cooperation_id.name', 'like', 'KI-Install-')],
        ['partner_id', 'contact_id', 'role']),
    'meetings': rows('calendar.event',
        [('name', 'like', 'KI-Install-'), ('cooperation_id', '!=', False)],
        ['name', 'start', 'stop', 'partner_ids', 'res_model', 'cooperation_id']),
    'items': rows('kommune.cooperation.action.item', [('name', 'like', 'KI-Install-')],
        ['name', 'partner_id', 'event_id', 'is_done']),
    'consents': rows('kommune.consent', [('partner_id.name', 'like', 'KI-Install-')],
        ['partner_id', 'purpose_id', 'legal_basis', 'state', 'date_given', 'date_withdrawn',
         'channel', 'note', 'registration_id']),
    'mailings': rows('mailing.mailing', [('campaign_id.name', '=', 'KI-Install-Campaign')],
        ['subject', 'campaign_id', 'mailing_model_real', 'state']),
    'traces': rows('mailing.trace',
        [('mass_mailing_id.campaign_id.name', '=', 'KI-Install-Campaign')],
        ['mass_mailing_id', 'model', 'res_id', 'email', 'trace_status']),
    'purpose': ref('kommune_interkulturell.consent_purpose_photo').name,
    'stage': ref('kommune_interkulturell.training_stage_open').name,
    'reminder_days': env['ir.config_parameter'].get_param(
        'kommune_interkulturell.training_reminder_days'),
    'invitation_basis': env.company.kommune_invitation_basis,
}, default=str))
"""

# After the uninstall: what must be left (partners, calendar) and what must be gone.
AFTER_UNINSTALL = """
import json
cr = env.cr
def q(query, *args):
    cr.execute(query, args)
    return [list(row) for row in cr.fetchall()]
# Columns of core tables that no field describes any more: left behind by the addon.
orphan_columns = []
for model in ('res.partner', 'calendar.event', 'res.company', 'res.users'):
    table = env[model]._table
    described = {f.name for f in env['ir.model.fields'].search([('model', '=', model)])}
    columns = {c for (c,) in q("SELECT column_name FROM information_schema.columns "
                                "WHERE table_schema = 'public' AND table_name = %s", table)}
    orphan_columns += sorted(f'{table}.{c}' for c in columns - described)
print('AFTER' + json.dumps({
    'state': env['ir.module.module'].search([('name', '=', 'kommune_interkulturell')]).state,
    'partners': sorted(env['res.partner'].with_context(active_test=False).search(
        [('name', 'like', 'KI-Install-')]).mapped('name')),
    'events': sorted(
        [event.name, str(event.start), sorted(event.partner_ids.mapped('display_name')),
         event.res_model or None]
        for event in env['calendar.event'].with_context(active_test=False).search(
            [('name', 'like', 'KI-Install-')])),
    'mailings': [[m.subject, sorted(m.campaign_id.mapped('display_name')), m.mailing_model_real,
                  m.state] for m in env['mailing.mailing'].search(
                      [('campaign_id.name', '=', 'KI-Install-Campaign')], order='id')],
    'traces': [[sorted(t.mass_mailing_id.mapped('display_name')), t.model, str(t.res_id),
                t.email, t.trace_status] for t in env['mailing.trace'].search(
                    [('mass_mailing_id.campaign_id.name', '=', 'KI-Install-Campaign')],
                    order='id')],
    'tables': q("SELECT tablename FROM pg_tables WHERE tablename LIKE 'kommune%%'"),
    'orphan_columns': orphan_columns,
    'models': q("SELECT model FROM ir_model WHERE model LIKE 'kommune.%%'"),
    'fields': q("SELECT model, name FROM ir_model_fields WHERE model LIKE 'kommune.%%' "
                "OR relation LIKE 'kommune.%%' OR name LIKE 'kommune%%'"),
    'xmlids': q("SELECT count(*) FROM ir_model_data WHERE module LIKE 'kommune_interkulturell%%'"),
    'bridge_state': env['ir.module.module'].search(
        [('name', '=', 'kommune_interkulturell_mass_mailing')]).state,
    'documents': q("SELECT 'mail_message', count(*) FROM mail_message "
                   "WHERE model LIKE 'kommune.%%' "
                   "UNION ALL SELECT 'mail_followers', count(*) FROM mail_followers "
                   "WHERE res_model LIKE 'kommune.%%' "
                   "UNION ALL SELECT 'mail_activity', count(*) FROM mail_activity "
                   "WHERE res_model LIKE 'kommune.%%' "
                   "UNION ALL SELECT 'ir_attachment', count(*) FROM ir_attachment "
                   "WHERE res_model LIKE 'kommune.%%' "
                   "UNION ALL SELECT 'calendar_event', count(*) FROM calendar_event "
                   "WHERE res_model LIKE 'kommune.%%'"),
    'params': q("SELECT key FROM ir_config_parameter WHERE key LIKE 'kommune_interkulturell.%%'"),
    'unvalidated_foreign_keys': q("SELECT conname FROM pg_constraint "
                                  "WHERE contype = 'f' AND NOT convalidated"),
}))
"""


def shell_json(db, code, marker):
    out = odoo_shell(db, code)
    return json.loads(out.split(marker, 1)[1].splitlines()[0])


@pytest.fixture(scope="module")
def network_db():
    """A scratch database with the app alone (no demo data) and the network's data."""
    name = f"{TEST_DB}_scratch"
    odoo_bin("db", "drop", name, check=False)
    odoo_bin("-d", name, "-i", MODULE, "--stop-after-init", "--log-level=warn")
    odoo_shell(name, CREATE_DATA)
    yield name
    odoo_bin("db", "drop", name, check=False)


def module_states(db, names=(MODULE, BRIDGE, "mass_mailing", "link_tracker", "utm")):
    return shell_json(db, MODULE_STATES % (list(names),), "STATES")


def test_app_installs_alone(network_db):
    """The app needs neither mass mailing nor its bridge: the network's data above was
    made without them."""
    assert module_states(network_db) == {
        MODULE: "installed",
        BRIDGE: "uninstalled",
        "mass_mailing": "uninstalled",
        "link_tracker": "uninstalled",
        "utm": "uninstalled",
    }
    # The app's public pages serve without mass mailing (and without portal and
    # http_routing, which came with it): the sign-up page, and a friendly 404 for a
    # bad confirmation link; the personal invitation links are the bridge's.
    server = LiveServer(db=network_db).wait_ready()
    try:
        page = requests.get(f"{server.url}/kommune/subscribe", timeout=60)
        assert page.status_code == 200, page.text[-2000:]
        assert 'name="csrf_token"' in page.text
        bad = requests.get(f"{server.url}/kommune/subscribe/confirm/0-guess", timeout=60)
        assert bad.status_code == 404
        assert "o_kommune_invitation" in bad.text and "Traceback" not in bad.text
        assert requests.get(f"{server.url}/kommune/invitation/x", timeout=60).status_code == 404
    finally:
        server.stop()


def test_install_without_demo(network_db):
    state = shell_json(
        network_db,
        """
import json
print('STATE' + json.dumps({
    'state': env['ir.module.module'].search([('name', '=', 'kommune_interkulturell')]).state,
    'districts': env['kommune.district'].search_count([]),
    'purposes': sorted(env['kommune.consent.purpose'].search([]).mapped('code')),
    'demo': env['ir.model.data'].search_count(
        [('module', '=', 'kommune_interkulturell'), ('name', '=like', '%_demo')]),
}))
""",
        "STATE",
    )
    assert state == {
        "state": "installed",
        "districts": 12,
        "purposes": ["funder_reporting", "invitation", "photo", "training"],
        "demo": 0,
    }


def test_bridge_comes_with_mass_mailing(network_db):
    """Installing Email Marketing brings the campaigns' bridge by itself (auto_install);
    a campaign is then sent."""
    odoo_bin("-d", network_db, "-i", "mass_mailing", "--stop-after-init", "--log-level=warn")
    states = module_states(network_db)
    assert states[BRIDGE] == states["mass_mailing"] == "installed", states
    odoo_shell(network_db, CREATE_CAMPAIGN)


def test_upgrade_keeps_data(network_db):
    before = shell_json(network_db, SNAPSHOT, "SNAPSHOT")
    # The data is really there (a snapshot of nothing would compare equal).
    assert len(before["partners"]) == 6
    assert [row[2] for row in before["registrations"]] == ["confirmed", "confirmed", "waitlist"]
    assert len(before["sessions"]) == 2 and len(before["meetings"]) == 1
    assert [row[3] for row in before["consents"]].count("withdrawn") == 1
    assert before["purpose"] == "KI-Install-Fotos"

    odoo_bin("-d", network_db, "-u", MODULE, "--stop-after-init", "--log-level=warn")
    after = shell_json(network_db, SNAPSHOT, "SNAPSHOT")
    for key in before:
        assert after[key] == before[key], f"{key} changed by the upgrade"


def test_uninstall_keeps_partners_and_calendar(network_db):
    before = shell_json(network_db, SNAPSHOT, "SNAPSHOT")
    odoo_shell(
        network_db,
        """
module = env['ir.module.module'].search([('name', '=', 'kommune_interkulturell')])
module.button_immediate_uninstall()
env.cr.commit()
""",
    )
    after = shell_json(network_db, AFTER_UNINSTALL, "AFTER")
    assert after["state"] == "uninstalled"
    assert after["bridge_state"] == "uninstalled", "the bridge goes with the app"
    # Partners stay, with their names.
    assert after["partners"] == sorted(row[0] for row in before["partners"])
    # The calendar events behind the sessions and the cooperation meeting stay, with
    # their attendees, as ordinary events.
    events = {
        (name, start): (attendees, model) for name, start, attendees, model in after["events"]
    }
    for name, start, _stop, attendees, _event in before["sessions"]:
        assert events[(name, start)] == (attendees, None)
    for name, start, _stop, attendees, _model, _coop in before["meetings"]:
        assert events[(name, start)] == (attendees, None)
    assert len(after["events"]) == len(before["sessions"]) + len(before["meetings"])
    # The invitation mailings stay, with their campaign and their traces.
    assert before["mailings"] and before["traces"]
    assert after["mailings"] == before["mailings"]
    assert after["traces"] == before["traces"]
    # The addon is gone, and nothing points to it any more.
    assert after["tables"] == []
    assert after["orphan_columns"] == []
    assert after["models"] == []
    assert after["fields"] == []
    assert after["xmlids"] == [[0]]
    assert [count for _table, count in after["documents"]] == [0] * 5, after["documents"]
    assert after["params"] == []
    assert after["unvalidated_foreign_keys"] == []
