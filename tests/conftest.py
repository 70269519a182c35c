"""Helpers of the live-server tests: they drive real Odoo processes (odoo-bin) on the
databases that `make test` prepared, configured through the KI_* environment."""

import os
import subprocess

import pytest

ODOO_PATH = os.environ.get("KI_ODOO_PATH", "/opt/odoo")
ODOO_CONF = os.environ.get("KI_ODOO_CONF")
PYTHON = os.environ.get("KI_PYTHON", "python3")
TEST_DB = os.environ.get("KI_TEST_DB", "ki_test")


def odoo_bin(*args, timeout=600, check=True):
    """Run odoo-bin with the test configuration and return the finished process."""
    if not ODOO_CONF:
        pytest.skip("KI_ODOO_CONF is not set: run the suite through `make test`")
    cmd = [PYTHON, f"{ODOO_PATH}/odoo-bin"]
    if args and not args[0].startswith("-"):  # a subcommand (shell, db, ...) comes first
        cmd += [args[0], "-c", ODOO_CONF, *args[1:]]
    else:
        cmd += ["-c", ODOO_CONF, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode:
        output = f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output}")
    return proc


def odoo_shell(db, code, timeout=600):
    """Run Python code in `odoo-bin shell` on ``db``; what it prints is returned."""
    proc = subprocess.run(
        [
            PYTHON,
            f"{ODOO_PATH}/odoo-bin",
            "shell",
            "-c",
            ODOO_CONF,
            "-d",
            db,
            "--no-http",
            "--log-level=warn",
        ],
        input=code,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode:
        raise AssertionError(f"odoo shell failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


@pytest.fixture
def scratch_db():
    """A database name of our own, dropped afterwards."""
    name = f"{TEST_DB}_scratch"
    odoo_bin("db", "drop", name, check=False)
    yield name
    odoo_bin("db", "drop", name, check=False)
