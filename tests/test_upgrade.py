"""Upgrading a database of an earlier release to the working tree.

One old database for the module (fixture ``old_release_db``): the addon of release
OLD_RELEASE, taken from git into a temporary directory, installed without demo data on
a configuration that loads it instead of the working tree, and filled there through
``odoo-bin shell`` (OLD_RELEASE_DATA). Then one upgrade with the working tree
(fixture ``upgraded_db``: ``-u`` with the suite's configuration), and tests reading
what the upgrade left, in SQL.

Building the old database and upgrading it take most of this file's time (about
three minutes): to check more across the upgrade, add what the old release must hold to
OLD_RELEASE_DATA (it prints one JSON object: add keys) and to SNAPSHOT (read before and
after the upgrade, in SQL), and write tests on ``upgraded_db`` - one old database, one
upgrade.

Release 19.0.2.0.0 split the addon into the app and the bridge BRIDGE (the invitation
campaigns, on mass_mailing): the upgrade of the app installs the bridge and hands the
campaigns' models, fields, views and external ids over to it, keeping every record."""

import configparser
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import (
    ODOO_CONF,
    ODOO_PATH,
    PYTHON,
    TEST_DB,
    LiveServer,
    free_port,
    odoo_bin,
    odoo_shell,
)

MODULE = "kommune_interkulturell"
BRIDGE = "kommune_interkulturell_mass_mailing"
REPO = Path(__file__).resolve().parents[1]
# The release before the personal links left the link shortener: tag 19.0.1.1.0.
OLD_RELEASE = "ccddeea8f368b1dcdc667909f343ca9bdea1f1fe"
OLD_RELEASE_NAME = "19.0.1.1.0"
# Signed personal links (a PostgreSQL regular expression); written out here, not taken
# from the addon whose upgrade it checks.
PERSONAL_PATH_SQL = "/kommune/(invitation|subscribe/confirm)/"

# Run in the old release's database by its own code. Absolute links point to a port
# nobody listens on: the link tracker's title lookup of each URL fails at once, and so
# do the mails (no mail server: their link trackers exist all the same, they are made
# when the mails are rendered).
OLD_RELEASE_DATA = """
import json
from markupsafe import Markup
env = env(context=dict(env.context, kommune_training_no_mail=True))
ref = env.ref
env['ir.config_parameter'].set_param('web.base.url', 'http://127.0.0.1:%(dead_port)s')
env.user.email = env.user.email or 'admin@upgrade.example.org'
Partner = env['res.partner']
mo = Partner.create({'name': 'KI-Upgrade-MO', 'is_company': True,
    'organization_type_id': ref('kommune_interkulturell.organization_type_mo').id})
persons = Partner.create([{'name': f'KI-Upgrade-Person {i}', 'parent_id': mo.id,
    'email': f'person{i}@upgrade.example.org'} for i in range(3)])
invitation = ref('kommune_interkulturell.consent_purpose_invitation')
env['kommune.consent'].create(
    [{'partner_id': person.id, 'purpose_id': invitation.id} for person in persons])

# A campaign, sent: the old release shortens each person's registration link; the
# sign-up page (not personal) is shortened too. Each link is clicked once.
training = env['kommune.training'].create({'name': 'KI-Upgrade-Training'})
campaign = training._create_invitation_campaign(
    [('parent_id', '=', mo.id)], title='KI-Upgrade-Campaign')
mailing = campaign.mailing_mail_ids
mailing.body_html += Markup('<p><a href="/kommune/subscribe">Newsletter</a></p>')
mailing.action_send_mail()
Tracker = env['link.tracker']
personal = Tracker.search([('url', 'like', '/kommune/invitation/')])
other = Tracker.search([('url', '=like', '%%/kommune/subscribe')])
trace = mailing.mailing_trace_ids[:1]
Click = env['link.tracker.click']
personal_clicks = Click.browse()
for index, tracker in enumerate(personal):
    personal_clicks |= Click.add_click(
        tracker.code, ip=f'192.0.2.{index + 1}', mailing_trace_id=trace.id)
other_click = Click.add_click(other.code, ip='198.51.100.1')

# What the campaigns hold besides the sent mailing: a registration through a personal
# link (its mailing and campaign), a personal link signed now and opened after the
# upgrade, the training's invitation settings, a saved audience, an opt-out, the
# throttle and its count, the data-protection log.
from datetime import datetime
registered = training._register_participant(
    persons[0], source='invitation', consent=True,
    mailing_id=mailing.id, campaign_id=campaign.id)
token = training._get_invitation_token(persons[1], mailing)
training.write({'registration_deadline': datetime(2031, 1, 15, 12, 0), 'cancel_deadline_days': 5})
env['mailing.filter'].create({'name': 'KI-Upgrade-Audience',
    'mailing_model_id': env['ir.model']._get_id('res.partner'),
    'mailing_domain': repr([('parent_id', '=', mo.id)])})
persons[2]._set_invitation_opt_out()
env['ir.config_parameter'].set_param('kommune_interkulturell.mail_throttle_per_minute', '30')
env['kommune.mail.throttle']._reserve(2, 30)
env['kommune.privacy.log']._log('access', partner=persons[1], person_count=1)
# A manager adapted the campaign mail (a record Odoo's upgrades must not overwrite).
ref('kommune_interkulturell.mail_template_training_campaign').subject = 'KI-Upgrade adapted'
env.cr.commit()
print('OLD' + json.dumps({
    'personal_tracker_ids': personal.ids,
    'personal_code_ids': env['link.tracker.code'].search([('link_id', 'in', personal.ids)]).ids,
    'personal_click_ids': personal_clicks.ids,
    'other_tracker_ids': other.ids,
    'other_click_ids': other_click.ids,
    'clicked_trace_id': trace.id,
    'trace_clicked': bool(trace.links_click_datetime),
    'token': token,
    'registration_id': registered.id,
    'opted_out_id': persons[2].id,
}))
"""

