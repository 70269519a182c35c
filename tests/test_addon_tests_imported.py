"""Every test module of the repo's addons runs under Odoo's own runner too.

pytest-odoo collects test files by path; `odoo-bin --test-enable`/`--test-tags` (what
integrators and OCA CI run) only sees the modules an addon's ``tests/__init__.py``
imports. A module missing there passes here and is silently never run elsewhere.
The check asks Odoo's loader itself, in a fresh interpreter (this one has imported every
test file already), which modules it would run for each addon of the repo."""

import json
import os
import subprocess
import sys

from .conftest import ODOO_PATH, REPO, REPO_ADDONS

LOADER = """
import json, sys
from odoo.modules.module import initialize_sys_path
from odoo.tests.loader import get_test_modules
from odoo.tools import config

config.parse_config(["--addons-path=" + sys.argv[1]], setup_logging=False)
initialize_sys_path()
print(json.dumps({addon: [mod.__name__ for mod in get_test_modules(addon)]
                  for addon in sys.argv[2:]}))
"""


def odoo_test_modules(addons):
    """The test modules Odoo's runner loads for each addon: {addon: [dotted names]}."""
    addons_path = ",".join([f"{ODOO_PATH}/addons", f"{ODOO_PATH}/odoo/addons", str(REPO)])
    proc = subprocess.run(
        [sys.executable, "-c", LOADER, addons_path, *addons],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ODOO_PATH},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.splitlines()[-1])


def test_every_test_module_is_imported():
    assert "kommune_interkulturell" in REPO_ADDONS, REPO_ADDONS
    on_disk = {
        addon: {
            ".".join(["odoo.addons", addon, *path.relative_to(REPO / addon).with_suffix("").parts])
            for path in (REPO / addon / "tests").rglob("test_*.py")
        }
        for addon in REPO_ADDONS
    }
    loaded = odoo_test_modules(REPO_ADDONS)
    missing = sorted(
        module for addon in REPO_ADDONS for module in on_disk[addon] - set(loaded[addon])
    )
    assert not missing, (
        "test modules Odoo's runner never sees (import them in their tests/__init__.py): "
        + ", ".join(missing)
    )
