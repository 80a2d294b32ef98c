"""Without its database Overgang says so plainly: a command in one line that names
DATABASE_URL (never its password), the API a JSON 503 to retry, the pages a 503 page in the
user's language. Each case takes the database away for real: a closed port, a database that
does not exist, a database dropped or a folder removed under a running server.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from django.db import connection

from tests.serving.served import (
    BIN,
    ROOT,
    Served,
    command_env,
    database_url_named,
    drop_database,
    free_port,
    scratch_database,
    serve,
)

# A request waits this long for a connection before it is answered 503 (overgang.database).
QUICK = {"OVERGANG_DB_POOL_TIMEOUT": "2"}

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs the suite's PostgreSQL server"
)


def _migrate(database_url: str) -> subprocess.CompletedProcess[str]:
    """The first thing `make run` does."""
    return subprocess.run(
        [str(BIN / "overgang"), "migrate", "--no-input"],
        cwd=ROOT,
        env=command_env(database_url, **QUICK),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_closed_port_stops_a_command_with_one_line_naming_the_url_without_its_password():
    port = free_port()
    run = _migrate(f"postgres://overgang:s3cret@127.0.0.1:{port}/overgang")
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1, run.stderr
    shown = f"postgres://overgang:***@127.0.0.1:{port}/overgang"
    assert run.stderr.startswith(f"overgang: cannot use the database at DATABASE_URL={shown}: ")
    assert "Connection refused" in run.stderr
    assert "s3cret" not in run.stderr + run.stdout


def test_a_missing_sqlite_folder_stops_a_command_with_one_line(tmp_path):
    url = f"sqlite:///{tmp_path}/gone/overgang.sqlite3"
    run = _migrate(url)
    assert run.returncode != 0
    assert run.stderr == (
        f"overgang: cannot use the database at DATABASE_URL={url}: unable to open database file\n"
    )


@on_postgresql
def test_a_database_that_does_not_exist_stops_a_command_with_one_line():
    url = database_url_named(f"{connection.settings_dict['NAME']}_never_created")
    run = _migrate(url)
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1, run.stderr
    assert f"DATABASE_URL={url}: " in run.stderr
    assert f'database "{url.rpartition("/")[2]}" does not exist' in run.stderr


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=on_postgresql)])
def server_without_database(request, tmp_path_factory) -> Iterator[Served]:
    """A server that ran on its database until the database went away under it."""
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("data")
        url = f"sqlite:///{folder}/overgang.sqlite3"
        # Migrated, as `make run` does first: the worker beside the server needs its tables.
        assert _migrate(url).returncode == 0
        with serve(url, **QUICK) as server:
            shutil.rmtree(folder)
            yield server
        return
    with scratch_database("dropped") as url:
        assert _migrate(url).returncode == 0
        with serve(url, **QUICK) as server:
            drop_database(url.rpartition("/")[2])
            yield server


def _get(server: Served, path: str, **headers: str) -> urllib.error.HTTPError:
    request = urllib.request.Request(server.url + path, headers=headers)
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(request, timeout=60)
    return failed.value


def test_the_api_answers_a_json_503_to_retry(server_without_database):
    answer = _get(
        server_without_database,
        "/api/v1/patients",
        Authorization="Bearer some-token",
        **{"Accept-Language": "en"},
    )
    assert answer.code == 503
    assert answer.headers["Content-Type"] == "application/json"
    assert int(answer.headers["Retry-After"]) > 0
    assert json.loads(answer.read()) == {
        "detail": "The database cannot be reached at the moment. Try again shortly."
    }


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("nb", "Overgang får ikke kontakt med databasen"),
        ("da", "Overgang kan ikke få forbindelse til databasen"),
        ("en", "Overgang cannot reach its database"),
    ],
)
def test_a_page_answers_a_503_page_in_the_users_language(server_without_database, language, title):
    answer = _get(
        server_without_database,
        "/patients/",
        # A session to look up, as a signed-in user's browser sends.
        Cookie=f"sessionid={'s' * 32}; django_language={language}",
    )
    assert answer.code == 503
    assert int(answer.headers["Retry-After"]) > 0
    html = answer.read().decode()
    assert f"<h1>{title}</h1>" in html
    assert f'<html lang="{language}">' in html
    assert "Traceback" not in html and "OperationalError" not in html
