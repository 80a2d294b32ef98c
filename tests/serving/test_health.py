"""A load balancer asks whether the process is up (/healthz) and ready to serve (/readyz),
without logging in. Ready means the database answers and is migrated; the answers name no
host, table or migration (those go to the log)."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.migrations.executor import MigrationExecutor
from django.test import Client


def test_healthz_answers_without_login_or_database(client: Client):
    # No django_db mark: pytest-django makes any database access fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_on_a_migrated_database(client: Client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


@pytest.mark.django_db
def test_readyz_is_not_ready_while_migrations_are_pending(client: Client, monkeypatch):
    def pending(self, targets, clean_start=False):
        return [(object.__new__(type("M", (), {"app_label": "stays", "name": "0099_x"})), False)]

    monkeypatch.setattr(MigrationExecutor, "migration_plan", pending)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "not ready", "problems": ["1 migrations not applied"]}


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_database_cannot_be_reached(client: Client, monkeypatch):
    def refused(self, *args, **kwargs):
        raise OperationalError("connection refused by db.internal:5432")

    monkeypatch.setattr(MigrationExecutor, "migration_plan", refused)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["problems"] == ["the database cannot be reached"]
    assert "db.internal" not in response.content.decode()


def test_health_takes_no_post(client: Client):
    assert client.post("/healthz").status_code == 405
