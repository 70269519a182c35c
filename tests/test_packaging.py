"""The addons as Python wheels: built with whool, installed with pip, found by Odoo.

Every addon of the repo (``kommune_interkulturell*`` with a ``__manifest__.py`` and
whool's ``pyproject.toml``, found on disk) is built into a wheel
``odoo_addon_<addon>-<version>-py3-none-any.whl``, as OCA publishes addons. whool packages
the files git tracks and derives the version from the manifest and the git history, so
the wheels are built from a clean clone of the repo's last commit (HEAD): uncommitted
changes of the working tree are not in them and do not change this test's outcome.

The wheels are installed without their dependencies (they require an ``odoo``
distribution, and Odoo 19.0 is a source tree here, not a distribution) into a scratch
directory next to Odoo, and Odoo installs the addons from there on a database of its own
whose addons path does not contain the repo: Odoo 19's ``odoo.addons`` is an implicit
namespace package, so ``<site>/odoo/addons/<addon>`` on ``sys.path`` is an addon like
any other."""

import ast
import configparser
import email.parser
import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from odoo import release

from .conftest import (
    ODOO_CONF,
    ODOO_PATH,
    PYTHON,
    REPO,
    REPO_ADDONS,
    TEST_DB,
    odoo_bin,
    odoo_shell,
)

try:
    import tomllib
except ImportError:  # Python 3.10: tomli comes with whool
    import tomli as tomllib

APP = "kommune_interkulturell"
# The addons that ship as wheels: those with whool's pyproject.toml next to the manifest.
WHEEL_ADDONS = sorted(addon for addon in REPO_ADDONS if (REPO / addon / "pyproject.toml").is_file())
# Left behind by Python, pytest, editors and patches; never part of an addon.
JUNK = re.compile(r"(^|/)(__pycache__|\.pytest_cache|\.hypothesis)/|\.(pyc|pyo|orig|rej|swp)$")


def run(*cmd, cwd=None, timeout=300):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text())


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """A clean clone of the repo's HEAD (git history included: whool's version needs it)."""
    if not ODOO_CONF:
        pytest.skip("KI_ODOO_CONF is not set: run the suite through `make test`")
    head = run("git", "-C", REPO, "rev-parse", "HEAD").strip()
    path = tmp_path_factory.mktemp("packaging") / "repo"
    run("git", "clone", "--quiet", "--shared", "--no-checkout", REPO, path)
    run("git", "-C", path, "checkout", "--quiet", "--detach", head)
    # Untracked files, as a developer's tree has them: whool must leave them out.
    for addon in WHEEL_ADDONS:
        if (path / addon).is_dir():
            (path / addon / "models" / "__pycache__").mkdir(parents=True, exist_ok=True)
            (path / addon / "models" / "__pycache__" / "junk.cpython-311.pyc").write_bytes(b"")
            (path / addon / "untracked_note.txt").write_text("not in git\n")
    return path


@pytest.fixture(scope="module")
def wheels(export):
    """{addon: path of its wheel}, built with whool from the clean clone."""
    assert APP in WHEEL_ADDONS, f"{APP}/pyproject.toml (whool) is missing"
    missing = [addon for addon in WHEEL_ADDONS if not (export / addon / "pyproject.toml").exists()]
    assert not missing, f"addons not committed (whool builds what git tracks): {missing}"
    out = export.parent / "dist"
    # No build isolation: whool comes from the project's venv (requirements-dev.txt).
    run(
        PYTHON,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-index",
        "--no-build-isolation",
        "--wheel-dir",
        out,
        *(export / addon for addon in WHEEL_ADDONS),
    )
    built = {}
    for path in out.glob("*.whl"):
        name = path.name.split("-", 1)[0].removeprefix("odoo_addon_")
        built[name] = path
    assert sorted(built) == WHEEL_ADDONS, sorted(p.name for p in out.iterdir())
    return built


@pytest.fixture(scope="module")
def site(wheels, export):
    """The wheels installed with pip, without dependencies, into a directory of their own."""
    target = export.parent / "site"
    run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--no-index",
        "--target",
        target,
        *wheels.values(),
    )
    return target


def wheel_metadata(path):
    with zipfile.ZipFile(path) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.HeaderParser().parsestr(wheel.read(name).decode())


def test_every_addon_is_packaged_with_whool():
    assert APP in WHEEL_ADDONS
    assert WHEEL_ADDONS == REPO_ADDONS, "addons without pyproject.toml (whool): " + ", ".join(
        sorted(set(REPO_ADDONS) - set(WHEEL_ADDONS))
    )
    for addon in WHEEL_ADDONS:
        build = tomllib.loads((REPO / addon / "pyproject.toml").read_text())["build-system"]
        assert build == {"requires": ["whool"], "build-backend": "whool.buildapi"}, addon


