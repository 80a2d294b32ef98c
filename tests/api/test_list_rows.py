"""The lists that answer rows of values (overgang.api.rows) answer each row as the single
object's GET answers it, and read the page with a number of queries that does not grow
with its rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from ninja.renderers import JSONRenderer

from overgang.aids import actions as aid_actions
from overgang.aids import manual_keepers
from overgang.aids.models import AidType
from overgang.api import rows as api_rows
from overgang.audit.history import system_actor
from overgang.demo.management.commands.demo import Command as Demo
from overgang.demo.manuals import demo_manual
from overgang.requisitions import actions as requisition_actions
from overgang.requisitions.models import Dispute, NavApplication
from overgang.ventilation.models import VentilationAgreement

pytestmark = pytest.mark.django_db

# Each list, and how a row names its single object's address.
LISTS: dict[str, Any] = {
    "/aid-types": lambda row: f"/aid-types/{row['slug']}",
    "/consumables": None,
    "/organisations": lambda row: f"/organisations/{row['key']}",
    "/disputes": lambda row: f"/disputes/{row['id']}",
    "/nav-applications": lambda row: f"/nav-applications/{row['id']}",
    "/staff-trainings": lambda row: f"/staff-trainings/{row['id']}",
    "/ventilation-agreements": lambda row: f"/ventilation-agreements/{row['id']}",
}


@pytest.fixture
def demo(db) -> None:
    """The demo installation, with a reminder on a NAV application and a manual of an aid
    type kept under the readers' first agreements (besides the common one)."""
    system = system_actor()
    Demo().load(actor=system, seed=2026)
    application = NavApplication.objects.exclude(remind_at=None).order_by("pk").first()
    assert application is not None and application.remind_at is not None
    requisition_actions.remind_missing_signatures(application.remind_at)
    kind = AidType.objects.get(slug="cpap")
    root = User.objects.create_superuser("root", password="demo")
    frogner = User.objects.get(username="oslo-frogner")
    for agreement in {manual_keepers.works_under(user)[0] for user in (root, frogner)}:
        aid_actions.upload_manual(
            kind,
            actor=system,
            title="CPAP, the agreement's own",
            filename="cpap.pdf",
            content=demo_manual(kind),
            agreement=agreement,
            reason="The agreement's own model.",
        )


def _more_than_one() -> None:
    """A second dispute and LTMV agreement (the demo has one of each), copies of the first:
    a page of one and a page of two are compared."""
    for model in (Dispute, VentilationAgreement):
        first: Any = model.objects.order_by("pk").first()
        versions = list(first.versions.all()) if model is VentilationAgreement else []
        first.pk = None
        first.save()
        for version in versions:
            version.pk, version.ventilation = None, first
            version.save()


def _queries(reader: Any, path: str, limit: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert reader.get(path, limit=limit, status="all").status_code == 200
    return len(queries)


def test_the_listed_rows_are_the_single_objects_answers_from_as_many_queries(demo, api_as):
    """One test: the demo takes most of a minute to load."""
    _more_than_one()
    readers = {
        "root": api_as(User.objects.get(username="root")),
        "oslo-frogner": api_as(User.objects.get(username="oslo-frogner")),
    }
    for name, reader in readers.items():
        for path, single in LISTS.items():
            rows = reader.get(path, status="all").json()
            assert rows or name != "root", path
            for row in rows if single is not None else ():
                assert reader.get(single(row)).json() == row, (name, path)
        cpap = next(kind for kind in reader.get("/aid-types").json() if kind["slug"] == "cpap")
        assert cpap["manual"]["agreement"] != "", name
    root = readers["root"]
    applications = root.get("/nav-applications", status="all").json()
    assert any(application["reminder_log"] for application in applications)
    for path in LISTS:
        assert len(root.get(path, limit=5, status="all").json()) > 1, path
        assert _queries(root, path, 5) == _queries(root, path, 1), path
    for reader in readers.values():
        for path in ANSWERED:
            for language in ("nb", "da", "en"):
                _answered_as_the_schema_validates(reader, path, language)


# The lists answered through `schema_rows` without ninja's validation (overgang.api.rows).
ANSWERED = (
    *("/stays", "/deadlines", "/swaps", "/disputes", "/nav-applications"),
    *("/ventilation-agreements", "/organisations"),
)


def _answered_as_the_schema_validates(reader: Any, path: str, language: str) -> None:
    """Byte for byte what the schema's validation and dump make of the same rows, as ninja
    answers a list: the rows are caught on their way into `schema_rows`."""
    seen: list[tuple[Any, dict[str, Any]]] = []
    original = api_rows._row

    def spy(schema: Any, fields: Any, row: dict[str, Any]) -> dict[str, Any]:
        seen.append((schema, dict(row)))
        return original(schema, fields, row)

    api_rows._row = spy
    try:
        response = reader.client.get(
            f"/api/v1{path}",
            {"status": "all"},
            headers={**reader.headers, "Accept-Language": language},
        )
    finally:
        api_rows._row = original
    assert response.status_code == 200, path
    assert seen or path != "/organisations", path
    validated = [schema.model_validate(row).model_dump() for schema, row in seen]
    expected = JSONRenderer().render(HttpRequest(), validated, response_status=200)
    assert response.content.decode() == expected, (path, language)
    assert response["Content-Type"] == "application/json; charset=utf-8"
