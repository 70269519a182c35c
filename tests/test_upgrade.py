"""Upgrading a database of an earlier release to the working tree.

One old database for the module (fixture ``old_release_db``): the addon of release
OLD_RELEASE, taken from git into a temporary directory, installed without demo data on
a configuration that loads it instead of the working tree, and filled there through
``odoo-bin shell`` (OLD_RELEASE_DATA). Then one upgrade with the working tree
(fixture ``upgraded_db``: ``-u`` with the suite's configuration), and tests reading
what the upgrade left, in SQL.

Building the old database and upgrading it take most of this file's time (about
three minutes): to check more across the upgrade (e.g. when the addon is split into
an app and bridge addons), add what the old release must hold to OLD_RELEASE_DATA (it
prints one JSON object: add keys), adapt ``upgraded_db`` if the upgrade needs more
than ``-u``, and write tests on ``upgraded_db`` - one old database, one upgrade."""

import configparser
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ODOO_CONF, ODOO_PATH, PYTHON, TEST_DB, free_port, odoo_bin

MODULE = "kommune_interkulturell"
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
env.cr.commit()
print('OLD' + json.dumps({
    'personal_tracker_ids': personal.ids,
    'personal_code_ids': env['link.tracker.code'].search([('link_id', 'in', personal.ids)]).ids,
    'personal_click_ids': personal_clicks.ids,
    'other_tracker_ids': other.ids,
    'other_click_ids': other_click.ids,
    'clicked_trace_id': trace.id,
    'trace_clicked': bool(trace.links_click_datetime),
}))
"""


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


class OldReleaseDb:
    """The database built with release OLD_RELEASE.

    :ivar name: the database
    :ivar conf: the configuration that loads the old release's addon
    :ivar created: what OLD_RELEASE_DATA printed (ids of what it created)
    """

    def __init__(self, name, conf, created):
        self.name = name
        self.conf = conf
        self.created = created


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
    """The old release's database, upgraded once with the working tree."""
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
