"""Helpers of the live-server tests: they drive real Odoo processes (odoo-bin) on the
databases that `make test` prepared, configured through the KI_* environment."""

import atexit
import contextlib
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The repo's addons: the app and its bridges (kommune_interkulturell_<odoo app>).
REPO_ADDONS = sorted(
    path.name
    for path in REPO.glob("kommune_interkulturell*")
    if (path / "__manifest__.py").is_file()
)
ODOO_PATH = os.environ.get("KI_ODOO_PATH", "/opt/odoo")
ODOO_CONF = os.environ.get("KI_ODOO_CONF")
PYTHON = os.environ.get("KI_PYTHON", "python3")
TEST_DB = os.environ.get("KI_TEST_DB", "ki_test")


def odoo_bin(*args, timeout=600, check=True, conf=None, env=None, detached=False):
    """Run odoo-bin with the test configuration and return the finished process.

    ``conf`` replaces the test configuration file, ``env`` the process's environment;
    ``detached`` runs it outside this process's children (see :func:`run_detached`).
    """
    if not ODOO_CONF:
        pytest.skip("KI_ODOO_CONF is not set: run the suite through `make test`")
    conf = conf or ODOO_CONF
    cmd = [PYTHON, f"{ODOO_PATH}/odoo-bin"]
    if args and not args[0].startswith("-"):  # a subcommand (shell, db, ...) comes first
        cmd += [args[0], "-c", conf, *args[1:]]
    else:
        cmd += ["-c", conf, *args]
    if detached:
        proc = run_detached(cmd, timeout=timeout, env=env)
    else:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    if check and proc.returncode:
        output = f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output}")
    return proc


# Forks, and the fork runs the command and writes its exit status; the launcher itself
# exits at once, so that the fork is adopted by init, not by pytest.
_DETACH = """
import os, subprocess, sys
if os.fork():
    os._exit(0)
out, err, status, *cmd = sys.argv[1:]
with open(out, "w") as stdout, open(err, "w") as stderr:
    code = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr).returncode
with open(status + ".part", "w") as part:
    part.write(str(code))
os.rename(status + ".part", status)
"""
_detached_groups = set()


@atexit.register
def _stop_detached_runs():
    """An interrupted suite stops the runs it left behind."""
    for group in list(_detached_groups):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)


