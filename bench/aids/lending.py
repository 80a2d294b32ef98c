"""Lending, POST /api/v1/loans, from several client threads at once against the
pre-forked server; the race of many threads for the same devices; and the checks
afterwards that no device has two active loans."""

from __future__ import annotations

import collections
import http.client
import json
import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.aids.common import (
    BARRIER_SECONDS,
    LEND_AID_TYPE,
    LEND_PREFIX,
    TARGET_LOANS_PER_S,
    UNIT_HOSPITAL_KEY,
    UNIT_KEY,
    UNIT_USER,
    connect,
    lend_server,
    remove_devices,
    remove_lend_devices,
    scalar,
    unit_ids,
)
from bench.aids.server import CpuSample, PreforkServer
from bench.search import (
    REQUEST_TIMEOUT_SECONDS,
    VAR_DIR,
    BenchError,
    Client,
    Figures,
    PostgreSQL,
    api_client,
)

Loans = Sequence[tuple[str, int]]  # (serial, patient id) to lend, in turn


@dataclass
class LendRun:
    server: str
    processes: int
    threads: int
    loans_per_thread: int
    seconds: float
    timings_ms: list[float] = field(repr=False)
    statuses: dict[str, int]
    cpu: CpuSample
    first_error: str = ""

    @property
    def created(self) -> int:
        return self.statuses.get("201", 0)

    def cpu_per_loan(self) -> dict[str, float]:
        """CPU milliseconds per request: the server's, the client's, the rest (PostgreSQL,
        mostly), and the machine's share busy (of all its cores)."""
        n = len(self.timings_ms) or 1
        rest = max(0.0, self.cpu.machine - self.cpu.server - self.cpu.client)
        return {
            "server_ms": round(self.cpu.server * 1000 / n, 2),
            "client_ms": round(self.cpu.client * 1000 / n, 2),
            "database_and_rest_ms": round(rest * 1000 / n, 2),
            "machine_busy_percent": round(
                100 * self.cpu.machine / (self.seconds * (os.cpu_count() or 1)), 1
            ),
        }

    @property
    def loans_per_s(self) -> float:
        return round(self.created / self.seconds, 1) if self.seconds else 0.0

    @property
    def figures(self) -> Figures:
        return Figures.of(self.timings_ms, self.seconds)

    @property
    def verdict(self) -> str:
        all_created = self.created == len(self.timings_ms)
        return "PASS" if all_created and self.loans_per_s >= TARGET_LOANS_PER_S else "FAIL"


@dataclass
class Contention:
    threads: int
    devices: int
    attempts: int
    statuses: dict[str, int]
    serials: list[str] = field(repr=False)
    active_loans: int = 0

    @property
    def verdict(self) -> str:
        return (
            "PASS"
            if self.statuses.get("201", 0) == self.devices == self.active_loans
            and self.statuses.get("409", 0) == self.attempts - self.devices
            else "FAIL"
        )


# What is lent, to whom


def register_lend_devices(database: PostgreSQL, count: int) -> list[str]:
    """`count` fresh, available CPAP devices of the unit: T-0000001 …"""
    with connect(database) as connection:
        unit = unit_ids(connection)["unit"]
        remove_devices(connection, LEND_PREFIX)
        aid_type = scalar(
            connection, "SELECT id FROM aids_aidtype WHERE slug = %s", (LEND_AID_TYPE,)
        )
        connection.execute(
            """
            INSERT INTO aids_device (serial, aid_type_id, owner_id, location, status, created_at)
            SELECT %s || lpad(g::text, 7, '0'), %s, %s, 'bench', 'available', now()
            FROM generate_series(1, %s) AS g
            """,
            (LEND_PREFIX, aid_type, unit, count),
        )
    return [f"{LEND_PREFIX}{n:07d}" for n in range(1, count + 1)]


def unit_patients(database: PostgreSQL) -> list[int]:
    """The patients the unit lends to: those its trust is responsible for."""
    with connect(database) as connection:
        hospital = unit_ids(connection)["hospital"]
        rows = connection.execute(
            "SELECT id FROM patients_patient WHERE responsible_hospital_id = %s ORDER BY id",
            (hospital,),
        ).fetchall()
    if not rows:
        raise BenchError(f"No patients of {UNIT_HOSPITAL_KEY!r}.")
    return [int(row[0]) for row in rows]


def lend_body(serial: str, patient: int) -> str:
    return json.dumps({"device": serial, "patient": patient})


def post_loan(client: Client, serial: str, patient: int) -> Any:
    return client.request("POST", "/api/v1/loans", lend_body(serial, patient), "application/json")


