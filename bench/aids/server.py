"""The app pre-forked into several worker processes for the lending, and the CPU time
its processes, the client and the machine use meanwhile."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.search import HOST, ROOT, PostgreSQL, app_env, free_port, stop, wait_until_up


def serve_prefork(port: int, processes: int) -> None:
    """Django's threaded WSGI server with TCP_NODELAY, in `processes` forked workers that
    accept on one listening socket (the pre-fork model of gunicorn, with the stdlib)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings")
    import socketserver

    import django

    django.setup()
    from django.core.servers.basehttp import (
        WSGIRequestHandler,
        WSGIServer,
        get_internal_wsgi_application,
    )

    parent = os.getpid()

    class Server(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True
        request_queue_size = 128

        def get_request(self) -> tuple[socket.socket, Any]:
            connection, address = super().get_request()
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return connection, address

        def service_actions(self) -> None:
            if os.getppid() != parent:  # the parent is gone: so are we
                os._exit(0)

    server = Server((HOST, port), WSGIRequestHandler)
    server.set_app(get_internal_wsgi_application())
    # No database connection is open yet: each worker opens its own.
    children: list[int] = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            try:
                server.serve_forever(poll_interval=0.5)
            finally:
                os._exit(0)
        children.append(pid)
    server.server_close()

    def end(signum: int, _: Any) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        os._exit(0)

    signal.signal(signal.SIGTERM, end)
    signal.signal(signal.SIGINT, end)
    os.wait()  # a worker died: stop them all
    end(signal.SIGTERM, None)


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds used so far: by the server's processes, by this process (the client
    threads), and by the whole machine (busy, of all cores)."""

    server: float
    client: float
    machine: float

    def __sub__(self, other: CpuSample) -> CpuSample:
        return CpuSample(
            self.server - other.server, self.client - other.client, self.machine - other.machine
        )


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def machine_busy() -> float:
    try:
        values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / TICKS


class PreforkServer:
    """serve_prefork in a subprocess, for the `with` statement."""

    def __init__(self, database: PostgreSQL, processes: int, log_path: Path) -> None:
        self.database = database
        self.processes = processes
        self.log_path = log_path
        self.port = free_port()

    def __enter__(self) -> PreforkServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = self.log_path.open("wb")
        code = (
            "from bench.aids.server import serve_prefork; "
            f"serve_prefork({self.port}, {self.processes})"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=app_env(self.database),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(self.process, self.port, self.log_path)
        except BaseException:
            self.__exit__()
            raise
        self.pids = [self.process.pid, *children_of(self.process.pid)]
        return self

    def cpu(self) -> CpuSample:
        return CpuSample(
            server=sum(process_cpu(pid) for pid in self.pids),
            client=time.process_time(),
            machine=machine_busy(),
        )

    def __exit__(self, *_: object) -> None:
        stop(self.process)
        self.log.close()
