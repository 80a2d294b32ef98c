"""The command-line calls of test_invalid_input start as soon as collection is done.

Each `python -m overgang rules …` takes about half a second to start Django; started
early, they run beside the other tests of this folder instead of after them, which keeps
the whole folder within its few seconds. They start only when a selected test asks for
the `cli` fixture.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.rules.cli_calls import CLI_CALLS

ROOT = Path(__file__).resolve().parents[2]

Running = dict[str, subprocess.Popen[str]]
RUNNING = pytest.StashKey[Running]()


def _start() -> Running:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    running: Running = {}
    for name, (action, stdin) in CLI_CALLS.items():
        process = subprocess.Popen(
            [sys.executable, "-m", "overgang", "rules", action, "-"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdin is not None
        process.stdin.write(stdin)  # a few bytes: far below the pipe's buffer
        process.stdin.close()
        process.stdin = None  # so that communicate() only reads
        running[name] = process
    return running


def pytest_collection_finish(session: pytest.Session) -> None:
    if any("cli" in getattr(item, "fixturenames", ()) for item in session.items):
        session.config.stash[RUNNING] = _start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    for process in session.config.stash.get(RUNNING, {}).values():
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def cli(pytestconfig: pytest.Config) -> dict[str, subprocess.CompletedProcess[str]]:
    """What each call of CLI_CALLS printed and how it exited."""
    running = pytestconfig.stash.get(RUNNING, None) or _start()
    pytestconfig.stash[RUNNING] = running
    done = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=60)
        done[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return done
