"""Where one route's time goes: N requests in the app's own process, through Django's
test client (the whole middleware stack and the view, no server), under cProfile."""

from __future__ import annotations

import cProfile
import os
import pstats
import subprocess
import sys

from bench.search import ROOT, BenchError, PostgreSQL, app_env

TOP_FUNCTIONS = 40


def profile(database: PostgreSQL, route: str, user: str, requests: int) -> None:
    """Run `in_process` in a process of its own, with the bench's settings."""
    code = f"from bench.load.profile import in_process; in_process({route!r}, {user!r}, {requests})"
    env = {**app_env(database), "DJANGO_SETTINGS_MODULE": "bench.load.settings"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=False)
    if done.returncode != 0:
        raise BenchError(f"The profile of {route} failed (exit {done.returncode}).")


def in_process(route: str, user: str, requests: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.load.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if route.startswith("/api/"):
        # As the load asks: with a bearer token, not a session.
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {_token(client, user)}"
    else:
        client.force_login(User.objects.get(username=user))
    for _ in range(10):  # warm: imports, caches, the pool
        answer = client.get(route)
        if answer.status_code != 200:
            raise SystemExit(
                f"{route} as {user}: HTTP {answer.status_code} {answer.content[:300]!r}"
            )
    with CaptureQueriesContext(connection) as queries:
        client.get(route)
    print(f"{len(queries)} queries a request:")
    for query in queries:
        print(f"  {query['time']}s  {query['sql'][:160]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(route)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print(f"{requests} requests of {route} as {user}, in process (Django's test client):")
    stats.strip_dirs().sort_stats("cumulative").print_stats(TOP_FUNCTIONS)
    print("The same, by the time spent in each function itself:")
    stats.sort_stats("tottime").print_stats(TOP_FUNCTIONS // 2)


def _token(client: object, user: str) -> str:
    from overgang.demo.users import DEMO_PASSWORD

    body = {"username": user, "password": DEMO_PASSWORD}
    answer = client.post("/api/v1/auth/token", body, content_type="application/json")  # type: ignore[attr-defined]
    if answer.status_code != 200:
        raise SystemExit(f"No API token for {user}: HTTP {answer.status_code}")
    return str(answer.json()["token"])