# What must come through the upgrade unchanged, read in SQL before and after it.
SNAPSHOT = {
    "campaigns": "SELECT id, title, training_id, user_id FROM utm_campaign "
    "WHERE training_id IS NOT NULL ORDER BY id",
    "mailings": "SELECT id, subject, campaign_id, training_id, campaign_lang, state, "
    "mailing_domain FROM mailing_mailing ORDER BY id",
    "traces": "SELECT id, mass_mailing_id, model, res_id, email, trace_status, "
    "links_click_datetime FROM mailing_trace ORDER BY id",
    "registrations": "SELECT id, training_id, partner_id, state, source, consent_id, "
    "mailing_id, campaign_id FROM kommune_training_registration ORDER BY id",
    "trainings": "SELECT id, name, registration_deadline, date_registration_close, "
    "cancel_deadline_days FROM kommune_training ORDER BY id",
    "consents": "SELECT id, partner_id, purpose_id, company_id, date_given, legal_basis "
    "FROM kommune_consent ORDER BY id",
    "privacy_log": "SELECT id, operation, partner_id, person_count FROM kommune_privacy_log "
    "ORDER BY id",
    "audiences": "SELECT id, name, mailing_domain FROM mailing_filter ORDER BY id",
    "throttle": "SELECT minute, mail_count FROM kommune_mail_throttle ORDER BY minute",
    "params": "SELECT key, value FROM ir_config_parameter "
    "WHERE key LIKE 'kommune_interkulturell.%' ORDER BY key",
    "campaign_template": "SELECT t.id, t.subject FROM mail_template t JOIN ir_model_data d "
    "ON d.res_id = t.id AND d.model = 'mail.template' "
    "WHERE d.name = 'mail_template_training_campaign'",
    "other_trackers": "SELECT t.id, t.url, c.code FROM link_tracker t JOIN link_tracker_code c "
    "ON c.link_id = t.id WHERE url !~ '/kommune/(invitation|subscribe/confirm)/' ORDER BY id",
}
# External ids of the old release that the new one does not have, and why. Every other
# one must still exist, pointing to the same record (under the app, the bridge, or the
# Odoo app that adds the field).
GONE_XMLIDS = {
    # Merged into the app's own views (no view of the app inherits another).
    ("ir.ui.view", "kommune_training_registration_view_form_privacy"): "merged",
    ("ir.ui.view", "res_config_settings_view_form_privacy"): "merged",
    ("ir.ui.view", "res_partner_view_list_organization_dialogue"): "merged",
    ("ir.ui.view", "view_partner_form_cooperation"): "merged",
    ("ir.ui.view", "view_res_partner_filter_cooperation"): "merged",
    # 19.0.1.2.0 stopped extending link.tracker: the model keeps link_tracker's own ids.
    ("ir.model", "model_link_tracker"): "no extension",
    ("ir.model.fields", "field_link_tracker__display_name"): "no extension",
    ("ir.model.fields", "field_link_tracker__id"): "no extension",
}
# A sample of what the bridge owns now (its records kept their ids).
BRIDGE_XMLIDS = [
    ("ir.model", "model_kommune_mail_throttle"),
    ("ir.model", "model_kommune_campaign_invite"),
    ("ir.model.fields", "field_kommune_training__registration_deadline"),
    ("ir.model.fields", "field_kommune_training_registration__campaign_id"),
    ("ir.model.fields", "field_mailing_mailing__training_id"),
    ("ir.model.fields", "field_utm_campaign__training_id"),
    ("ir.model.fields", "field_res_partner__training_invitation_link"),
    ("ir.ui.view", "invitation_page"),
    ("ir.ui.view", "kommune_training_view_form_campaign"),
    ("ir.actions.act_window", "utm_campaign_action_training"),
    ("ir.ui.menu", "utm_campaign_menu_training"),
    ("mail.template", "mail_template_training_campaign"),
    ("ir.model.access", "access_kommune_mail_throttle_user"),
    ("ir.model.constraint", "constraint_kommune_training_cancel_deadline_days_positive"),
]
# A sample of what stays the app's.
APP_XMLIDS = [
    ("ir.ui.view", "invitation_layout"),
    ("ir.ui.view", "invitation_error_page"),
    ("ir.model", "model_kommune_training"),
    ("ir.model.fields", "field_res_partner__invitation_opt_out"),
    ("res.groups", "group_kommune_user"),
]


