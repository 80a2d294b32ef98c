"""The lines: each API list and single-object route beside its bare view, and the pages,
for each user, at CONNECTIONS connections at once."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

from bench.aids.common import connect
from bench.load.endpoints import (
    ADMIN_USER,
    CONNECTIONS,
    KEYS_PER_ROUTE,
    LIST_ROUTES,
    ONE_ROUTES,
    PAGE_ROWS,
    PAGES,
    TARGET_LIST_RATIO,
    TARGET_ONE_RATIO,
    TARGET_PAGE_P95_MS,
    USERS,
    bare_list,
    bare_one,
)
from bench.load.generator import Run, copies, hammer, side_by_side
from bench.search import BenchError, Client, PostgreSQL, api_client, page_client


@dataclass
class Line:
    kind: str  # list, one or page
    name: str
    user: str
    path: str
    api: Run
    bare: Run | None = None
    rows: int | None = None
    same_rows: bool | None = None  # the bare view answered the API's rows (admin only)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.bare is None:
            return None
        return self.api.figures.requests_per_s / self.bare.figures.requests_per_s

    @property
    def target(self) -> str:
        if self.kind == "page":
            return f"p95 ≤ {TARGET_PAGE_P95_MS:.0f} ms"
        return f"≥ {TARGET_LIST_RATIO if self.kind == 'list' else TARGET_ONE_RATIO:.2f}"

    @property
    def verdict(self) -> str:
        if self.api.errors or (self.bare is not None and self.bare.errors):
            return "FAIL"
        if self.kind == "page":
            return "PASS" if self.api.figures.p95_ms <= TARGET_PAGE_P95_MS else "FAIL"
        wanted = TARGET_LIST_RATIO if self.kind == "list" else TARGET_ONE_RATIO
        return "PASS" if (self.ratio or 0.0) >= wanted else "FAIL"


@dataclass(frozen=True)
class Load:
    warmup: int
    requests: int


def rows_of(body: bytes) -> list[dict[str, Any]]:
    """The rows of a list's answer: the API's list or page, or the bare view's."""
    found = json.loads(body)
    if isinstance(found, dict):
        found = found.get("results", found.get("rows"))
    if not isinstance(found, list):
        raise BenchError(f"Not a list: {body[:200]!r}")
    return found


def same_rows(api: list[dict[str, Any]], bare: list[dict[str, Any]]) -> bool:
    """Whether both answered the same rows in the same order, named by the API's rows' id
    (or, in the catalogue, which answers no ids, by slug)."""
    key = "id" if api and "id" in api[0] else "slug"
    return [row.get(key) for row in api] == [row.get(key) for row in bare]


def compare(
    api: list[Client], bare: list[Client], api_paths: list[str], bare_paths: list[str], load: Load
) -> tuple[Run, Run]:
    return side_by_side(
        lambda warm, n: hammer(api, api_paths, warmup=warm, requests=n),
        lambda warm, n: hammer(bare, bare_paths, warmup=warm, requests=n),
        warmup=load.warmup,
        requests=load.requests,
    )


def report(line: Line) -> Line:
    figures = line.api.figures
    ratio = f"  ratio {line.ratio:.2f}" if line.ratio is not None else ""
    rows = f"{line.rows:>4} rows" if line.rows is not None else " " * 9
    print(
        f"  {line.kind:<4} {line.name:<22} {line.user:<12} {rows}  API p95 "
        f"{figures.p95_ms:7.1f} ms {figures.requests_per_s:6.0f} req/s{ratio}  {line.verdict}",
        flush=True,
    )
    return line


