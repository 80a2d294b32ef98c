"""Patient search over HTTP, on SQLite and on PostgreSQL: `make bench`.

For each database this builds (or reuses) a bench database with the demo plus
`--patients` more patients, starts the app on a free port of 127.0.0.1 (Django's
threaded server, see serve_app; `--server runserver` for `overgang runserver` as
it is), and times patient searches one request after another (one client),
through the API (bearer token) and through the patient list page (session
login), for users with different scopes. Results go to
bench/results/search-<database>.json; the table says PASS/FAIL against the
target (p95 ≤ 50 ms) for PostgreSQL.

    python -m bench.search                    both databases, 100,000 extra patients
    python -m bench.search --patients 2000    a quick run on a small database
    python -m bench.search --sqlite-only      without PostgreSQL
    python -m bench.search --rebuild          build the bench databases afresh
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import math
import os
import platform
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
# The smoke run of `make test` (bench/smoke.py) points these elsewhere, so that a tiny run
# neither overwrites the recorded figures nor reuses the full-size bench databases.
VAR_DIR = Path(os.environ.get("OVERGANG_BENCH_VAR", ROOT / "var"))
RESULTS_DIR = Path(
    os.environ.get("OVERGANG_BENCH_RESULTS", Path(__file__).resolve().parent / "results")
)
HOST = "127.0.0.1"

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = os.environ.get("OVERGANG_BENCH_DB", "overgang_bench")

TARGET_P95_MS = 50.0
TARGET_DATABASE = "postgresql"

# (username, scope): the demo users of overgang.demo.users, from the narrowest scope up.
USERS = (
    ("oslo-frogner", "district"),
    ("tromso-case", "municipality"),
    ("ous-clinician", "hospital catchment"),
    ("admin", "everything"),
)
# What people type: the start of common given and family names (overgang.demo.people),
# one with a non-ASCII letter, and a given name with the start of a family name.
NAME_QUERIES = ("han", "nordm", "kari", "ol", "sø", "kari nordm")
ID_SAMPLES = 10  # existing national IDs per user, spread over the user's scope
INTERFACES = ("api", "html")
KINDS = ("name", "national_id")

SERVER_START_SECONDS = 60.0
REQUEST_TIMEOUT_SECONDS = 30.0
PROBE_MARK = "BENCH-PROBE "
PROBE = f"""
import json
from django.contrib.auth.models import User
from overgang.demo.management.commands.demo import DEMO_PATIENTS
from overgang.demo.users import DEMO_PASSWORD
from overgang.patients.models import Patient
users = User.objects.filter(username__in={[u for u, _ in USERS]!r})
print({PROBE_MARK!r} + json.dumps({{
    "patients": Patient.objects.count(),
    "demo_patients": DEMO_PATIENTS,
    "password": DEMO_PASSWORD,
    "users": sorted(users.values_list("username", flat=True)),
}}))
"""


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


# What stops a benchmark with one line `bench: <why>` rather than a traceback: its own
# errors, and the server, the database or the network failing under it.
STOPPED_BY = (BenchError, OSError, http.client.HTTPException, psycopg.Error)


# Databases


class Database:
    name = ""
    label = ""
    url = ""

    def exists(self) -> bool:
        raise NotImplementedError

    def reset(self) -> None:
        """Drop the bench database and leave an empty one."""
        raise NotImplementedError

    def after_build(self) -> None:
        """Bring a freshly loaded database to its steady state."""

    def version(self) -> str:
        raise NotImplementedError


class SQLite(Database):
    name = "sqlite"
    label = "SQLite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"

    def exists(self) -> bool:
        return self.path.exists()

    def reset(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def version(self) -> str:
        # The server runs under this same interpreter, so it links the same library.
        return sqlite3.sqlite_version


class PostgreSQL(Database):
    name = "postgresql"
    label = "PostgreSQL"

    def __init__(self, admin_url: str, dbname: str) -> None:
        self.admin_url = admin_url
        self.dbname = dbname
        self.url = admin_url.rsplit("/", 1)[0] + "/" + dbname

    def unreachable(self) -> str | None:
        """None when the server answers, else why not."""
        try:
            with psycopg.connect(self.admin_url, connect_timeout=5):
                return None
        except psycopg.Error as error:
            return str(error).strip() or type(error).__name__

    def exists(self) -> bool:
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (self.dbname,)
            ).fetchone()
        return found is not None

    def reset(self) -> None:
        name = sql.Identifier(self.dbname)
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))

    def after_build(self) -> None:
        # Autovacuum would get there on its own within a minute or so; a running
        # installation has statistics and a visibility map, so measure with them.
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE)")

    def version(self) -> str:
        with psycopg.connect(self.url) as connection:
            row = connection.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"


def unreachable_told(database: PostgreSQL, hint: str = "") -> bool:
    """True, having said so on stderr, when the bench's PostgreSQL cannot be reached."""
    why = database.unreachable()
    if why is None:
        return False
    print(
        f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {why}\n"
        f"Start it (user postgres, trust authentication on 127.0.0.1:5432){hint}.",
        file=sys.stderr,
    )
    return True