def run_odoo(conf, *args, timeout=600, stdin=None):
    """odoo-bin (a subcommand, if given, first) with the configuration file ``conf``."""
    cmd = [PYTHON, f"{ODOO_PATH}/odoo-bin"]
    if args and not args[0].startswith("-"):
        cmd += [args[0], "-c", str(conf), *args[1:]]
    else:
        cmd += ["-c", str(conf), *args]
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout)
    if proc.returncode:
        output = f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output}")
    return proc.stdout


def export_release(commit, target):
    """The addon as it was at ``commit``, written into the directory ``target``."""
    if not shutil.which("git"):
        pytest.fail(f"git is needed to build a database of release {OLD_RELEASE_NAME}")
    known = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "-e", f"{commit}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if known.returncode:
        pytest.fail(
            f"commit {commit} (release {OLD_RELEASE_NAME}) is not in the repository at "
            f"{REPO}: fetch the full history with its tags (git fetch --unshallow --tags)"
        )
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", commit, MODULE], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    if not (target / MODULE / "__manifest__.py").is_file():
        pytest.fail(f"release {OLD_RELEASE_NAME} has no {MODULE}/__manifest__.py")


def write_release_config(addons_dir, conf):
    """The suite's configuration with ``addons_dir`` instead of the directory holding
    the working tree's addon on the addons path; mails go to a port nobody listens on."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ODOO_CONF)
    options = parser["options"]
    paths = [path.strip() for path in options["addons_path"].split(",")]
    ours = [path for path in paths if (Path(path) / MODULE).is_dir()]
    if not ours:
        pytest.fail(f"no directory with {MODULE} on the addons path of {ODOO_CONF}")
    options["addons_path"] = ",".join(str(addons_dir) if path in ours else path for path in paths)
    options["smtp_server"] = "127.0.0.1"
    options["smtp_port"] = str(free_port())
    with open(conf, "w") as file:
        parser.write(file)


def query(db, sql, params=None):
    """Rows of a query on ``db``, outside of any Odoo environment."""
    from odoo.sql_db import db_connect

    with db_connect(db).cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def snapshot(db):
    """SNAPSHOT's rows of ``db``, and its external ids of the app and the bridge (and of
    the Odoo apps that add fields to the app's models) ``{(module, model, name): res_id}``."""
    rows = {key: [list(row) for row in query(db, sql)] for key, sql in SNAPSHOT.items()}
    xmlids = {
        (module, model, name): res_id
        for module, model, name, res_id in query(
            db,
            "SELECT module, model, name, res_id FROM ir_model_data WHERE module IN %s",
            [(MODULE, BRIDGE, "sms", "portal")],
        )
        if module in (MODULE, BRIDGE) or name.startswith("field_kommune")
    }
    return json.loads(json.dumps(rows, default=str)), xmlids