def list_lines(port: int, user: str, password: str, load: Load) -> list[Line]:
    base = api_client(port, user, password)
    api, bare = copies(base, CONNECTIONS), copies(Client(port), CONNECTIONS)
    lines = []
    try:
        for route in LIST_ROUTES:
            answer = base.get(route.api)
            if answer.status != 200:
                raise BenchError(f"{user} {route.api}: HTTP {answer.status} {answer.body[:200]!r}")
            rows = rows_of(answer.body)
            bare_path = bare_list(route.name, len(rows))
            bare_answer = base.get(bare_path)
            if bare_answer.status != 200:
                raise BenchError(
                    f"{bare_path}: HTTP {bare_answer.status} {bare_answer.body[:300]!r}"
                )
            bare_rows = rows_of(bare_answer.body)
            same = None
            if user == ADMIN_USER:
                same = same_rows(rows, bare_rows)
            note = route.note if len(rows) != PAGE_ROWS else ""
            if not rows:
                note = f"no rows for {user}; " + note
            api_run, bare_run = compare(api, bare, [route.api], [bare_path], load)
            line = Line(
                "list", route.name, user, route.api, api_run, bare_run, len(rows), same, note
            )
            lines.append(report(line))
    finally:
        for client in (base, *api, *bare):
            client.close()
    return lines


def keys(client: Client, database: PostgreSQL) -> dict[str, list[str]]:
    """Objects of each kind the client's user may see: patients spread over their scope,
    the first of their stays and requisitions, and devices lent to their patients."""
    total = client.get("/api/v1/patients?limit=1").json()["count"]
    patients: list[int] = []
    for k in range(KEYS_PER_ROUTE):
        page = client.get(f"/api/v1/patients?limit=5&offset={total * k // KEYS_PER_ROUTE}")
        patients += [p["id"] for p in page.json()["results"] if p["id"] not in patients]
    with connect(database) as connection:
        serials = [
            row[0]
            for row in connection.execute(
                "SELECT d.serial FROM aids_device d JOIN aids_loan l ON l.device_id = d.id "
                "WHERE l.returned_at IS NULL AND l.patient_id = ANY(%s) ORDER BY d.serial LIMIT %s",
                (patients, KEYS_PER_ROUTE),
            )
        ]
    stays = [row["id"] for row in client.get("/api/v1/stays").json()]
    requisitions = [row["id"] for row in client.get("/api/v1/requisitions?status=all").json()]
    found = {
        "patient": patients,
        "device": serials,
        "stay": stays,
        "requisition": requisitions,
    }
    return {
        kind: [str(key) for key in found_keys[:KEYS_PER_ROUTE]]
        for kind, found_keys in found.items()
    }


def one_lines(port: int, database: PostgreSQL, user: str, password: str, load: Load) -> list[Line]:
    base = api_client(port, user, password)
    api, bare = copies(base, CONNECTIONS), copies(Client(port), CONNECTIONS)
    lines = []
    try:
        found = keys(base, database)
        for route in ONE_ROUTES:
            chosen = [
                key
                for key in found[route.name]
                if base.get(route.api.format(key=urllib.parse.quote(key))).status == 200
            ]
            if not chosen:
                print(f"  one  {route.name:<22} {user:<12} none in scope: left out", flush=True)
                continue
            api_paths = [route.api.format(key=urllib.parse.quote(key)) for key in chosen]
            bare_paths = [bare_one(route.name, urllib.parse.quote(key)) for key in chosen]
            for path in bare_paths:
                if (status := base.get(path).status) != 200:
                    raise BenchError(f"{path}: HTTP {status}")
            api_run, bare_run = compare(api, bare, api_paths, bare_paths, load)
            note = f"{len(chosen)} objects in turn"
            line = Line("one", route.name, user, route.api, api_run, bare_run, note=note)
            lines.append(report(line))
    finally:
        for client in (base, *api, *bare):
            client.close()
    return lines


def page_lines(port: int, user: str, password: str, load: Load) -> list[Line]:
    base = page_client(port, user, password)
    clients = copies(base, CONNECTIONS)
    lines = []
    try:
        for name, path in PAGES:
            run = hammer(clients, [path], warmup=load.warmup, requests=load.requests)
            lines.append(report(Line("page", name, user, path, run)))
    finally:
        for client in (base, *clients):
            client.close()
    return lines


def run_lines(port: int, database: PostgreSQL, password: str, load: Load) -> list[Line]:
    lines: list[Line] = []
    for user, _ in USERS:
        lines += list_lines(port, user, password, load)
        lines += one_lines(port, database, user, password, load)
        lines += page_lines(port, user, password, load)
    return lines
