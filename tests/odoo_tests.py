"""Helpers for the tests that drive Odoo's own test runner (odoo-bin --test-tags): which
tests Odoo's loader finds in an addon, and what a run's log says about each test."""

import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field

from .conftest import ODOO_PATH, REPO

# Run in a fresh interpreter: pytest has imported every test file already, which would
# make modules that tests/__init__.py leaves out look imported.
_LOADER = """
import json, sys
from odoo.modules.module import initialize_sys_path
from odoo.tests.loader import get_module_test_cases, get_test_modules
from odoo.tools import config

config.parse_config(["--addons-path=" + sys.argv[1]], setup_logging=False)
initialize_sys_path()
found = {}
for addon in sys.argv[2:]:
    modules = get_test_modules(addon)
    found[addon] = {
        module.__name__: [
            f"{type(test).__name__}.{test._testMethodName}"
            for test in get_module_test_cases(module)
            if "standard" in test.test_tags  # what --test-tags=/addon selects
        ]
        for module in modules
    }
print(json.dumps(found))
"""


def odoo_test_cases(addons):
    """What Odoo's test loader finds in each addon: {addon: {test module: [Class.method]}},
    the tests of the standard tag (those --test-tags=/addon runs)."""
    addons_path = ",".join([f"{ODOO_PATH}/addons", f"{ODOO_PATH}/odoo/addons", str(REPO)])
    proc = subprocess.run(
        [sys.executable, "-c", _LOADER, addons_path, *addons],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ODOO_PATH},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.splitlines()[-1])


_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>[\w.]+): "
    r"(?P<message>.*?) ?$"
)
_ADDON = re.compile(r"\bodoo\.addons\.(?P<addon>\w+)\.tests\b")
_TEST = re.compile(r"^(?:Subtest )?(?P<test>\w+\.\w+)")
# Errors outside a test method: "setUpClass (odoo.addons.mail.tests.test_x.TestY)"
_FIXTURE = re.compile(
    r"^(?:setUpClass|tearDownClass|setUpModule|tearDownModule) "
    r"\(odoo\.addons\.(?P<addon>\w+)\.tests\.[\w.]*?(?P<cls>\w+)\)"
)


@dataclass
class TestLog:
    """A test run read from odoo-bin's log (--log-level=test). Tests are named
    ``addon:Class.method`` (as in --test-tags); a failure outside a test method (e.g. in
    setUpClass) is named ``addon:Class``."""

    started: set = field(default_factory=set)
    failures: dict = field(default_factory=dict)  # test -> the failure's first lines
    skipped: dict = field(default_factory=dict)  # test -> reason
    summary: str = ""

    def failure_report(self, tests, lines=25):
        return "\n\n".join(
            "\n".join(self.failures[test].splitlines()[:lines]) for test in sorted(tests)
        )


def read_test_log(log):
    result = TestLog()
    current = None  # the failure whose traceback the following lines continue
    for line in log.splitlines():
        match = _LINE.match(line)
        if not match:
            if current:
                result.failures[current] += "\n" + line
            continue
        current = None
        logger, message = match["logger"], match["message"]
        if logger == "odoo.tests.result" and "tests when loading database" in message:
            result.summary = message
        addon = _ADDON.search(logger)
        if message.startswith(("FAIL: ", "ERROR: ")):
            description = message.split(": ", 1)[1]
            if fixture := _FIXTURE.match(description):
                current = f"{fixture['addon']}:{fixture['cls']}"
            elif addon and (test := _TEST.match(description)):
                current = f"{addon['addon']}:{test['test']}"
            else:
                current = f"?:{description}"
            result.failures[current] = result.failures.get(current, "") + line
        elif addon and message.startswith("Starting ") and message.endswith(" ..."):
            result.started.add(f"{addon['addon']}:{message[len('Starting ') : -len(' ...')]}")
        elif addon and message.startswith("skipped "):
            test, _sep, reason = message[len("skipped ") :].partition(" : ")
            result.skipped[f"{addon['addon']}:{test}"] = reason
    return result


class BackgroundRun:
    """A long run of odoo-bin in a thread of its own, on a database of its own, started
    as soon as the suite is collected (``pytest_collection_finish`` in the root conftest
    starts the ``BACKGROUND`` run of every collected test module) and waited for by its
    test: it overlaps with the other tests instead of adding its whole duration to the
    suite's. Its odoo-bin processes must run detached (``odoo_bin(..., detached=True)``):
    Odoo's test classes terminate pytest's child processes when they end.

    ``function`` takes no argument and returns the run's result; an exception it raises
    (a failed assertion, a skip) is raised again by :meth:`result`, in the test."""

    def __init__(self, function):
        self.function = function
        self.thread = None
        self.outcome = None
        self.error = None

    def start(self):
        if self.thread is None:
            # A daemon: an interrupted suite does not wait for the run.
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def _run(self):
        try:
            self.outcome = self.function()
        except BaseException as error:  # raised again in the test's own thread
            self.error = error

    def result(self, timeout=3600):
        """The run's result (started now when the suite did not start it)."""
        self.start()
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise AssertionError(f"{self.function.__name__} did not end within {timeout} s")
        if self.error is not None:
            raise self.error
        return self.outcome
