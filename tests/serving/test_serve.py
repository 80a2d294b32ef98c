"""`overgang serve --with-worker`, as `make run` starts it: gunicorn answers, static files
come with their caching, the log is JSON lines, the worker tells a deadline's holder (with a
link to where Overgang is served), and stopping the command stops every process it started;
if the server cannot start, the worker does not stay behind."""

from __future__ import annotations

import json
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.serving.served import BIN, ROOT, Served, command_env, free_port, serve

# Few processes: the machine running the suite has other work.
SMALL = {"OVERGANG_WORKERS": "1", "OVERGANG_THREADS": "2"}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A migrated SQLite database, copied by each test that serves one."""
    path = tmp_path_factory.mktemp("template") / "overgang.sqlite3"
    subprocess.run(
        [str(BIN / "overgang"), "migrate", "--no-input"],
        cwd=ROOT,
        env=command_env(f"sqlite:///{path}"),
        check=True,
        capture_output=True,
        timeout=300,
    )
    return path


@pytest.fixture
def database(migrated, tmp_path) -> tuple[str, Path]:
    path = tmp_path / "overgang.sqlite3"
    shutil.copy(migrated, path)
    return f"sqlite:///{path}", path


def processes_using(database_url: str) -> list[str]:
    """The command lines of the running processes whose DATABASE_URL is this one."""
    marker = f"DATABASE_URL={database_url}\0".encode()
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (proc / "environ").read_bytes():
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue  # ended meanwhile, or not ours
    return found


def json_lines(output: str) -> list[dict[str, object]]:
    lines = []
    for line in output.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def get(served: Served, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(served.url + path, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, dict(answer.headers), answer.read().decode()


def test_make_run_serves_with_gunicorn_and_a_worker_that_stop_together(database):
    url, _ = database
    with serve(url, ready_path="/healthz", **SMALL) as server:
        status, headers, _ = get(server, "/healthz", **{"X-Request-ID": "serve-test-1"})
        assert status == 200
        assert headers["Server"] == "gunicorn"
        assert headers["X-Request-ID"] == "serve-test-1"

        _, _, login = get(server, "/login/")
        (stylesheet,) = re.findall(r'href="(/static/overgang/app\.[0-9a-f]{12}\.css)"', login)
        status, headers, css = get(server, stylesheet)
        assert status == 200 and "body" in css
        assert "immutable" in headers["Cache-Control"]
        assert "no-store" not in headers["Cache-Control"]

        running = processes_using(url)
        assert any("gunicorn" in command for command in running), running
        assert any(command.endswith("overgang worker ") for command in running), running
        time.sleep(1)  # the log line is written as the answer leaves
        logged = [line for line in json_lines(server.output()) if line.get("path") == "/healthz"]
        assert any(
            line["request_id"] == "serve-test-1" and line["status"] == 200 for line in logged
        ), server.output()
    assert server.process.returncode == 0, server.output()
    assert processes_using(url) == []


def _notifications_due(path: Path) -> int:
    with sqlite3.connect(path, timeout=20) as db:
        return int(db.execute("SELECT count(*) FROM stays_notification").fetchone()[0])


def test_a_deadline_that_is_due_reaches_its_holder_within_a_minute(database):
    url, path = database
    subprocess.run(
        [sys.executable, "-m", "tests.serving.overdue"],
        cwd=ROOT,
        env=command_env(url),
        check=True,
        timeout=300,
    )
    assert _notifications_due(path) == 0
    with serve(url, ready_path="/healthz", **SMALL) as server:
        # The worker sweeps at the start of every minute.
        ends = time.monotonic() + 75
        while time.monotonic() < ends and _notifications_due(path) == 0:
            time.sleep(1)
        assert _notifications_due(path) > 0, server.output()
        # The e-mail (printed by the console backend) links to where Overgang is served,
        # whatever the port. Quoted-printable breaks long lines with "=" at the end.
        while time.monotonic() < ends + 15 and "levanger-med@example.no" not in server.output():
            time.sleep(1)
        mails = server.output().replace("=\n", "")
        assert "To: levanger-med@example.no" in mails or "levanger-med@example.no" in mails
        assert f"{server.url}/worklist/" in mails, mails


def test_when_the_server_cannot_start_the_worker_is_stopped_and_the_command_fails(database):
    url, _ = database
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        run = subprocess.run(
            [str(BIN / "overgang"), "serve", "--with-worker", "--port", str(port)],
            cwd=ROOT,
            env=command_env(url, **SMALL),
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1] == (
        "overgang serve: the web server stopped by itself (exit status 1); the worker stopped too."
    ), run.stderr
    assert processes_using(url) == []