def _group_alive(group):
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def run_detached(cmd, timeout, env=None):
    """Run ``cmd`` to its end like ``subprocess.run(cmd, capture_output=True, text=True)``,
    but not as a child of this process.

    Odoo's test classes (BaseCase.setUpClass) end by terminating every child process of
    the process that ran them, a leftover browser in their view: under pytest-odoo that
    is pytest itself, so a long odoo-bin run pytest started in the background of the
    addons' tests received SIGTERM (odoo-bin then stops with KeyboardInterrupt, exit -2)
    as soon as a test class ended. Here the command runs in a session of its own under a
    forked launcher that init adopts; this process waits for the exit status it writes.

    The wait counts its one-second sleeps instead of reading a clock: the addons' tests
    freeze time (freezegun's ``freeze_time``, in pytest's main thread) while background
    runs wait in threads of their own, and while it is frozen freezegun's
    ``time.monotonic`` answers the frozen date's ticks (some 1.9e9 s, past any deadline)
    unless ``threading`` is among the caller's 5 innermost frames. Odoo's runner waited
    4 calls below ``Thread.run`` and read the real clock; the apps' install, 5 calls
    below, read the frozen one, took it for its timeout and killed its own process group
    (SIGKILL: no exit status, its PostgreSQL connection cut) whenever a check fell in a
    frozen test."""
    with tempfile.TemporaryDirectory(prefix="ki_detached_") as tmp:
        out, err, status = (Path(tmp, name) for name in ("out", "err", "status"))
        launcher = subprocess.Popen(
            [sys.executable, "-c", _DETACH, out, err, status, *cmd],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        launcher.wait()
        _detached_groups.add(launcher.pid)  # the session's process group
        try:
            for _second in range(math.ceil(timeout)):  # no clock: tests freeze it (see above)
                if status.exists():
                    break
                if not _group_alive(launcher.pid) and not status.exists():
                    # Killed from outside, launcher included: no status will come.
                    raise subprocess.CalledProcessError(
                        -signal.SIGKILL, cmd, output=out.read_text(), stderr=err.read_text()
                    )
                time.sleep(1)
            else:
                if not status.exists():
                    os.killpg(launcher.pid, signal.SIGKILL)
                    raise subprocess.TimeoutExpired(
                        cmd, timeout, output=out.read_text(), stderr=err.read_text()
                    )
        finally:
            _detached_groups.discard(launcher.pid)
        returncode = int(status.read_text())
        return subprocess.CompletedProcess(cmd, returncode, out.read_text(), err.read_text())


def odoo_shell(db, code, timeout=600, conf=None, env=None):
    """Run Python code in `odoo-bin shell` on ``db``; what it prints is returned.

    ``conf`` and ``env`` as for :func:`odoo_bin`.
    """
    proc = subprocess.run(
        [
            PYTHON,
            f"{ODOO_PATH}/odoo-bin",
            "shell",
            "-c",
            conf or ODOO_CONF,
            "-d",
            db,
            "--no-http",
            "--log-level=warn",
        ],
        input=code,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
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


def open_training(admin, name, seats):
    """An open training (registration open) with one session in three weeks, over RPC.

    :return: the training's id
    """
    from datetime import datetime, timedelta

    from .test_live_rpc import xmlid

    training = admin(
        "kommune.training",
        "create",
        [
            {
                "name": name,
                "seats_max": seats,
                "stage_id": xmlid(admin, "kommune_interkulturell.training_stage_open"),
            }
        ],
    )
    start = (datetime.now() + timedelta(days=20)).replace(microsecond=0)
    admin(
        "kommune.training.session",
        "create",
        [
            {
                "training_id": training,
                "start": f"{start:%Y-%m-%d %H:%M:%S}",
                "stop": f"{start + timedelta(hours=3):%Y-%m-%d %H:%M:%S}",
            }
        ],
    )
    return training


LIVE_DB = os.environ.get("KI_LIVE_DB", "ki_test_live")


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """A real Odoo server process (odoo-bin) on the live test database."""

    def __init__(self, db=LIVE_DB, workers=0, smtp_port=None, extra_args=()):
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [
            PYTHON,
            f"{ODOO_PATH}/odoo-bin",
            "-c",
            ODOO_CONF,
            "-d",
            self.db,
            f"--db-filter=^{self.db}$",
            f"--http-port={self.port}",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--log-level=warn",
        ]
        if workers:
            args.append(f"--gevent-port={free_port()}")
        if smtp_port:
            args += ["--smtp=127.0.0.1", f"--smtp-port={smtp_port}"]
        args += list(extra_args)
        self.log_path = f"/tmp/ki_live_{self.port}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout=120):
        import time
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"Odoo exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/web/health", timeout=5) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"Odoo did not answer within {timeout} s:\n{self.log()}")

    def log(self):
        with open(self.log_path) as log:
            return log.read()[-5000:]

    def rpc(self, login="admin", password="admin"):
        return Rpc(self, login, password)

    def use_own_url(self):
        """Point the database's absolute links (mails, link tracker, personal links) at
        this server, as a production database's web.base.url points at its domain."""
        self.rpc()("ir.config_parameter", "set_param", ["web.base.url", self.url])
        return self

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


class Rpc:
    """XML-RPC client for one user: rpc("res.partner", "search", [[...]])."""

    def __init__(self, server, login, password):
        import xmlrpc.client

        self.server = server
        common = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(server.db, login, password, {})
        assert self.uid, f"could not log in as {login}"
        self.password = password
        self.models = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, args=(), **kwargs):
        return self.models.execute_kw(
            self.server.db, self.uid, self.password, model, method, list(args), kwargs
        )


@pytest.fixture(scope="session")
def live_server():
    """One threaded Odoo server for the session, on the live test database."""
    if not ODOO_CONF:
        pytest.skip("KI_ODOO_CONF is not set: run the suite through `make test`")
    server = LiveServer().wait_ready()
    yield server
    server.stop()


class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook name
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    yield sink
    sink.stop()