class OldReleaseDb:
    """The database built with release OLD_RELEASE.

    :ivar name: the database
    :ivar conf: the configuration that loads the old release's addon
    :ivar created: what OLD_RELEASE_DATA printed (ids of what it created)
    :ivar before: its snapshot before the upgrade (see snapshot)
    """

    def __init__(self, name, conf, created):
        self.name = name
        self.conf = conf
        self.created = created
        self.before = snapshot(name)


@pytest.fixture(scope="module")
def old_release_db(tmp_path_factory):
    """A database of release OLD_RELEASE with OLD_RELEASE_DATA in it (dropped after the
    module's tests)."""
    if not ODOO_CONF:
        pytest.skip("KI_ODOO_CONF is not set: run the suite through `make test`")
    workdir = tmp_path_factory.mktemp("old_release")
    addons_dir = workdir / "addons"
    addons_dir.mkdir()
    export_release(OLD_RELEASE, addons_dir)
    conf = workdir / "odoo.conf"
    write_release_config(addons_dir, conf)

    name = f"{TEST_DB}_upgrade"
    odoo_bin("db", "drop", name, check=False)
    run_odoo(conf, "-d", name, "-i", MODULE, "--stop-after-init", "--log-level=warn")
    out = run_odoo(
        conf,
        "shell",
        "-d",
        name,
        "--no-http",
        "--log-level=warn",
        stdin=OLD_RELEASE_DATA % {"dead_port": free_port()},
    )
    created = json.loads(out.split("OLD", 1)[1].splitlines()[0])
    yield OldReleaseDb(name, conf, created)

    from odoo.sql_db import close_db

    close_db(name)
    odoo_bin("db", "drop", name, check=False)


@pytest.fixture(scope="module")
def upgraded_db(old_release_db):
    """The old release's database, upgraded once with the working tree: ``-u`` of the
    app only, as an administrator upgrades it."""
    odoo_bin("-d", old_release_db.name, "-u", MODULE, "--stop-after-init", "--log-level=warn")
    return old_release_db


def test_upgrade_removes_personal_link_trackers(upgraded_db):
    """Release 19.0.1.1.0 put every personal registration link of a campaign behind a
    short, guessable code. The upgrade deletes these trackers with their codes and
    clicks; other trackers stay, and the mailing's statistics keep the clicks."""
    created = upgraded_db.created
    db = upgraded_db.name
    # The old release did shorten them: one per person, clicked.
    assert len(created["personal_tracker_ids"]) == 3
    assert len(created["personal_code_ids"]) == 3
    assert len(created["personal_click_ids"]) == 3
    assert created["trace_clicked"]
    assert len(created["other_tracker_ids"]) == 1 and len(created["other_click_ids"]) == 1

    def ids(table, key):
        return query(db, f"SELECT id FROM {table} WHERE id IN %s", [tuple(created[key])])

    assert ids("link_tracker", "personal_tracker_ids") == []
    assert ids("link_tracker_code", "personal_code_ids") == []
    assert ids("link_tracker_click", "personal_click_ids") == []
    assert query(db, "SELECT url FROM link_tracker WHERE url ~ %s", [PERSONAL_PATH_SQL]) == []

    assert ids("link_tracker", "other_tracker_ids") == [tuple(created["other_tracker_ids"])]
    assert ids("link_tracker_click", "other_click_ids") == [tuple(created["other_click_ids"])]
    assert query(
        db,
        "SELECT links_click_datetime IS NOT NULL FROM mailing_trace WHERE id = %s",
        [created["clicked_trace_id"]],
    ) == [(True,)]


