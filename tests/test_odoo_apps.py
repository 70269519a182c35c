"""The addons must not change the Odoo apps they build on: Odoo's own tests of every app
whose behaviour they override, run by odoo-bin on a database with all addons of the repo
installed (no demo data, English, as Odoo's runners use them). No test may fail here
that passes without the addons.

What runs (ODOO_APP_TESTS, --test-tags specs per app; add an app there when an addon
starts overriding it, e.g. survey and portal with their bridges), chosen by what the
addons override and by time. Measured on this 2-core machine (shared, load 5-9), the
apps' complete tests take 32 minutes with the addons (calendar 3.6, contacts 0.7, mail
18.5, mass_mailing 8.3, link_tracker, utm and privacy_lookup 0.3 each; 31 without them),
more than the 30 minutes `make test` may take as a whole. The selection below takes
about 9 minutes here, the addons' install included:

- calendar, complete (155 tests, ~3.5 min): the addons override calendar.event (create,
  write, unlink, default_get, activities, ics export, privacy); training sessions and
  cooperation meetings are events. Its at_install tests run as the registry loads, on a
  database that has the addons' columns and constraints: they caught a required field
  the addon once added to res.company.
- contacts, complete (2 tours): the partner form carries the addons' fields and pages.
- mail, the post_install classes about what the addons override: partners and users
  (avatars, the placeholder expressions of templates), templates and the composer (the
  dynamic placeholder popover, force_send), activities (mail.activity._action_done),
  messages, the blocklist, the mail gateway (bounces), uninstall (~3.5 min). Left out:
  discuss (channels, calls, public channel pages, presence), whose tests take about 10
  of mail's 18 minutes and touch nothing the addons change; and mail's at_install classes:
  on a loaded database they run before calendar is loaded and fail in setUpClass on
  calendar's NOT NULL columns, with or without the addons.
- mass_mailing, all but the editor tours of TestMailingUi (6 minutes; the addons leave
  the editor alone) except its campaign tour: the addons override mailings (recipients,
  per-language campaigns), the unsubscribe page and opt-out lists, utm campaigns.
- link_tracker, utm, privacy_lookup, complete (~1 min together): the addons override
  link trackers (titles of personal links) and utm campaigns, and build the subject
  access and erasure on privacy_lookup.

Tests that fail without the addons too are listed with their reason in
odoo_apps_known_failures.json: every failure of the apps' complete tests on a database
with the same Odoo apps and without the addons, checked once rather than re-run each
time. A failure not listed there fails this test; so does a listed test that ran and
passed (a stale entry). A browser tour that failed only by running out of time (the
run overlaps with the rest of the suite on a loaded machine) runs once more, alone, on
a new database, and counts as failed if it fails there again."""

import json
from pathlib import Path

from .conftest import REPO_ADDONS, TEST_DB, free_port, odoo_bin
from .odoo_tests import BackgroundRun, read_test_log

ODOO_APP_TESTS = {
    "calendar": ["/calendar"],
    "contacts": ["/contacts"],
    "mail": [
        "/mail:TestMailTemplateUI",
        "/mail:TestTemplateConfigRestrictEditor",
        "/mail:TestSearchTemplateCategory",
        "/mail:TestMailComposerUI",
        "/mail:TestMailActivityIntegrity",
        "/mail:TestMailActivityChatter",
        "/mail:TestMailMessage",
        "/mail:TestMessageController",
        "/mail:TestMailBlacklist",
        "/mail:TestFetchmail",
        "/mail:TestAvatarAcl",
        "/mail:TestUser",
        "/mail:TestMailUninstall",
    ],
    "mass_mailing": [
        "/mass_mailing",
        *(
            f"-/mass_mailing:TestMailingUi.{tour}"
            for tour in (
                "test_mailing_editor_theme_tour",
                "test_mailing_editor_tour",
                "test_mass_mailing_code_view_tour",
                "test_mass_mailing_dynamic_placeholder_tour",
                "test_snippets_mailing_menu_tabs_tour",
                "test_snippets_mailing_menu_toolbar_mobile_tour",
                "test_snippets_mailing_menu_toolbar_tour",
            )
        ),
    ],
    "link_tracker": ["/link_tracker"],
    "utm": ["/utm"],
    "privacy_lookup": ["/privacy_lookup"],
}
KNOWN_FAILURES = Path(__file__).with_name("odoo_apps_known_failures.json")


