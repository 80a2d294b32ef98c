"""Overgang scaled out as docs/deployment.md deploys it: two app servers (gunicorn) and two
background workers on one PostgreSQL database.

Nothing a user does may depend on which server answers: two clerks lending one device
through different servers get one loan between them (the other is told 409), a device
registered through one server is there at once through the other, a token issued by one is
good at the other. And two workers sweeping the same deadlines tell a holder once, in the
app and by e-mail.
"""

from __future__ import annotations

import datetime
import email
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from overgang.stays.tasks import sweep_deadlines
from tests.serving.cluster import (
    AppServer,
    Process,
    Processes,
    environment,
    overgang,
    seed,
    wait_until_ready,
)
from tests.serving.scale_out_seed import PASSWORD, email_of
from tests.serving.served import scratch_database

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="servers and workers share a PostgreSQL database",
)

DEVICES = 5
# The stay's first deadlines fall due this long after it is admitted, with both workers
# running. Workers sweep at each new minute: the sweep after the due time tells the holder.
DUE_AFTER = datetime.timedelta(seconds=5)
SWEEP_WAIT_SECONDS = 80


@dataclass
class Deployment:
    a: AppServer
    b: AppServer
    workers: list[Process]
    database_url: str
    mail: Path
    frogner_patients: list[int]
    technician: str  # the OUS aids technician's token
    stay: int
    admitted_at: datetime.datetime

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        """The shared database as it is now, read beside the servers."""
        with psycopg.connect(self.database_url) as db:
            return db.execute(query, params).fetchall()


def _token(server: AppServer, username: str) -> str:
    status, answer = server.call(
        "POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD}
    )
    assert status == 200, answer
    return str(answer["token"])


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    folder = tmp_path_factory.mktemp("scale-out")
    with ExitStack() as stack:  # stops every process, then drops the database
        url = stack.enter_context(scratch_database("scaled"))
        env = environment(
            url,
            folder,
            # One process per server: a test's request then always finds the process it
            # warmed (below), and two servers are two processes as two hosts are.
            OVERGANG_WORKERS="1",
            OVERGANG_THREADS="4",
            OVERGANG_DB_POOL_SIZE="4",
            # Tell the holder at the due time only: one notice per deadline to count.
            OVERGANG_WARN_MINUTES="0",
        )
        overgang(env, "migrate", "--no-input")
        processes = stack.enter_context(Processes(env, folder))
        servers = [processes.app_server(name) for name in ("server-a", "server-b")]
        workers = [processes.worker(name) for name in ("worker-1", "worker-2")]
        seeded = seed(env)  # while they start
        wait_until_ready(servers, workers)
        a, b = servers
        # The clinician's token comes from B and admits through A.
        clinician = _token(b, "hnt-clinician")
        admitted_at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=24)
        status, stay = a.call(
            "POST",
            "/api/v1/stays",
            {
                "patient": seeded["levanger"],
                "admitted_at": (admitted_at + DUE_AFTER).isoformat(),
                "admission": "emergency",
            },
            clinician,
        )
        assert status == 201, stay
        yield Deployment(
            a=a,
            b=b,
            workers=workers,
            database_url=url,
            mail=folder / "mail",
            frogner_patients=seeded["frogner"],
            technician=_token(a, "ous-bhm"),
            stay=stay["id"],
            admitted_at=admitted_at + DUE_AFTER,
        )
        for process in [a, b, *workers]:
            process.assert_running()


def _register(server: AppServer, token: str, serial: str) -> None:
    status, answer = server.call(
        "POST", "/api/v1/devices", {"aid_type": "cpap", "serial": serial}, token
    )
    assert status == 201, answer


def test_a_change_through_one_server_is_seen_at_once_through_the_other(deployment):
    a, b, token = deployment.a, deployment.b, deployment.technician
    _register(a, token, "SCALE-SEEN-1")
    status, device = b.call("GET", "/api/v1/devices/SCALE-SEEN-1", token=token)
    assert status == 200, device
    assert (device["serial"], device["owner"], device["status"]) == (
        "SCALE-SEEN-1",
        "ous-bhm",
        "available",
    )
    patient = deployment.frogner_patients[-1]
    status, loan = b.call(
        "POST", "/api/v1/loans", {"device": "SCALE-SEEN-1", "patient": patient}, token
    )
    assert status == 201, loan
    status, seen = a.call("GET", f"/api/v1/loans/{loan['id']}", token=token)
    assert status == 200, seen
    assert (seen["device"], seen["patient"], seen["returned_at"]) == ("SCALE-SEEN-1", patient, None)


