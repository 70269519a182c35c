"""The repo's addons pass their tests under Odoo's own test runner too.

pytest-odoo runs the tests one way; integrators and OCA CI run them the Odoo way:
``odoo-bin -i <addons> --test-tags /<addon>,...`` on a fresh database, which installs
the addons and runs their at_install tests during the install, their post_install tests
after it, in one process whose main thread holds the registry. Tests can pass under one
runner and fail under the other. This runs every addon of the repo
(kommune_interkulturell and its bridges kommune_interkulturell_*, found on disk) that
way, with German loaded as the addons' tests expect and without demo data, and fails
on any failing or skipped test, and on any test of theirs that did not run. The run
starts in the background as soon as the suite is collected (its own database)."""

from .conftest import REPO_ADDONS, TEST_DB, free_port, odoo_bin
from .odoo_tests import BackgroundRun, odoo_test_cases, read_test_log


def _run_addon_tests():
    db = f"{TEST_DB}_runner"
    odoo_bin("db", "drop", db, check=False, detached=True)
    proc = odoo_bin(
        "-d",
        db,
        "-i",
        ",".join(REPO_ADDONS),
        "--load-language=de_DE",
        "--test-tags=" + ",".join(f"/{addon}" for addon in REPO_ADDONS),
        "--stop-after-init",
        "--log-level=test",
        f"--http-port={free_port()}",
        timeout=3600,
        check=False,
        detached=True,
    )
    odoo_bin("db", "drop", db, check=False, detached=True)
    return proc


# Started in the background as soon as the suite is collected (its own database).
BACKGROUND = BackgroundRun(_run_addon_tests)


def test_addons_pass_under_odoo_runner():
    expected = {
        f"{addon}:{test}"
        for addon, modules in odoo_test_cases(REPO_ADDONS).items()
        for tests in modules.values()
        for test in tests
    }
    proc = BACKGROUND.result()
    log = proc.stdout + proc.stderr
    run = read_test_log(log)
    assert run.summary, f"no test summary in the log:\n{log[-3000:]}"
    assert not run.failures, f"{run.summary}\n\n{run.failure_report(run.failures)}"
    assert not run.skipped, f"skipped tests: {run.skipped}"
    assert not expected - run.started, f"tests that did not run: {sorted(expected - run.started)}"
    assert proc.returncode == 0, log[-3000:]
