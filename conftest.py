"""Suite-wide pytest hooks.

Odoo skips browser tests (HttpCase) quietly when Chromium, websocket-client or
``--odoo-http`` is missing. A suite that passed because its browser tests were skipped
proves nothing, so such a skip fails the run.
"""

import pytest

_browser_skips = []


def _is_browser_test(item):
    cls = getattr(item, "cls", None)
    if cls is None:
        return False
    try:
        from odoo.tests import HttpCase
    except ImportError:  # pragma: no cover - Odoo is always importable under pytest-odoo
        return False
    return isinstance(cls, type) and issubclass(cls, HttpCase)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _is_browser_test(item):
        _browser_skips.append(item.nodeid)


def pytest_terminal_summary(terminalreporter):
    if _browser_skips:
        terminalreporter.section("browser tests skipped", sep="=", red=True, bold=True)
        for nodeid in _browser_skips:
            terminalreporter.line(f"SKIPPED BROWSER TEST: {nodeid}", red=True)
        terminalreporter.line(
            "Browser tests must run: install chromium and websocket-client and pass "
            "--odoo-http (make test does all three).",
            red=True,
        )


def pytest_sessionfinish(session, exitstatus):
    if _browser_skips and exitstatus == 0:
        session.exitstatus = 1
