"""The pieces of `overgang serve` that need no server: its options, the address links in
e-mails point to, and how it runs its processes as one."""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from overgang.serving import supervisor
from overgang.serving.management.commands.serve import Command


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"port": 0}, "--port 0: a port is a number from 1 to 65535."),
        ({"port": 70000}, "--port 70000: a port is a number from 1 to 65535."),
        ({"bind": "localhost"}, "--bind 'localhost': give host:port"),
        ({"bind": "::1:8000"}, "--bind '::1:8000': an IPv6 address goes in brackets"),
        (
            {"bind": "unix:/tmp/x.sock", "dev": True},
            "--bind 'unix:/tmp/x.sock': --dev listens on host:port only",
        ),
    ],
)
def test_a_bad_address_is_refused_with_the_option_named(options, message):
    with pytest.raises(CommandError, match=f"^{message}".replace("(", r"\(").replace("[", r"\[")):
        call_command("serve", **options)


@pytest.mark.parametrize(
    ("bind", "url"),
    [
        ("127.0.0.1:8150", "http://127.0.0.1:8150"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("unix:/run/overgang.sock", None),
    ],
)
def test_links_point_to_where_overgang_is_served(bind, url, monkeypatch):
    monkeypatch.delenv("OVERGANG_BASE_URL", raising=False)
    assert Command._environment(bind, dev=False).get("OVERGANG_BASE_URL") == url


def test_on_every_interface_links_name_the_machine(monkeypatch):
    monkeypatch.delenv("OVERGANG_BASE_URL", raising=False)
    monkeypatch.setattr(socket, "getfqdn", lambda: "overgang-1.example.org")
    env = Command._environment("0.0.0.0:8000", dev=False)
    assert env["OVERGANG_BASE_URL"] == "http://overgang-1.example.org:8000"


def test_the_operators_base_url_wins(monkeypatch):
    monkeypatch.setenv("OVERGANG_BASE_URL", "https://overgang.example.org")
    env = Command._environment("127.0.0.1:8150", dev=False)
    assert env["OVERGANG_BASE_URL"] == "https://overgang.example.org"


def test_served_logs_are_json_and_static_files_hashed_unless_the_operator_says(monkeypatch):
    for name in ("OVERGANG_LOG_FORMAT", "OVERGANG_STATIC_HASHED"):
        monkeypatch.delenv(name, raising=False)
    env = Command._environment("127.0.0.1:8000", dev=False)
    assert (env["OVERGANG_LOG_FORMAT"], env["OVERGANG_STATIC_HASHED"]) == ("json", "1")
    dev = Command._environment("127.0.0.1:8000", dev=True)
    assert "OVERGANG_LOG_FORMAT" not in dev and "OVERGANG_STATIC_HASHED" not in dev
    monkeypatch.setenv("OVERGANG_LOG_FORMAT", "text")
    assert Command._environment("127.0.0.1:8000", dev=False)["OVERGANG_LOG_FORMAT"] == "text"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_when_one_process_ends_the_other_is_stopped_and_the_whole_fails(tmp_path: Path, capsys):
    pid_file = tmp_path / "pid"
    sleeper = (
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(600)"
    )
    quitter = "import time; time.sleep(2); raise SystemExit(3)"
    started = time.monotonic()
    status = supervisor.run_together(
        {
            "the sleeper": [sys.executable, "-c", sleeper],
            "the quitter": [sys.executable, "-c", quitter],
        },
        os.environ,
    )
    assert status == 1
    assert time.monotonic() - started < 30
    assert not _alive(int(pid_file.read_text()))
    assert capsys.readouterr().err == (
        "overgang serve: the quitter stopped by itself (exit status 3); the sleeper stopped too.\n"
    )
