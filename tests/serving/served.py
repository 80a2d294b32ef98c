"""Overgang served in a process of its own, as `make run` serves it, for the tests that need
a real server: how many database connections it holds, what it answers without a database,
that its worker runs beside it."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url_named(name: str) -> str:
    """DATABASE_URL with another database's name: the same server, user and password."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(name: str) -> None:
    """Drop the database `name` on the suite's PostgreSQL server, whoever is connected."""
    with _administration() as postgres:
        postgres.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database(suffix: str) -> Iterator[str]:
    """An empty database of its own on the suite's PostgreSQL server, named after the test
    database with `suffix` and owned by the suite's role (in CI not `postgres`); its URL.
    Dropped afterwards, also when the test fails half-way."""
    from django.db import connection

    name = f"{connection.settings_dict['NAME']}_{suffix}"
    drop_database(name)  # left by a run that was killed
    with _administration() as postgres:
        postgres.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url_named(name)
    finally:
        drop_database(name)


def _administration() -> psycopg.Connection[tuple[object, ...]]:
    """A connection to the server's `postgres` database, as the suite's role, where
    databases are created and dropped (a database cannot drop itself)."""
    from django.db import connection

    admin = {**connection.get_connection_params(), "dbname": "postgres", "autocommit": True}
    return psycopg.connect(**admin)


def url_of_the_test_database() -> str:
    """DATABASE_URL naming the test database pytest-django made of it."""
    from django.db import connection

    return database_url_named(connection.settings_dict["NAME"])


def make_run_command(port: int) -> list[str]:
    """The last line of `make run`'s recipe, the one that serves: the test serves as it does,
    and follows it when the way of serving changes."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = lines.index(next(line for line in lines if line.startswith("run:")))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip().lstrip("@"))
    words = shlex.split(recipe[-1].replace("$(BIN)", str(BIN)).replace("$(PORT)", str(port)))
    return words


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def command_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OVERGANG_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(DATABASE_URL=database_url, PYTHONUNBUFFERED="1", **extra)
    return env


@contextmanager
def serve(database_url: str, *, ready_path: str = "/login/", **env: str) -> Iterator[Served]:
    """Start the server on a free port and wait until it answers; stop it afterwards."""
    port = free_port()
    # A file, not a pipe: a pipe nobody reads fills up with the request log and stops the
    # server in the middle of a request.
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                make_run_command(port),
                cwd=ROOT,
                env=command_env(database_url, **env),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        served = Served(f"http://127.0.0.1:{port}", process, log)
        try:
            _wait_until_it_answers(served, ready_path)
            yield served
        finally:
            process.terminate()
            try:
                # gunicorn lets running requests end (overgang.serving.supervisor): on a
                # busy machine stopping takes a while, and killing it would leave orphans.
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_it_answers(served: Served, path: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise AssertionError(f"the server stopped:\n{served.output()}")
        try:
            with urllib.request.urlopen(served.url + path, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer within 90 s")
