"""Every test module of the repo's addons runs under Odoo's own runner too.

pytest-odoo collects test files by path; `odoo-bin --test-enable`/`--test-tags` (what
integrators and OCA CI run) only sees the modules an addon's ``tests/__init__.py``
imports. A module missing there passes here and is silently never run elsewhere.
The check asks Odoo's loader itself which modules it would run for each addon of the
repo (kommune_interkulturell and its bridges kommune_interkulturell_*)."""

from .conftest import REPO, REPO_ADDONS
from .odoo_tests import odoo_test_cases


def test_every_test_module_is_imported():
    assert "kommune_interkulturell" in REPO_ADDONS, REPO_ADDONS
    loaded = odoo_test_cases(REPO_ADDONS)
    on_disk = {
        addon: {
            ".".join(["odoo.addons", addon, *path.relative_to(REPO / addon).with_suffix("").parts])
            for path in (REPO / addon / "tests").rglob("test_*.py")
        }
        for addon in REPO_ADDONS
    }
    missing = sorted(
        module for addon in REPO_ADDONS for module in on_disk[addon] - set(loaded[addon])
    )
    assert not missing, (
        "test modules Odoo's runner never sees (import them in their tests/__init__.py): "
        + ", ".join(missing)
    )