def machine() -> dict[str, Any]:
    """The machine a result was measured on, for every benchmark's results file."""
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        # Other work on the machine shows in the figures; this says how much there was.
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def app_env(database: Database) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=database.url, OVERGANG_DEBUG="0", OVERGANG_ALLOWED_HOSTS=HOST)
    return env


def overgang(database: Database, *args: str, capture: bool = False) -> str:
    """Run `overgang <args>` against `database`; its output goes to ours unless captured."""
    done = subprocess.run(
        [sys.executable, "-m", "overgang", *args],
        cwd=ROOT,
        env=app_env(database),
        check=False,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    if done.returncode != 0:
        raise BenchError(f"overgang {' '.join(args)} failed (exit {done.returncode})")
    return done.stdout or ""


@dataclass(frozen=True)
class Contents:
    patients: int
    demo_patients: int
    password: str
    users: list[str]


def probe(database: Database) -> Contents:
    output = overgang(database, "shell", "--no-imports", "-c", PROBE, capture=True)
    for line in output.splitlines():
        if line.startswith(PROBE_MARK):
            return Contents(**json.loads(line.removeprefix(PROBE_MARK)))
    raise BenchError(f"No answer from the probe of the {database.label} database: {output!r}")


def prepare(database: Database, *, patients: int, rebuild: bool) -> Contents:
    """The bench database with the demo and `patients` more; reused when it already is."""
    if not rebuild and database.exists():
        overgang(database, "migrate", "--no-input", "--verbosity", "0")
        contents = probe(database)
        wanted = contents.demo_patients + patients
        if contents.patients == wanted and len(contents.users) == len(USERS):
            print(f"Reusing the {database.label} bench database ({contents.patients:,} patients).")
            return contents
        print(
            f"The {database.label} bench database has {contents.patients:,} patients, "
            f"not {wanted:,}: building it again."
        )
    print(f"Building the {database.label} bench database ({database.url}).")
    started = time.perf_counter()
    database.reset()
    overgang(database, "migrate", "--no-input", "--verbosity", "0")
    overgang(database, "demo")
    if patients:
        overgang(database, "demo", "--scale", str(patients))
    database.after_build()
    print(f"Built in {time.perf_counter() - started:.0f} s.")
    return probe(database)


# The server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe_socket:
        probe_socket.bind((HOST, 0))
        port: int = probe_socket.getsockname()[1]
        return port


SERVERS = {
    "wsgi": "Django's threaded WSGI server (as runserver) with TCP_NODELAY, one process",
    "runserver": "overgang runserver --noreload --insecure",
}


def server_command(server: str, port: int) -> list[str]:
    if server == "runserver":
        return [
            *(sys.executable, "-m", "overgang", "runserver", "--noreload", "--insecure"),
            f"{HOST}:{port}",
        ]
    return [sys.executable, "-c", f"from bench.search import serve_app; serve_app({port})"]


def serve_app(port: int) -> None:
    """Serve the app as `overgang runserver` does, but with TCP_NODELAY on each connection.

    The development server writes the headers and the body of an answer in two sends;
    with Nagle's algorithm on, the body waits for the client's (delayed) ACK of the
    headers, which adds about 40 ms to every answer on a kept-alive connection. Real
    WSGI servers (gunicorn, uWSGI) and proxies switch Nagle off; so does this one.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings")
    from django.core.servers.basehttp import WSGIServer, get_internal_wsgi_application, run

    class NoDelayServer(WSGIServer):
        def get_request(self) -> tuple[socket.socket, Any]:
            connection, address = super().get_request()
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return connection, address

    run(HOST, port, get_internal_wsgi_application(), threading=True, server_cls=NoDelayServer)


@contextmanager
def serve(database: Database, server: str, log_path: Path) -> Iterator[int]:
    """The app on a free port; yields the port once it answers, and stops it after."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            server_command(server, port),
            cwd=ROOT,
            env=app_env(database),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(process, port, log_path)
            yield port
        finally:
            stop(process)


def wait_until_up(process: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(
                f"The server stopped (exit {process.returncode}); see {log_path}:\n"
                + log_path.read_text(errors="replace")[-2000:]
            )
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            connection.request("GET", "/login/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise BenchError(
        f"The server did not answer within {SERVER_START_SECONDS:.0f} s; see {log_path}"
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# The client


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    """One keep-alive connection to the server, with its cookies and default headers."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def request(
        self, method: str, path: str, body: str | bytes | None = None, content_type: str = ""
    ) -> Response:
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    HOST, self.port, timeout=REQUEST_TIMEOUT_SECONDS
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                answer = self.connection.getresponse()
                data = answer.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a kept-alive connection: once more on a new one.
                self.close()
                if attempt == 2:
                    raise
                continue
            for value in answer.headers.get_all("Set-Cookie") or ():
                self._keep_cookies(value)
            if answer.will_close:
                self.close()
            return Response(answer.status, data)
        raise AssertionError("unreachable")

    def _keep_cookies(self, header: str) -> None:
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel.value and morsel["max-age"] != "0":
                self.cookies[name] = morsel.value
            else:
                self.cookies.pop(name, None)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def api_client(port: int, username: str, password: str) -> Client:
    client = Client(port)
    body = json.dumps({"username": username, "password": password})
    answer = client.request("POST", "/api/v1/auth/token", body, "application/json")
    if answer.status != 200:
        raise BenchError(f"No API token for {username}: HTTP {answer.status} {answer.body[:200]!r}")
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return client


def page_client(port: int, username: str, password: str) -> Client:
    """Logged in through the login form, as a browser would be."""
    client = Client(port)
    form = client.get("/login/")
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    if form.status != 200 or found is None:
        raise BenchError(f"No login form: HTTP {form.status}")
    fields = {
        "csrfmiddlewaretoken": found.group(1).decode(),
        "username": username,
        "password": password,
        "next": "/patients/",
    }
    answer = client.request(
        "POST", "/login/", urllib.parse.urlencode(fields), "application/x-www-form-urlencoded"
    )
    if answer.status != 302 or "sessionid" not in client.cookies:
        raise BenchError(f"{username} could not log in through the form: HTTP {answer.status}")
    return client


def search_path(interface: str, query: str) -> str:
    encoded = urllib.parse.urlencode({"q": query})
    return f"/api/v1/patients?{encoded}" if interface == "api" else f"/patients/?{encoded}"


def sample_national_ids(client: Client, count: int) -> list[str]:
    """`count` Norwegian (11-digit) national IDs the client's user may see, spread over the
    user's whole scope rather than the first page."""
    total = client.get("/api/v1/patients?limit=1").json()["count"]
    found: list[str] = []
    for k in range(count):
        offset = total * k // count
        page = client.get(f"/api/v1/patients?limit=50&offset={offset}").json()["results"]
        fresh = [p["national_id"] for p in page if len(p["national_id"]) == 11]
        fresh = [number for number in fresh if number not in found]
        if fresh:
            found.append(fresh[0])
    if not found:
        raise BenchError("No patient with an 11-digit national ID in scope.")
    return found


def id_queries(national_ids: Sequence[str]) -> list[tuple[str, str]]:
    """Each ID whole and its first six digits (the birth date): (label, query)."""
    queries: list[tuple[str, str]] = []
    for number in national_ids:
        queries += [("full ID", number), ("birth date", number[:6])]
    return queries


# Figures


def percentile(ascending: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    rank = max(1, math.ceil(p / 100 * len(ascending)))
    return ascending[rank - 1]


@dataclass(frozen=True)
class Figures:
    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    requests_per_s: float

    @classmethod
    def of(cls, timings_ms: Sequence[float], seconds: float) -> Figures:
        ascending = sorted(timings_ms)
        return cls(
            requests=len(ascending),
            p50_ms=round(percentile(ascending, 50), 2),
            p95_ms=round(percentile(ascending, 95), 2),
            p99_ms=round(percentile(ascending, 99), 2),
            max_ms=round(ascending[-1], 2),
            mean_ms=round(sum(ascending) / len(ascending), 2),
            requests_per_s=round(len(ascending) / seconds, 1),
        )


@dataclass
class Line:
    interface: str
    user: str
    scope: str
    kind: str
    seconds: float
    timings_ms: list[float] = field(repr=False)
    labels: list[str] = field(repr=False)
    errors: int = 0
    first_error: str = ""

    @property
    def figures(self) -> Figures:
        return Figures.of(self.timings_ms, self.seconds)

    def by_query(self) -> dict[str, Figures]:
        """Figures per query (per kind of query, for national IDs)."""
        grouped: dict[str, list[float]] = {}
        for label, ms in zip(self.labels, self.timings_ms, strict=True):
            grouped.setdefault(label, []).append(ms)
        # Their share of the line's time stands in for their own wall time.
        return {
            label: Figures.of(times, self.seconds * sum(times) / sum(self.timings_ms))
            for label, times in grouped.items()
        }


def measure(
    client: Client,
    interface: str,
    user: str,
    scope: str,
    kind: str,
    queries: Sequence[tuple[str, str]],
    *,
    warmup: int,
    requests: int,
) -> Line:
    paths = [(label, search_path(interface, query)) for label, query in queries]
    for i in range(warmup):
        label, path = paths[i % len(paths)]
        answer = client.get(path)
        if answer.status != 200:
            raise BenchError(f"{interface} {user} {path}: HTTP {answer.status} in the warm-up")
        if interface == "api" and label == "full ID" and answer.json()["count"] != 1:
            raise BenchError(f"{user} {path}: expected exactly one patient")
    line = Line(interface, user, scope, kind, 0.0, [], [])
    started = time.perf_counter()
    for i in range(requests):
        label, path = paths[i % len(paths)]
        before = time.perf_counter()
        answer = client.get(path)
        line.timings_ms.append((time.perf_counter() - before) * 1000)
        line.labels.append(label)
        if answer.status != 200:
            line.errors += 1
            line.first_error = line.first_error or f"{path}: HTTP {answer.status}"
    line.seconds = time.perf_counter() - started
    return line


def run_searches(port: int, password: str, *, warmup: int, requests: int) -> list[Line]:
    lines: list[Line] = []
    for user, scope in USERS:
        clients: dict[str, Client] = {}
        try:
            clients["api"] = api_client(port, user, password)
            clients["html"] = page_client(port, user, password)
            queries = {
                "name": [(q, q) for q in NAME_QUERIES],
                "national_id": id_queries(sample_national_ids(clients["api"], ID_SAMPLES)),
            }
            for interface in INTERFACES:
                for kind in KINDS:
                    line = measure(
                        clients[interface],
                        interface,
                        user,
                        scope,
                        kind,
                        queries[kind],
                        warmup=warmup,
                        requests=requests,
                    )
                    lines.append(line)
                    figures = line.figures
                    print(
                        f"  {interface:<4} {user:<14} {kind:<11} "
                        f"p95 {figures.p95_ms:7.1f} ms  ({figures.requests_per_s:.0f} req/s)",
                        flush=True,
                    )
        finally:
            for client in clients.values():
                client.close()
    return lines


def aggregate(lines: Sequence[Line], interface: str, kind: str) -> Line:
    chosen = [x for x in lines if x.kind == kind and interface in (x.interface, "all")]
    return Line(
        interface=interface,
        user="all",
        scope="",
        kind=kind,
        seconds=sum(x.seconds for x in chosen),
        timings_ms=[ms for x in chosen for ms in x.timings_ms],
        labels=[label for x in chosen for label in x.labels],
        errors=sum(x.errors for x in chosen),
    )


def verdict(database: Database, line: Line) -> str:
    if database.name != TARGET_DATABASE:
        return ""
    return "PASS" if line.errors == 0 and line.figures.p95_ms <= TARGET_P95_MS else "FAIL"


def summary_lines(lines: Sequence[Line]) -> list[Line]:
    return [
        aggregate(lines, interface, kind) for interface in (*INTERFACES, "all") for kind in KINDS
    ]


# Output


def line_record(database: Database, line: Line, *, with_queries: bool) -> dict[str, Any]:
    record: dict[str, Any] = {
        "interface": line.interface,
        "user": line.user,
        "scope": line.scope,
        "kind": line.kind,
        **asdict(line.figures),
        "errors": line.errors,
    }
    if line.first_error:
        record["first_error"] = line.first_error
    if verdict(database, line):
        record["target"] = verdict(database, line)
    if with_queries:
        record["by_query"] = {label: asdict(f) for label, f in line.by_query().items()}
    return record


def write_results(
    database: Database,
    contents: Contents,
    lines: Sequence[Line],
    *,
    server: str,
    warmup: int,
    requests: int,
) -> Path:
    result = {
        "benchmark": "patient search over HTTP, one client, requests one after another",
        "database": database.name,
        "database_version": database.version(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "server": SERVERS[server],
        "patients": contents.patients,
        "warmup_per_line": warmup,
        "requests_per_line": requests,
        "name_queries": list(NAME_QUERIES),
        "national_id_queries": f"{ID_SAMPLES} existing IDs per user, whole and first 6 digits",
        "target": {"p95_ms": TARGET_P95_MS, "database": TARGET_DATABASE},
        "lines": [line_record(database, x, with_queries=True) for x in lines],
        "summary": [line_record(database, x, with_queries=False) for x in summary_lines(lines)],
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"search-{database.name}.json"
    partial = path.with_suffix(".json.tmp")
    partial.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    partial.replace(path)
    return path


def print_table(
    database: Database, contents: Contents, lines: Sequence[Line], *, server: str
) -> None:
    target = f"; target p95 ≤ {TARGET_P95_MS:.0f} ms" if database.name == TARGET_DATABASE else ""
    print()
    print(
        f"{database.label} {database.version()}, {contents.patients:,} patients, "
        f"{os.cpu_count()} cores{target}"
    )
    print(f"Server: {SERVERS[server]}")
    header = (
        f"{'interface':<9} {'user':<14} {'scope':<18} {'kind':<11} {'n':>5} "
        f"{'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'req/s':>7}  {'':4}"
    )
    print(header)
    print("-" * len(header))
    for group in (lines, summary_lines(lines)):
        for line in group:
            f = line.figures
            errors = f"  {line.errors} errors ({line.first_error})" if line.errors else ""
            print(
                f"{line.interface:<9} {line.user:<14} {line.scope:<18} {line.kind:<11} "
                f"{f.requests:>5} {f.p50_ms:>7.1f} {f.p95_ms:>7.1f} {f.p99_ms:>7.1f} "
                f"{f.max_ms:>7.1f} {f.requests_per_s:>7.0f}  {verdict(database, line):4}{errors}"
            )
        print("-" * len(header))
    print("Times in milliseconds, from sending the request to the last byte of the answer.")


# Main


def run(database: Database, args: argparse.Namespace) -> list[Line]:
    contents = prepare(database, patients=args.patients, rebuild=args.rebuild)
    log_path = VAR_DIR / f"bench-server-{database.name}.log"
    print(f"Searching on {database.label} ({contents.patients:,} patients):", flush=True)
    with serve(database, args.server, log_path) as port:
        lines = run_searches(port, contents.password, warmup=args.warmup, requests=args.requests)
    path = write_results(
        database, contents, lines, server=args.server, warmup=args.warmup, requests=args.requests
    )
    print_table(database, contents, lines, server=args.server)
    print(f"Written to {path}")
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument(
        "--patients",
        type=int,
        default=100_000,
        metavar="N",
        help="patients added to the demo's own (default 100000)",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the bench databases afresh")
    parser.add_argument("--sqlite-only", action="store_true", help="leave PostgreSQL out")
    parser.add_argument("--postgresql-only", action="store_true", help="leave SQLite out")
    parser.add_argument(
        "--requests", type=int, default=200, metavar="N", help="timed requests per line (200)"
    )
    parser.add_argument(
        "--warmup", type=int, default=20, metavar="N", help="untimed requests per line first (20)"
    )
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default="wsgi",
        help="wsgi: Django's server with TCP_NODELAY (default); runserver: as it is",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 2 when a line misses the target"
    )
    args = parser.parse_args(argv)
    if args.patients < 0 or args.requests < 1 or args.warmup < 0:
        parser.error("--patients and --warmup cannot be negative, --requests must be positive")
    if args.sqlite_only and args.postgresql_only:
        parser.error("--sqlite-only and --postgresql-only exclude each other")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    databases: list[Database] = []
    if not args.postgresql_only:
        databases.append(SQLite(VAR_DIR / "bench.sqlite3"))
    if not args.sqlite_only:
        postgresql = PostgreSQL(PG_ADMIN_URL, PG_BENCH_DB)
        if unreachable_told(postgresql, ", or run with --sqlite-only"):
            return 1
        databases.append(postgresql)
    errors = misses = 0
    try:
        for database in databases:
            lines = run(database, args)
            errors += sum(x.errors for x in lines)
            misses += sum(verdict(database, x) == "FAIL" for x in (*lines, *summary_lines(lines)))
    except STOPPED_BY as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    if errors:
        print(f"{errors} requests failed.", file=sys.stderr)
        return 1
    if misses:
        print(f"{misses} lines miss the target p95 ≤ {TARGET_P95_MS:.0f} ms.")
        return 2 if args.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