def test_upgrade_installs_the_bridge_and_hands_it_the_campaigns(upgraded_db):
    """The bridge is installed by the app's upgrade; what moved to it kept its records
    (nothing deleted and created again: same ids), the rest stays the app's, and no
    external id of the old release is lost but those merged or dropped on purpose."""
    db = upgraded_db.name
    states = dict(
        query(
            db,
            "SELECT name, state FROM ir_module_module WHERE name IN %s",
            [(MODULE, BRIDGE, "mass_mailing")],
        )
    )
    assert states == {MODULE: "installed", BRIDGE: "installed", "mass_mailing": "installed"}
    (version,) = query(db, "SELECT latest_version FROM ir_module_module WHERE name = %s", [MODULE])
    assert version == ("19.0.2.0.0",)

    _rows, before = upgraded_db.before
    _rows, after = snapshot(db)
    records = {(model, name, res_id) for (_module, model, name), res_id in after.items()}
    lost = sorted(
        (model, name)
        for (_module, model, name), res_id in before.items()
        if (model, name, res_id) not in records and (model, name) not in GONE_XMLIDS
    )
    assert not lost, f"external ids of the old release lost by the upgrade: {lost}"
    for model, name in BRIDGE_XMLIDS:
        res_id = before[MODULE, model, name]
        assert after.get((BRIDGE, model, name)) == res_id, (model, name)
        assert (MODULE, model, name) not in after, (model, name)
    for model, name in APP_XMLIDS:
        assert after.get((MODULE, model, name)) == before[MODULE, model, name], (model, name)
    # The campaigns' tables keep their owner, for a later uninstall of the bridge.
    assert query(
        db,
        """SELECT m.name FROM ir_model_constraint c JOIN ir_module_module m ON m.id = c.module
            WHERE c.name = 'kommune_training_registration_campaign_id_fkey'""",
    ) == [(BRIDGE,)]


def test_upgrade_keeps_the_campaigns_data(upgraded_db):
    """Campaigns, mailings, traces, registrations with their campaign, the training's
    invitation settings, consents, the data-protection log, saved audiences, the
    throttle and its settings come through unchanged; the opt-out of the old release is
    read from the consent history (19.0.1.2.0); the bridge's code reads them."""
    rows_before, _xmlids = upgraded_db.before
    rows_after, _xmlids = snapshot(upgraded_db.name)
    created = upgraded_db.created
    # The old database really had them (a snapshot of nothing would compare equal).
    assert len(rows_before["campaigns"]) == 1 and rows_before["mailings"]
    assert len(rows_before["traces"]) == 3
    (registration,) = [
        row for row in rows_before["registrations"] if row[0] == created["registration_id"]
    ]
    assert registration[-2:] == [rows_before["mailings"][0][0], rows_before["campaigns"][0][0]]
    assert rows_before["trainings"][0][2:] == ["2031-01-15 12:00:00", "2031-01-15 12:00:00", 5]
    assert rows_before["audiences"] and rows_before["throttle"] and rows_before["privacy_log"]
    assert "KI-Upgrade adapted" in str(rows_before["campaign_template"])
    for key in SNAPSHOT:
        assert rows_after[key] == rows_before[key], f"{key} changed by the upgrade"

    out = odoo_shell(
        upgraded_db.name,
        f"""
import json
campaign = env['utm.campaign'].search([('training_id', '!=', False)])
registration = env['kommune.training.registration'].browse({created["registration_id"]})
person = env['res.partner'].browse({created["opted_out_id"]})
print('NEW' + json.dumps({{
    'campaign': [campaign.title, campaign.training_id.name, len(campaign.mailing_mail_ids),
                 campaign.training_registration_count],
    'registration': [registration.campaign_id.title, registration.mailing_id.subject],
    'throttle': env['kommune.mail.throttle']._get_limit(),
    'opted_out': [person.invitation_opt_out,
                  sorted(person.kommune_consent_ids.mapped('state'))],
    'opt_out_list': person.email_normalized in env['res.partner']._mailing_get_opt_out_list(
        env['mailing.mailing']),
}}))
""",
    )
    new = json.loads(out.split("NEW", 1)[1].splitlines()[0])
    assert new["campaign"] == ["KI-Upgrade-Campaign", "KI-Upgrade-Training", 1, 1]
    assert new["registration"][0] == "KI-Upgrade-Campaign" and new["registration"][1]
    assert new["throttle"] == 30
    assert new["opted_out"] == [True, ["withdrawn"]]
    assert new["opt_out_list"]