def test_two_clerks_lending_one_device_through_two_servers_make_one_loan(deployment):
    a, b, token = deployment.a, deployment.b, deployment.technician
    serials = [f"SCALE-RACE-{n}" for n in range(1, DEVICES + 1)]
    for serial in serials:
        _register(a, token, serial)
    patients = deployment.frogner_patients
    # A process's first loan reads the agreements and takes seconds; a warm one takes a
    # fraction of one. Both servers lend once first, or the clerk at the cold server always
    # arrives after the other's loan is made, and the test races nothing.
    for server, patient in ((a, patients[-2]), (b, patients[-3])):
        _register(a, token, f"SCALE-WARM-{server.name}")
        body = {"device": f"SCALE-WARM-{server.name}", "patient": patient}
        assert server.call("POST", "/api/v1/loans", body, token)[0] == 201
    # Device n: a clerk at server A lends it to one patient, a clerk at server B to another,
    # every clerk at the same moment.
    attempts = [
        (server, serial, patients[2 * n + side])
        for n, serial in enumerate(serials)
        for side, server in enumerate((a, b))
    ]
    start = threading.Barrier(len(attempts))
    answers: dict[tuple[str, str], tuple[int, Any]] = {}

    def lend(server: AppServer, serial: str, patient: int) -> None:
        start.wait(timeout=30)
        body = {"device": serial, "patient": patient}
        answers[(serial, server.name)] = server.call("POST", "/api/v1/loans", body, token)

    clerks = [threading.Thread(target=lend, args=attempt) for attempt in attempts]
    for clerk in clerks:
        clerk.start()
    for clerk in clerks:
        clerk.join(timeout=90)
    assert len(answers) == len(attempts), "every clerk was answered"

    winners: dict[str, int] = {}
    for serial in serials:
        pair = [answers[(serial, server.name)] for server in (a, b)]
        assert sorted(status for status, _ in pair) == [201, 409], pair
        (loan,) = [answer for status, answer in pair if status == 201]
        winners[serial] = loan["patient"]
    open_loans = deployment.sql(
        "SELECT d.serial, l.patient_id FROM aids_loan l JOIN aids_device d ON d.id = l.device_id"
        " WHERE d.serial = ANY(%s) AND l.returned_at IS NULL",
        serials,
    )
    assert sorted(open_loans) == sorted(winners.items()), "one open loan each, the winner's"
    # Either server tells the same: the device is on loan to the winner's patient.
    for serial, patient in winners.items():
        for server in (a, b):
            status, device = server.call("GET", f"/api/v1/devices/{serial}", token=token)
            assert (status, device["status"], device["current_loan"]["patient"]) == (
                200,
                "on-loan",
                patient,
            )


def _messages(folder: Path) -> list[Message]:
    """Every e-mail the file backend wrote: files of messages, each ended by a line of dashes."""
    found = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        for part in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if part.strip():
                found.append(email.message_from_bytes(part))
    return found


def _sweeps_finished_since(deployment: Deployment, due: datetime.datetime) -> bool:
    """A sweep scheduled after `due` has run, and no sweep scheduled before it still waits
    or runs (so its e-mails are all written)."""
    ((done, unfinished),) = deployment.sql(
        "SELECT count(*) FILTER (WHERE run_after >= %s AND status IN ('SUCCESSFUL', 'FAILED')),"
        " count(*) FILTER (WHERE run_after <= now() AND status IN ('READY', 'RUNNING'))"
        " FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
        due,
        sweep_deadlines.module_path,
    )
    return bool(done) and not unfinished


def test_two_workers_tell_the_holder_of_a_deadline_once(deployment):
    due = deployment.sql(
        "SELECT id, holder_id, due FROM stays_deadline"
        " WHERE stay_id = %s AND due <= %s ORDER BY id",
        deployment.stay,
        deployment.admitted_at + datetime.timedelta(hours=24),
    )
    assert due, "the admission's 24-hour duties"
    latest = max(row[2] for row in due)
    ends = time.monotonic() + SWEEP_WAIT_SECONDS
    while not _sweeps_finished_since(deployment, latest):
        assert time.monotonic() < ends, "no sweep after the due time ran in time:\n" + "\n".join(
            w.output() for w in deployment.workers
        )
        time.sleep(1)

    failed = deployment.sql(
        "SELECT traceback FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
    )
    assert failed == []
    told = deployment.sql(
        "SELECT deadline_id, kind, organisation_id, emailed_at IS NOT NULL"
        " FROM stays_notification WHERE deadline_id = ANY(%s) ORDER BY deadline_id",
        [row[0] for row in due],
    )
    assert told == [(pk, "due", holder, True) for pk, holder, _ in due]

    clinician = email_of("hnt-clinician")
    mails = [m for m in _messages(deployment.mail) if clinician in str(m["To"])]
    assert len(mails) == 1, [m["Subject"] for m in mails]
    print(
        f"{len(due)} deadlines due, one e-mail: {mails[0]['Subject']!r}; sweeps by:",
        deployment.sql(
            "SELECT run_after, worker_ids FROM django_tasks_database_dbtaskresult"
            " WHERE task_path = %s AND status = 'SUCCESSFUL' ORDER BY run_after",
            sweep_deadlines.module_path,
        ),
    )