def test_wheel_names_and_versions(wheels, export):
    metadata = {addon: wheel_metadata(path) for addon, path in wheels.items()}
    # Odoo installed from its tree (distribution "odoo", release.version) and the wheels
    # meet every requirement of the wheels: pip installs them without downloading.
    available = {canonicalize_name(meta["Name"]): meta["Version"] for meta in metadata.values()}
    available["odoo"] = release.version
    for addon, path in wheels.items():
        meta = metadata[addon]
        version = manifest(export / addon)["version"]
        assert meta["Name"] == f"odoo-addon-{addon}"
        # The manifest's version, then ".N" when N commits changed the addon since then.
        assert re.fullmatch(re.escape(version) + r"(\.[1-9]\d*)?", meta["Version"]), (
            f"{addon}: {meta['Version']} does not follow the manifest's {version}"
        )
        assert path.name == f"odoo_addon_{addon}-{meta['Version']}-py3-none-any.whl"
        requires = meta.get_all("Requires-Dist") or []
        assert "odoo==19.0.*" in requires, requires
        for depend in manifest(export / addon)["depends"]:
            if depend in REPO_ADDONS:  # the app, for a bridge: a wheel of this repo
                assert f"odoo-addon-{depend}==19.0.*" in requires, (addon, requires)
        for requirement in map(Requirement, requires):
            name = canonicalize_name(requirement.name)
            assert name in available, f"{addon} requires {requirement}: not Odoo nor a wheel"
            assert requirement.specifier.contains(available[name], prereleases=True), (
                f"{addon} requires {requirement}, found {available[name]}"
            )


def test_wheel_contents(wheels, export):
    for addon, path in wheels.items():
        prefix = f"odoo/addons/{addon}/"
        with zipfile.ZipFile(path) as wheel:
            names = wheel.namelist()
        files = {name.removeprefix(prefix) for name in names if name.startswith(prefix)}
        others = [name for name in names if not name.startswith(prefix)]
        assert all(".dist-info/" in name for name in others), others
        junk = [name for name in names if JUNK.search(name)]
        assert not junk, f"{addon}: {junk}"
        tracked = set(run("git", "ls-files", cwd=export / addon).splitlines())
        # Exactly what git tracks (whool leaves out only its own pyproject.toml).
        assert files == tracked - {"pyproject.toml"}, (
            f"{addon}: not in git: {sorted(files - tracked)}; "
            f"missing: {sorted(tracked - files - {'pyproject.toml'})}"
        )
        data = manifest(export / addon)
        needed = {"__manifest__.py", "__init__.py", *data.get("data", []), *data.get("demo", [])}
        missing = sorted(needed - files)
        assert not missing, f"{addon}: files of the manifest not in the wheel: {missing}"
        assert "i18n/de.po" in files
        assert any(re.fullmatch(r"models/\w+\.py", name) for name in files)
        if addon == APP:
            assert {"static/description/icon.png", "static/description/index.html"} <= files
            assert any(name.startswith("static/tests/tours/") for name in files)


def scratch_config(tmp_path):
    """The test configuration with nothing of the repo: an addons path of Odoo's own
    directories only, and a data directory (filestore, downloaded addons) of its own."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ODOO_CONF)
    addons_path = [
        path
        for path in config["options"]["addons_path"].split(",")
        if Path(path.strip()).resolve() != REPO.resolve()
    ]
    assert addons_path and not any(str(REPO) in path for path in addons_path)
    config["options"]["addons_path"] = ",".join(addons_path)
    config["options"]["data_dir"] = str(tmp_path / "data")
    path = tmp_path / "odoo.conf"
    with path.open("w") as conf:
        config.write(conf)
    return str(path)


def test_odoo_installs_the_addons_from_the_wheels(site, tmp_path):
    # Namespace packages both: an __init__.py here would hide Odoo's own addons.
    assert not (site / "odoo" / "__init__.py").exists()
    assert not (site / "odoo" / "addons" / "__init__.py").exists()
    conf = scratch_config(tmp_path)
    # Odoo's tree and the wheels on sys.path, nothing of the repo.
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{ODOO_PATH}"}
    db = f"{TEST_DB}_wheel"
    odoo_bin("db", "drop", db, check=False, conf=conf)
    try:
        odoo_bin(
            "-d",
            db,
            "-i",
            ",".join(WHEEL_ADDONS),
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
            conf=conf,
            env=env,
        )
        out = odoo_shell(
            db,
            f"""
import json, sys
import odoo
from odoo.modules.module import get_module_path
addons = {WHEEL_ADDONS!r}
modules = env['ir.module.module'].search([('name', 'in', addons)])
print('WHEELS' + json.dumps({{
    'state': {{module.name: module.state for module in modules}},
    'path': {{addon: get_module_path(addon) for addon in addons}},
    'code': {{addon: getattr(sys.modules.get('odoo.addons.' + addon), '__file__', None)
             for addon in addons}},
    'addons_path': list(odoo.addons.__path__),
    'demo': env['ir.module.module'].search([('name', '=', 'base')]).demo,
}}))
""",
            conf=conf,
            env=env,
        )
    finally:
        odoo_bin("db", "drop", db, check=False, conf=conf)
    found = json.loads(out.split("WHEELS", 1)[1].splitlines()[0])
    assert found["state"] == dict.fromkeys(WHEEL_ADDONS, "installed")
    for addon in WHEEL_ADDONS:
        assert found["path"][addon] == str(site / "odoo" / "addons" / addon)
        assert found["code"][addon] == str(site / "odoo" / "addons" / addon / "__init__.py")
    assert not [path for path in found["addons_path"] if str(REPO) in path]
    assert found["demo"] is False