# Client threads at once


@dataclass
class Together:
    """What the lending threads share: the barriers they start and end at, and what they
    found, gathered under a lock."""

    threads: int
    timings: list[float] = field(default_factory=list)
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.start = threading.Barrier(self.threads + 1)
        self.done = threading.Barrier(self.threads + 1)

    def add(self, worker: Lender) -> None:
        with self.lock:
            self.timings.extend(worker.timings)
            self.statuses.update(worker.statuses)
            if worker.problem:
                self.errors.append(worker.problem)


@dataclass
class Lender:
    """One client thread on its own kept-alive connection: its warm-up loans, then (once
    all are warm) its timed ones."""

    port: int
    headers: dict[str, str]
    batch: Loans
    warmup: Loans
    together: Together
    timings: list[float] = field(default_factory=list)
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)
    problem: str = ""

    def run(self) -> None:
        client = Client(self.port)
        client.headers.update(self.headers)
        try:
            try:
                for serial, patient in self.warmup:
                    post_loan(client, serial, patient)
            except (OSError, http.client.HTTPException) as error:
                self.problem = f"in the warm-up: {error}"
                self.together.start.abort()
                return
            self.together.start.wait(timeout=BARRIER_SECONDS)
            self.lend(client)
        finally:
            client.close()
            self.together.add(self)
            if not self.together.start.broken:
                self.together.done.wait(timeout=BARRIER_SECONDS)

    def lend(self, client: Client) -> None:
        for serial, patient in self.batch:
            before = time.perf_counter()
            try:
                answer = post_loan(client, serial, patient)
                status = str(answer.status)
                if answer.status != 201 and not self.problem:
                    self.problem = f"{serial}: HTTP {answer.status} {answer.body[:200]!r}"
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                self.problem = self.problem or f"{serial}: {error}"
            self.timings.append((time.perf_counter() - before) * 1000)
            self.statuses[status] += 1


def lend_concurrently(
    port: int,
    token_headers: dict[str, str],
    batches: Sequence[Loans],
    *,
    warmup: Sequence[Loans],
    sample: Callable[[], CpuSample],
) -> tuple[float, list[float], collections.Counter[str], str, CpuSample]:
    """One thread per batch, each on its own kept-alive connection, started together after
    its warm-up loans; returns the wall time, the timings, the statuses, the first error and
    the CPU time used meanwhile."""
    together = Together(len(batches))
    threads = [
        threading.Thread(
            target=Lender(port, token_headers, batch, first, together).run, daemon=True
        )
        for batch, first in zip(batches, warmup, strict=True)
    ]
    for thread in threads:
        thread.start()
    try:
        together.start.wait(timeout=BARRIER_SECONDS)
        started, before = time.perf_counter(), sample()
        together.done.wait(timeout=BARRIER_SECONDS)
        seconds, used = time.perf_counter() - started, sample() - before
    except threading.BrokenBarrierError:
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT_SECONDS)
        errors = together.errors
        raise BenchError(f"A lending client failed: {errors[0] if errors else 'timeout'}") from None
    for thread in threads:
        thread.join()
    first_error = together.errors[0] if together.errors else ""
    return seconds, together.timings, together.statuses, first_error, used


# The runs


def print_run(run: LendRun) -> None:
    used = run.cpu_per_loan()
    print(
        f"  {run.processes} process(es), {run.threads} client thread(s): "
        f"{run.loans_per_s:6.1f} loans/s  p95 {run.figures.p95_ms:6.1f} ms  "
        f"{run.statuses}; CPU per loan: "
        f"server {used['server_ms']:.1f} ms, client {used['client_ms']:.1f} ms, "
        f"database and rest {used['database_and_rest_ms']:.1f} ms; "
        f"machine {used['machine_busy_percent']:.0f}% busy",
        flush=True,
    )


def lend_runs(
    server: PreforkServer,
    headers: dict[str, str],
    take: Callable[[int], list[tuple[str, int]]],
    *,
    threads: Sequence[int],
    loans_per_thread: int,
    warmup_per_thread: int,
) -> list[LendRun]:
    """One run per number of client threads against the server."""
    runs: list[LendRun] = []
    for n in threads:
        warm = [take(warmup_per_thread) for _ in range(n)]
        batches = [take(loans_per_thread) for _ in range(n)]
        seconds, timings, statuses, first_error, cpu = lend_concurrently(
            server.port, headers, batches, warmup=warm, sample=server.cpu
        )
        run = LendRun(
            server=lend_server(server.processes),
            processes=server.processes,
            threads=n,
            loans_per_thread=loans_per_thread,
            seconds=seconds,
            timings_ms=timings,
            statuses=dict(statuses),
            cpu=cpu,
            first_error=first_error,
        )
        runs.append(run)
        print_run(run)
    return runs