def test_personal_links_signed_before_still_open(upgraded_db):
    """A personal link mailed by the old release opens the person's registration page of
    the bridge, and its form registers them for the campaign's training."""
    server = LiveServer(db=upgraded_db.name).wait_ready()
    try:
        import re
        import urllib.request
        from http.cookiejar import CookieJar

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        url = f"{server.url}/kommune/invitation/{upgraded_db.created['token']}"
        with opener.open(url, timeout=60) as response:
            assert response.status == 200
            page = response.read().decode()
        assert "KI-Upgrade-Training" in page
        assert "KI-Upgrade-Person 1" in page
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = f"csrf_token={csrf}&consent=1".encode()
        with opener.open(f"{url}/register", data=data, timeout=60) as response:
            assert response.status == 200
    finally:
        server.stop()
    ((state, campaign),) = query(
        upgraded_db.name,
        """SELECT r.state, c.title->>'en_US' FROM kommune_training_registration r
             JOIN res_partner p ON p.id = r.partner_id
             JOIN utm_campaign c ON c.id = r.campaign_id
            WHERE p.name = 'KI-Upgrade-Person 1'""",
    )
    assert (state, campaign) == ("confirmed", "KI-Upgrade-Campaign")


def test_bridge_uninstalls_after_the_upgrade(upgraded_db):
    """What the upgrade handed over to the bridge is the bridge's: uninstalling it alone
    removes its columns, tables and constraints, its setting and the Email Marketing
    rights it gave the project's users, and leaves the app and its data. (Runs last: it
    changes the upgraded database.)"""
    db = upgraded_db.name
    odoo_shell(
        db,
        f"env['ir.module.module'].search([('name', '=', '{BRIDGE}')])"
        ".button_immediate_uninstall()\n",
    )
    states = dict(
        query(db, "SELECT name, state FROM ir_module_module WHERE name IN %s", [(MODULE, BRIDGE)])
    )
    assert states == {MODULE: "installed", BRIDGE: "uninstalled"}
    columns = query(
        db,
        """SELECT table_name, column_name FROM information_schema.columns
            WHERE (table_name, column_name) IN (
                ('kommune_training', 'registration_deadline'),
                ('kommune_training', 'cancel_deadline_days'),
                ('kommune_training_registration', 'campaign_id'),
                ('mailing_mailing', 'training_id'),
                ('utm_campaign', 'training_id'))""",
    )
    assert columns == [], f"columns of the bridge left behind: {columns}"
    tables = query(
        db,
        """SELECT table_name FROM information_schema.tables
            WHERE table_name = 'kommune_mail_throttle'
               OR table_name LIKE 'kommune_campaign_invite%%'""",
    )
    assert tables == [], f"tables of the bridge left behind: {tables}"
    assert (
        query(
            db,
            "SELECT conname FROM pg_constraint WHERE conname IN %s",
            [
                (
                    "kommune_training_cancel_deadline_days_positive",
                    "kommune_mail_throttle_minute_unique",
                )
            ],
        )
        == []
    )
    assert (
        query(
            db,
            "SELECT key FROM ir_config_parameter WHERE key = %s",
            ["kommune_interkulturell.mail_throttle_per_minute"],
        )
        == []
    )
    implied = query(
        db,
        """SELECT 1 FROM res_groups_implied_rel rel
             JOIN ir_model_data u ON u.res_id = rel.gid AND u.model = 'res.groups'
             JOIN ir_model_data m ON m.res_id = rel.hid AND m.model = 'res.groups'
            WHERE u.module = %s AND u.name = 'group_kommune_user'
              AND m.module = 'mass_mailing' AND m.name = 'group_mass_mailing_user'""",
        [MODULE],
    )
    assert implied == [], "project users keep Email Marketing rights"
    # The app's data stays: registrations (without their campaign), consents, the log
    # (the tests before this one added some).
    rows_before, _xmlids = upgraded_db.before
    for key in ("consents", "privacy_log"):
        rows = json.loads(json.dumps([list(row) for row in query(db, SNAPSHOT[key])], default=str))
        assert [row for row in rows_before[key] if row not in rows] == [], key
    assert (
        len(
            query(
                db,
                "SELECT id FROM kommune_training_registration WHERE id = %s",
                [upgraded_db.created["registration_id"]],
            )
        )
        == 1
    )
