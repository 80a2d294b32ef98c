"""Overgang as docs/deployment.md deploys it, in processes on this machine: app servers
(gunicorn with overgang/serving/gunicorn_config.py) and background workers (`overgang
worker`) sharing one PostgreSQL database of their own, made for the test and dropped after.

Every process started here is stopped when its `Processes` block is left, also when the
test fails half-way.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.serving.scale_out_seed import MARK
from tests.serving.served import BIN, ROOT, command_env, free_port

STARTUP_SECONDS = 90


def overgang(env: dict[str, str], *args: str) -> str:
    """`overgang <args>` to the end; its output. A failure shows what it said."""
    done = subprocess.run(
        [str(BIN / "python"), "-m", "overgang", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, f"overgang {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def seed(env: dict[str, str]) -> dict[str, Any]:
    """Fill the migrated database with tests/serving/scale_out_seed.py's people."""
    code = "from tests.serving.scale_out_seed import seed; seed()"
    output = overgang(env, "shell", "--no-imports", "-c", code)
    line = next(line for line in output.splitlines() if line.startswith(MARK))
    found: dict[str, Any] = json.loads(line.removeprefix(MARK))
    return found


@dataclass
class Process:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def assert_running(self) -> None:
        assert self.process.poll() is None, f"{self.name} stopped:\n{self.output()}"


@dataclass
class AppServer(Process):
    url: str

    def call(self, method: str, path: str, body: Any = None, token: str = "") -> tuple[int, Any]:
        """One API call: the status and the JSON answer (also of a refusal), or the text of
        an answer that is not JSON (a server error's page)."""
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept-Language": "en"}
            | ({"Authorization": f"Bearer {token}"} if token else {}),
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, _body(response.read())
        except urllib.error.HTTPError as error:
            return error.code, _body(error.read())


def _body(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return raw.decode(errors="replace")[:500]


class Processes:
    """The deployment's processes, started with one environment and logging into one
    folder. Leaving the `with` block stops them all: SIGTERM to every one at once (as
    systemd or an orchestrator stops them), then SIGKILL to any still there after the grace
    period. Also when the test failed half-way."""

    GRACE_SECONDS = 25  # gunicorn_config's graceful_timeout, and a little more

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder
        self.started: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.started:
            process.terminate()
        deadline = time.monotonic() + self.GRACE_SECONDS
        for process in self.started:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _start(
        self, name: str, command: list[str], **env: str
    ) -> tuple[subprocess.Popen[bytes], Path]:
        log = self.folder / f"{name}.log"
        # A file, not a pipe: a pipe nobody reads fills up and stops the process.
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=self.env | env, stdout=out, stderr=subprocess.STDOUT
            )
        self.started.append(process)
        return process, log

    def app_server(self, name: str) -> AppServer:
        """gunicorn as deploy/systemd/overgang-web.service runs it, on a free port."""
        port = free_port()
        command = [str(BIN / "gunicorn"), "-c", "python:overgang.serving.gunicorn_config"]
        process, log = self._start(
            name,
            command,
            OVERGANG_BIND=f"127.0.0.1:{port}",
            # One folder per server (docs/operations.md), and not the checkout's var/.
            OVERGANG_METRICS_DIR=str(self.folder / f"{name}-metrics"),
        )
        return AppServer(name, process, log, f"http://127.0.0.1:{port}")

    def worker(self, name: str) -> Process:
        """`overgang worker`, as deploy/systemd/overgang-worker@.service runs it."""
        process, log = self._start(name, [str(BIN / "overgang"), "worker"])
        return Process(name, process, log)


def wait_until_ready(servers: list[AppServer], workers: list[Process]) -> None:
    """Each server answers /readyz with 200 and each worker has said it started."""
    deadline = time.monotonic() + STARTUP_SECONDS
    waiting: list[Process] = [*servers, *workers]
    while waiting:
        assert time.monotonic() < deadline, f"not ready in {STARTUP_SECONDS} s: " + ", ".join(
            f"{p.name}:\n{p.output()}" for p in waiting
        )
        for each in list(waiting):
            each.assert_running()
            if _ready(each):
                waiting.remove(each)
        time.sleep(0.2)


def _ready(process: Process) -> bool:
    if not isinstance(process, AppServer):
        return "Worker started" in process.output()
    try:
        return process.call("GET", "/readyz")[0] == 200
    except OSError:  # not listening yet
        return False


def environment(database_url: str, folder: Path, **extra: str) -> dict[str, str]:
    """What every process of the deployment shares: the database, the secret key (a token or
    session made by one server is good at the others), and where e-mails and standard
    messages go (folders of the test, never var/)."""
    return command_env(
        database_url,
        OVERGANG_SECRET_KEY="scale-out-" + "k" * 50,
        OVERGANG_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        OVERGANG_EMAIL_FILE_PATH=str(folder / "mail"),
        OVERGANG_OUTBOX_DIR=str(folder / "outbox"),
        **extra,
    )
