"""Issue 14: the start page shows disputes to a party whose agreement names a dispute route
(its `[dispute]`, N13: Nordjylland 003), not to a country's parties."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import Client

from overgang.rules import registry

pytestmark = pytest.mark.django_db


def start_page(user) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_aalborg_sees_disputes_and_tromso_not(aalborg_case_worker, tromso_case_worker, areas):
    assert "open disputes" in start_page(aalborg_case_worker)
    assert "open dispute" not in start_page(tromso_case_worker)


def test_a_norwegian_agreement_with_a_dispute_route_shows_disputes(
    tromso_case_worker, areas, monkeypatch
):
    route = next(a.dispute for a in registry.all_agreements() if a.dispute is not None)
    agreements = tuple(
        dataclasses.replace(a, dispute=route) if a.id == "unn" else a
        for a in registry.all_agreements()
    )
    monkeypatch.setattr(registry, "all_agreements", lambda: agreements)
    assert "open dispute" in start_page(tromso_case_worker)
