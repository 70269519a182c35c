"""Suite-wide pytest hooks: a skipped test fails the run; the long odoo-bin runs start
at once, in the background.

Tests skip quietly when what they need is missing: Odoo skips browser tests (HttpCase)
without Chromium, websocket-client or ``--odoo-http``; the live-server tests (tests/)
skip without the settings `make test` exports (KI_ODOO_CONF, ...). A suite that passed
because some of its tests did not run proves nothing, so any skip (or expected failure)
fails the run, and the summary says which tests did not run and why.
"""

import pytest

_skips = []


def _is_browser_test(item):
    cls = getattr(item, "cls", None)
    if cls is None:
        return False
    try:
        from odoo.tests import HttpCase
    except ImportError:  # pragma: no cover - Odoo is always importable under pytest-odoo
        return False
    return isinstance(cls, type) and issubclass(cls, HttpCase)


def _reason(report):
    if hasattr(report, "wasxfail"):
        return f"expected to fail: {report.wasxfail or 'no reason given'}"
    if isinstance(report.longrepr, tuple):  # (file, line, "Skipped: reason")
        return report.longrepr[2].removeprefix("Skipped: ")
    return str(report.longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped:
        kind = "browser test" if _is_browser_test(item) else "test"
        _skips.append((item.nodeid, kind, _reason(report)))


def pytest_terminal_summary(terminalreporter):
    if _skips:
        terminalreporter.section("tests that did not run", sep="=", red=True, bold=True)
        for nodeid, kind, reason in _skips:
            terminalreporter.line(f"SKIPPED {kind.upper()}: {nodeid}: {reason}", red=True)
        terminalreporter.line(
            "Every test must run: `make test` installs Chromium and websocket-client, passes "
            "--odoo-http and exports the KI_* settings of the live-server tests.",
            red=True,
        )


def pytest_sessionfinish(session, exitstatus):
    if _skips and exitstatus == 0:
        session.exitstatus = 1


def pytest_collection_finish(session):
    """Start the long odoo-bin runs of the collected test modules (their ``BACKGROUND``,
    a tests.odoo_tests.BackgroundRun) at once: they overlap with the other tests."""
    for module in {getattr(item, "module", None) for item in session.items}:
        background = getattr(module, "BACKGROUND", None)
        if background is not None:
            background.start()