def _covers(entry, test):
    """Whether a known-failure entry (app:Class or app:Class.method) names ``test``."""
    return test == entry or test.startswith(f"{entry}.")


def _selects(spec, test):
    """Whether ``app[:Class[.method]]`` (an include spec without its "/") names ``test``."""
    return test.startswith(f"{spec}:") if ":" not in spec else _covers(spec, test)


def _run_on_new_database(specs, timeout):
    """Run Odoo's tests selected by ``specs`` on a new database with all addons."""
    db = f"{TEST_DB}_apps"
    install = ("-d", db, "-i", ",".join(REPO_ADDONS), "--stop-after-init", "--log-level=warn")
    odoo_bin("db", "drop", db, check=False, detached=True)
    odoo_bin(*install, detached=True)
    proc = odoo_bin(
        "-d",
        db,
        "--test-tags=" + ",".join(specs),
        "--stop-after-init",
        "--log-level=test",
        f"--http-port={free_port()}",
        timeout=timeout,
        check=False,
        detached=True,
    )
    odoo_bin("db", "drop", db, check=False, detached=True)
    return proc


def _run_app_tests():
    specs = [spec for app_specs in ODOO_APP_TESTS.values() for spec in app_specs]
    return _run_on_new_database(specs, 1800)


def _timed_out(failure):
    """Whether a failure is a browser tour that ran out of time (a step has 10 s)."""
    return "TIMEOUT" in failure or "timeout exceeded" in failure.lower()


def _still_failing(tests):
    """Which of ``tests`` fail again when they run alone on a new database: all of
    them when the run ended without its summary (odoo-bin crashed or was killed)."""
    rerun = read_test_log(_joined_output(_run_on_new_database([f"/{t}" for t in tests], 900)))
    if not rerun.summary:
        return set(tests)
    return {test for test in tests if test in rerun.failures or test not in rerun.started}


def _joined_output(proc):
    return proc.stdout + proc.stderr


# Started in the background as soon as the suite is collected (its own database).
BACKGROUND = BackgroundRun(_run_app_tests)


def test_odoo_apps_still_pass():
    known = json.loads(KNOWN_FAILURES.read_text())["failures"]
    log = _joined_output(BACKGROUND.result())
    run = read_test_log(log)
    assert run.summary, f"no test summary in the log:\n{log[-3000:]}"

    new = {test for test in run.failures if not any(_covers(e, test) for e in known)}
    # Odoo's tours wait 10 s for each step: on a loaded machine (this run overlaps with
    # the suite) one can run out of time. Such tours run once more, alone; a failure
    # the addons cause fails there again.
    if new and all(_timed_out(run.failures[test]) for test in new):
        new = _still_failing(sorted(new))
    assert not new, (
        f"{run.summary}; failing with the addons, not known to fail without them:\n\n"
        + run.failure_report(new)
    )
    # Entries outside the selection document the rest of the apps' tests; a selected
    # entry whose test now passes is stale.
    stale = sorted(
        entry
        for entry in known
        if any(_covers(entry, test) for test in run.started)
        and not any(_covers(entry, test) for test in run.failures)
    )
    assert not stale, f"these pass now, remove them from {KNOWN_FAILURES.name}: {stale}"
    assert not run.skipped, f"skipped tests: {run.skipped}"
    # Every spec selected something: a mistyped class would silently select nothing.
    for app, specs in ODOO_APP_TESTS.items():
        for spec in specs:
            if spec.startswith("/"):
                assert any(_selects(spec[1:], test) for test in run.started), (
                    f"{app}: {spec} selected no test"
                )
