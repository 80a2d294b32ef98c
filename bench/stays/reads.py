"""The worklist over HTTP, one client, one request after another: the page (its first 25
rows) and the API for each reader, and the start page with its counts."""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass, field

from bench.aids.reads import Line, measure
from bench.search import TARGET_P95_MS, BenchError, Client, Figures, api_client, page_client
from bench.stays.common import API_ROWS, FULL_PAGES, PAGE_ROWS, READERS, START_PAGE_USERS

# A row's "done" form; it posts to its own row's #place, so a refusal lands there.
ROW = re.compile(rb'<form method="post" action="/deadlines/\d+/done/(?:#deadline-\d+)?"')


def full_enough(rows: int, page: int) -> bool:
    return rows == page or (not FULL_PAGES and 0 < rows <= page)


def page_check(_: str, body: bytes) -> str:
    if b'id="worklist-rows"' not in body:
        return "no worklist in the answer"
    rows = len(ROW.findall(body))
    return "" if full_enough(rows, PAGE_ROWS) else f"{rows} rows, not {PAGE_ROWS}"


def api_check(_: str, body: bytes) -> str:
    found = json.loads(body)
    if not isinstance(found, list):
        return "not a list"
    if not full_enough(len(found), API_ROWS):
        return f"{len(found)} deadlines, not {API_ROWS}"
    return "" if all(d["done_at"] is None for d in found) else "a deadline that is done"


def start_check(_: str, body: bytes) -> str:
    return "" if b"/worklist/" in body else "no link to the worklist"


def reader_lines(
    port: int, username: str, password: str, *, warmup: int, requests: int
) -> list[Line]:
    lines: list[Line] = []
    clients: list[Client] = []
    try:
        page = page_client(port, username, password)
        clients.append(page)
        api = api_client(port, username, password)
        clients.append(api)
        lines.append(
            measure(
                page,
                "worklist (page)",
                username,
                ["/worklist/"],
                warmup=warmup,
                requests=requests,
                check=page_check,
            )
        )
        lines.append(
            measure(
                api,
                "worklist (API)",
                username,
                ["/api/v1/deadlines"],
                warmup=warmup,
                requests=requests,
                check=api_check,
            )
        )
        if username in START_PAGE_USERS:
            lines.append(
                measure(
                    page,
                    "start page",
                    username,
                    ["/"],
                    warmup=warmup,
                    requests=requests,
                    check=start_check,
                )
            )
    finally:
        for client in clients:
            client.close()
    return lines


@dataclass
class Repeated:
    """One line read in several rounds: its figures are the median of the rounds' (the
    machine's speed changes from minute to minute), its errors all of theirs."""

    name: str
    user: str
    path: str
    note: str
    rounds: list[Line] = field(default_factory=list)

    @property
    def figures(self) -> Figures:
        each = [x.figures for x in self.rounds]

        def median(name: str) -> float:
            return round(statistics.median(getattr(f, name) for f in each), 2)

        return Figures(
            requests=sum(f.requests for f in each),
            p50_ms=median("p50_ms"),
            p95_ms=median("p95_ms"),
            p99_ms=median("p99_ms"),
            max_ms=max(f.max_ms for f in each),
            mean_ms=median("mean_ms"),
            requests_per_s=median("requests_per_s"),
        )

    @property
    def errors(self) -> int:
        return sum(x.errors for x in self.rounds)

    @property
    def first_error(self) -> str:
        return next((x.first_error for x in self.rounds if x.first_error), "")

    @property
    def verdict(self) -> str:
        return "PASS" if self.errors == 0 and self.figures.p95_ms <= TARGET_P95_MS else "FAIL"


def run_reads(
    port: int, password: str, *, warmup: int, requests: int, rounds: int
) -> list[Repeated]:
    lines: dict[tuple[str, str], Repeated] = {}
    for number in range(1, rounds + 1):
        print(f" round {number} of {rounds}:", flush=True)
        for username, key, _ in READERS:
            found = reader_lines(port, username, password, warmup=warmup, requests=requests)
            for line in found:
                repeated = lines.setdefault(
                    (line.name, line.user), Repeated(line.name, line.user, line.path, key)
                )
                repeated.rounds.append(line)
    if not lines:
        raise BenchError("No worklist was read.")
    return list(lines.values())
