"""The load: client threads, each with its own kept-alive connection (bench/search.py's
Client), sending the next request as soon as the last is answered."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bench.search import Client, Figures, Response

Check = Callable[[str, Response], str]  # "" when the answer is right, else what is wrong


@dataclass
class Run:
    """The timed requests of one line (or several runs of it, merged)."""

    seconds: float = 0.0
    timings_ms: list[float] = field(default_factory=list, repr=False)
    errors: int = 0
    first_error: str = ""

    @property
    def figures(self) -> Figures:
        return Figures.of(self.timings_ms, self.seconds)

    def add(self, other: Run) -> None:
        self.seconds += other.seconds
        self.timings_ms += other.timings_ms
        self.errors += other.errors
        self.first_error = self.first_error or other.first_error


def copies(client: Client, count: int) -> list[Client]:
    """`count` connections with the client's login (token or session cookie)."""
    made = []
    for _ in range(count):
        copy = Client(client.port)
        copy.headers = dict(client.headers)
        copy.cookies = dict(client.cookies)
        made.append(copy)
    return made


def hammer(
    clients: Sequence[Client],
    paths: Sequence[str],
    *,
    warmup: int,
    requests: int,
    check: Check | None = None,
) -> Run:
    """`warmup` untimed requests, then `requests` timed ones, over all the clients at once;
    the paths in turn. The run's time is from the first timed request to the last answer."""
    if warmup:
        _phase(clients, paths, warmup, check)
    return _phase(clients, paths, requests, check)


def _phase(clients: Sequence[Client], paths: Sequence[str], total: int, check: Check | None) -> Run:
    run = Run()
    lock = threading.Lock()
    taken = 0
    start = threading.Barrier(len(clients) + 1)

    def work(client: Client) -> None:
        nonlocal taken
        start.wait()
        while True:
            with lock:
                if taken >= total:
                    return
                i = taken
                taken += 1
            path = paths[i % len(paths)]
            before = time.perf_counter()
            try:
                answer = client.get(path)
                problem = f"HTTP {answer.status}" if answer.status != 200 else ""
            except (OSError, http.client.HTTPException) as error:  # broke twice over
                client.close()
                answer, problem = None, f"{type(error).__name__}: {error}"
            ms = (time.perf_counter() - before) * 1000
            if not problem and check is not None and answer is not None:
                problem = check(path, answer)
            with lock:
                run.timings_ms.append(ms)
                if problem:
                    run.errors += 1
                    run.first_error = run.first_error or f"{path}: {problem}"

    threads = [threading.Thread(target=work, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    return run


def side_by_side(
    first: Callable[[int, int], Run],
    second: Callable[[int, int], Run],
    *,
    warmup: int,
    requests: int,
) -> tuple[Run, Run]:
    """Both sides in turn, half their requests each time, the order mirrored (first,
    second, second, first), so a change in the machine's load meanwhile falls on both;
    each side's warm-up before its first half. A side is called with (warmup, requests)."""
    half = requests // 2
    a, b = Run(), Run()
    a.add(first(warmup, half))
    b.add(second(warmup, half))
    b.add(second(0, requests - half))
    a.add(first(0, requests - half))
    return a, b
