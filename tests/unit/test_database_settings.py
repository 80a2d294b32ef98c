"""The database settings from the environment: PostgreSQL through a pool of a size the
operator sets, and a DATABASE_URL that is printed without its password."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from overgang.database import database, shown


def test_postgresql_takes_its_connections_from_a_pool_of_the_size_the_environment_sets(
    monkeypatch,
):
    monkeypatch.setenv("OVERGANG_DB_POOL_SIZE", "4")
    monkeypatch.setenv("OVERGANG_DB_POOL_TIMEOUT", "3")
    settings = database("postgres://overgang@db.example:5432/overgang")
    assert settings["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 4, "timeout": 3}
    assert settings["CONN_MAX_AGE"] == 0, "the pool keeps the connections, not the thread"


def test_the_pool_holds_ten_connections_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("OVERGANG_DB_POOL_SIZE", raising=False)
    pool = database("postgres://overgang@db.example/overgang")["OPTIONS"]["pool"]
    assert pool["max_size"] == 10


@pytest.mark.parametrize("size", ["0", "ten"])
def test_a_pool_size_that_cannot_be_names_the_variable(monkeypatch, size):
    monkeypatch.setenv("OVERGANG_DB_POOL_SIZE", size)
    with pytest.raises(ImproperlyConfigured, match="OVERGANG_DB_POOL_SIZE"):
        database("postgres://overgang@db.example/overgang")


def test_sqlite_has_no_pool():
    settings = database("sqlite:///var/overgang.sqlite3")
    assert "pool" not in settings["OPTIONS"]


@pytest.mark.parametrize(
    ("url", "printed"),
    [
        (
            "postgres://overgang:s3cret@db.example:5432/overgang",
            "postgres://overgang:***@db.example:5432/overgang",
        ),
        (
            "postgres://db.example/overgang?user=overgang&password=s3cret",
            "postgres://db.example/overgang?user=overgang&password=***",
        ),
        ("postgres://overgang@db.example/overgang", "postgres://overgang@db.example/overgang"),
        ("sqlite:///var/overgang.sqlite3", "sqlite:///var/overgang.sqlite3"),
    ],
)
def test_a_database_url_is_printed_without_its_password(url, printed):
    assert shown(url) == printed


def test_an_unknown_database_is_refused_without_showing_its_password():
    with pytest.raises(ImproperlyConfigured) as refused:
        database("mysql://overgang:s3cret@db.example/overgang")
    assert "s3cret" not in str(refused.value)
    assert "DATABASE_URL=mysql://overgang:***@db.example/overgang" in str(refused.value)