def run_lending(
    database: PostgreSQL,
    password: str,
    *,
    processes: Sequence[int],
    threads: Sequence[int],
    loans_per_thread: int,
    warmup_per_thread: int,
    race_devices: int,
) -> tuple[list[LendRun], Contention]:
    per_server = sum(t * (loans_per_thread + warmup_per_thread) for t in threads)
    needed = per_server * len(processes) + race_devices
    print(f"Registering {needed:,} {LEND_AID_TYPE} devices for {UNIT_KEY} ({LEND_PREFIX}…).")
    fresh = iter(register_lend_devices(database, needed))
    patients = unit_patients(database)
    rng = random.Random(4)

    def take(k: int) -> list[tuple[str, int]]:
        return [(next(fresh), rng.choice(patients)) for _ in range(k)]

    runs: list[LendRun] = []
    contention: Contention | None = None
    for count in processes:
        log_path = VAR_DIR / f"bench-server-aids-{count}.log"
        print(f"Lending: {lend_server(count)}", flush=True)
        with PreforkServer(database, count, log_path) as server_process:
            token = api_client(server_process.port, UNIT_USER, password)
            headers = dict(token.headers)
            token.close()
            runs += lend_runs(
                server_process,
                headers,
                take,
                threads=threads,
                loans_per_thread=loans_per_thread,
                warmup_per_thread=warmup_per_thread,
            )
            if count == processes[-1] and race_devices:
                contention = race(
                    server_process, headers, fresh, race_devices, patients, max(threads), rng
                )
    assert contention is not None or not race_devices
    return runs, contention or Contention(0, 0, 0, {}, [])


def race(
    server: PreforkServer,
    headers: dict[str, str],
    fresh: Iterator[str],
    count: int,
    patients: Sequence[int],
    threads: int,
    rng: random.Random,
) -> Contention:
    """Every thread tries to lend the same devices (each in its own order): one loan per
    device may succeed, the others must get 409."""
    shared = [next(fresh) for _ in range(count)]
    batches = []
    for _ in range(threads):
        order = shared[:]
        rng.shuffle(order)
        batches.append([(serial, rng.choice(patients)) for serial in order])
    statuses = lend_concurrently(
        server.port, headers, batches, warmup=[[]] * threads, sample=server.cpu
    )[2]
    contention = Contention(threads, count, count * threads, dict(statuses), shared)
    print(f"  race: {threads} threads × the same {count} devices: {dict(statuses)}", flush=True)
    return contention


# After the lending


def verify(database: PostgreSQL, contention: Contention) -> dict[str, Any]:
    """After the lending: no device with two active loans anywhere; each lent T- device on
    loan with exactly one active loan; in the race, one loan per device."""
    with connect(database) as connection:
        doubled = scalar(
            connection,
            "SELECT count(*) FROM (SELECT device_id FROM aids_loan WHERE returned_at IS NULL "
            "GROUP BY device_id HAVING count(*) > 1) AS twice",
        )
        row = connection.execute(
            """
            SELECT count(l.id), count(DISTINCT l.device_id),
                   count(l.id) FILTER (WHERE d.status <> 'on-loan'),
                   count(DISTINCT d.id) FILTER (WHERE d.status = 'on-loan' AND l.id IS NULL)
            FROM aids_device d LEFT JOIN aids_loan l
              ON l.device_id = d.id AND l.returned_at IS NULL
            WHERE d.serial LIKE 'T-%'
            """
        ).fetchone()
        contention.active_loans = scalar(
            connection,
            "SELECT count(*) FROM aids_loan l JOIN aids_device d ON d.id = l.device_id "
            "WHERE d.serial = ANY(%s) AND l.returned_at IS NULL",
            (contention.serials,),
        )
    loans, devices, off_loan, without_loan = row or (0, 0, 0, 0)
    return {
        "devices_with_two_active_loans": doubled,
        "lent_active_loans": loans,
        "lent_devices": devices,
        "active_loans_on_devices_not_on_loan": off_loan,
        "devices_on_loan_without_active_loan": without_loan,
        "race_active_loans": contention.active_loans,
        "ok": doubled == 0 and loans == devices and off_loan == 0 and without_loan == 0,
    }


def cleanup(database: PostgreSQL) -> None:
    removed = remove_lend_devices(database)
    print(f"Removed the {removed:,} lending devices ({LEND_PREFIX}…) and their loans.")
