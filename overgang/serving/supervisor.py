"""Run a few processes as one: they start together, stop together on Ctrl+C or SIGTERM,
and when one of them ends by itself the others are stopped and the whole fails, so a
service manager (or the person at the terminal) sees it instead of a half-working server.

Each process runs in a session of its own, and is stopped with its whole process group: a
server's own children (gunicorn's workers, the development server's reloaded copy) never
outlive it. Only this process gets the terminal's Ctrl+C, and passes it on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from types import FrameType

# gunicorn's graceful_timeout and a little: requests running when asked to stop may end.
GRACE_SECONDS = 25.0
POLL_SECONDS = 0.2


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]

    def signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):  # the group is gone already
            os.killpg(self.popen.pid, signum)


def run_together(commands: Mapping[str, list[str]], env: Mapping[str, str]) -> int:
    """Run `commands` ({name: argv}) until asked to stop (0) or one ends by itself (1)."""
    asked = threading.Event()
    forceful = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        # The second Ctrl+C does not wait for running requests.
        (forceful if asked.is_set() else asked).set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    processes: list[Process] = []
    ended: Process | None = None
    try:
        for name, argv in commands.items():
            popen = subprocess.Popen(argv, env=dict(env), start_new_session=True)
            processes.append(Process(name, popen))
        while ended is None and not asked.wait(POLL_SECONDS):
            ended = next((p for p in processes if p.popen.poll() is not None), None)
    finally:
        _stop(processes, forceful)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if ended is None:
        return 0
    # Last, after the others' own last lines: the line that says what happened.
    others = " and ".join(p.name for p in processes if p is not ended)
    print(
        f"overgang serve: {ended.name} stopped by itself (exit status {ended.popen.returncode})"
        + (f"; {others} stopped too." if others else "."),
        file=sys.stderr,
        flush=True,
    )
    return 1


def _stop(processes: list[Process], forceful: threading.Event) -> None:
    for process in processes:
        if process.popen.poll() is None:
            process.signal(signal.SIGTERM)
    for process in processes:
        try:
            _wait(process, forceful)
        except subprocess.TimeoutExpired:
            process.signal(signal.SIGKILL)
            process.popen.wait()
        # Whatever the group's leader left behind goes with it.
        process.signal(signal.SIGKILL)


def _wait(process: Process, forceful: threading.Event) -> None:
    waited = 0.0
    while waited < GRACE_SECONDS and not forceful.is_set():
        try:
            process.popen.wait(POLL_SECONDS)
            return
        except subprocess.TimeoutExpired:
            waited += POLL_SECONDS
    raise subprocess.TimeoutExpired(process.popen.args, waited)
