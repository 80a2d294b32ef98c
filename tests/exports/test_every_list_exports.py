"""Every list page exports its whole filtered list as CSV, XLSX and a print view, for the
users of the four demo areas; exports of patient data log each patient as read for an
export, and list only patients the user may see."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.test import Client

from overgang import clock
from overgang.audit.models import PatientRead
from overgang.organisations.permissions import AUDIT, VIEW
from overgang.patients.models import Patient

pytestmark = pytest.mark.django_db


def _month() -> str:
    return f"{clock.today():%Y-%m}"


def _frogner_patient() -> str:
    frogner = User.objects.get(username="oslo-frogner")
    patient = Patient.objects.restrict(frogner, VIEW).order_by("pk").first()
    assert patient is not None
    return f"/audit/patients/{patient.pk}/"


@dataclass(frozen=True)
class Case:
    """A list: its address (or how to find it), who asks (their area), what its first
    column's heading says in Norwegian, and whether its rows are patients'."""

    path: str | Callable[[], str]
    user: str
    heading: str
    patients: bool = True

    def address(self) -> str:
        return self.path() if callable(self.path) else self.path


CASES = {
    "patients (Oslo)": Case("/patients/?q=", "oslo-frogner", "Navn"),
    "patients (Aalborg)": Case("/patients/", "aalborg-case", "Navn"),
    "stays (Levanger)": Case("/stays/?show=all", "hnt-clinician", "Pasient"),
    "worklist (Tromsø)": Case("/worklist/", "unn-bhm", "Frist"),
    "notifications (Levanger)": Case("/notifications/", "levanger-case", "Tidspunkt"),
    "waiting days (Levanger)": Case(
        lambda: f"/waiting-days/?month={_month()}", "hnt-clinician", "Kommune"
    ),
    "devices (Aalborg)": Case("/devices/", "rn-depot", "Serienummer"),
    "returns (Oslo)": Case("/returns/?show=all", "ous-bhm", "Neste henting"),
    "consumables (Oslo)": Case("/consumables/", "ous-bhm", "Har nok til"),
    "requisitions (Oslo)": Case("/requisitions/?show=all", "ous-bhm", "Mottatt"),
    "swaps (Oslo)": Case("/swaps/?show=all", "oslo-frogner", "Meldt"),
    "disputes (Aalborg)": Case("/disputes/?show=all", "aalborg-case", "Registreret"),
    "NAV applications (Levanger)": Case("/nav/?show=all", "levanger-case", "Registrert"),
    "staff training (Tromsø)": Case("/staff-training/", "unn-clinician", "Dato", patients=False),
    "organisations (Aalborg)": Case(
        "/organisations/?country=DK", "rn-network", "Navn", patients=False
    ),
    "catalogue (Aalborg)": Case("/catalogue/", "rn-network", "Hjælpemiddeltype", patients=False),
    "depot (Tromsø)": Case("/depot/", "unn-bhm", "Enhet", patients=False),
    "capacity (Levanger)": Case("/capacity/", "hnt-network", "Enhet", patients=False),
    "capacity (Aalborg)": Case("/capacity/", "rn-network", "Enhed", patients=False),
    # Needs the compiled translations of the case catalogue ("Kind of aid").
    "case catalogue (Oslo)": Case(
        "/agreements/oslo/catalogue/", "ous-network", "Type hjelpemiddel", patients=False
    ),
    "open failures (Oslo)": Case("/failures/", "ous-bhm", "Meldt", patients=False),
    "loans without the manual (Oslo)": Case("/loans/without-manual/", "ous-bhm", "Hjelpemiddel"),
    "access log (Oslo)": Case(_frogner_patient, "auditor", "Når"),
}


def _client(username: str) -> tuple[Client, User]:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    language = "da" if username.startswith(("aalborg", "rn-", "aauh")) else "nb"
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client, user


def _with(path: str, kind: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}format={kind}"


@pytest.mark.parametrize("name", CASES)
def test_the_list_offers_and_serves_csv_xlsx_and_print(demo, name):
    case = CASES[name]
    client, user = _client(case.user)
    path = case.address()
    page = client.get(path)
    assert page.status_code == 200
    assert "format=csv" in page.content.decode() and "format=xlsx" in page.content.decode()

    exports = PatientRead.objects.filter(user=user, purpose="export")
    answer = client.get(_with(path, "csv"))
    assert answer.status_code == 200, answer.content[:300]
    assert answer["Content-Type"].startswith("text/csv")
    assert "attachment" in answer["Content-Disposition"]
    text = answer.content.decode("utf-8")
    assert text.startswith("\ufeff"), "the byte-order mark Excel needs"
    lines = text[1:].split("\r\n")
    assert lines[0].split(";")[0] == case.heading, lines[0]
    assert len([line for line in lines[1:] if line]) >= 1, "the demo's list has rows"

    logged = set(exports.values_list("patient_id", flat=True))
    if case.patients:
        assert logged, "a list of patients exported leaves export reads"
        visible = Patient.objects.restrict(user, AUDIT if case.user == "auditor" else VIEW)
        outside = logged - set(visible.values_list("pk", flat=True))
        assert not outside, "the export lists only patients the user may see"
    else:
        assert not logged

    book = client.get(_with(path, "xlsx"))
    assert book.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None and sheet["A1"].value == case.heading and sheet.max_row >= 2

    printed = client.get(_with(path, "print"))
    assert printed.status_code == 200
    html = printed.content.decode()
    assert 'class="printed"' in html and "<nav" not in html, "the print view has no menu"
    assert "app.css" in html


@pytest.mark.parametrize("name", ["patients (Oslo)", "devices (Aalborg)", "depot (Tromsø)"])
def test_an_unknown_format_is_refused_with_a_message(demo, name):
    case = CASES[name]
    client, user = _client(case.user)
    before = PatientRead.objects.filter(user=user, purpose="export").count()
    answer = client.get(_with(case.address(), "docx"))
    assert answer.status_code == 422
    assert "docx" in answer.content.decode() and "csv" in answer.content.decode()
    assert PatientRead.objects.filter(user=user, purpose="export").count() == before


def test_another_areas_patients_access_log_is_not_found(demo):
    client, _ = _client("auditor")
    tromso = User.objects.get(username="tromso-case")
    patient = Patient.objects.restrict(tromso, VIEW).order_by("pk").first()
    assert patient is not None
    for kind in ("csv", "xlsx", "print"):
        assert client.get(f"/audit/patients/{patient.pk}/?format={kind}").status_code == 404
    assert client.get(f"/audit/patients/{patient.pk}/reads.csv").status_code == 404


def test_the_print_view_names_the_filter_and_the_time_in_the_users_zone(demo):
    client, _ = _client("oslo-frogner")
    patient = Patient.objects.restrict(User.objects.get(username="oslo-frogner"), VIEW).first()
    assert patient is not None
    surname = patient.name.split()[-1]
    html = client.get(f"/patients/?q={surname}&format=print").content.decode()
    assert f"<strong>{surname}</strong>" in html, "the search named in the title"
    assert "(Europe/Oslo)" in html, "printed at a time in the user's time zone, named"


def test_a_case_worker_exports_only_their_districts_patients(demo):
    client, user = _client("oslo-frogner")
    text = client.get("/patients/?format=csv").content.decode("utf-8-sig")
    stovner = User.objects.get(username="oslo-stovner")
    others = Patient.objects.restrict(stovner, VIEW).exclude(
        pk__in=Patient.objects.restrict(user, VIEW)
    )
    assert others.exists()
    assert not any(p.national_id[:6] in text and p.sort_name in text for p in others)


def test_an_invalid_filter_is_refused_naming_the_field(demo):
    client, user = _client("rn-depot")
    answer = client.get("/devices/?status=lost-in-space&format=csv")
    assert answer.status_code == 422
    assert "Status" in answer.content.decode()
    assert not PatientRead.objects.filter(user=user, purpose="export").exists()


def test_a_list_longer_than_the_cap_is_cut_and_says_so(demo, monkeypatch):
    monkeypatch.setattr("overgang.web.exports.respond.CAP", 3)
    client, user = _client("oslo-frogner")
    lines = client.get("/patients/?format=csv").content.decode("utf-8-sig").split("\r\n")
    rows = [line for line in lines[1:] if line]
    assert len(rows) == 4, "three patients and the line saying the list was cut"
    assert "3" in rows[-1] and "filter" in rows[-1].lower()
    assert PatientRead.objects.filter(user=user, purpose="export").count() == 3
    printed = client.get("/patients/?format=print").content.decode()
    assert printed.count("<tr>") == 4, "the heading and three rows"
    assert 'class="refusal"' in printed


@pytest.mark.parametrize("path", ["/patients/", "/stays/?show=all", "/notifications/"])
def test_an_export_reads_no_more_rows_than_the_cap(demo, monkeypatch, path):
    """The cap bounds what is read, not only what is written: a list of a hundred thousand
    stays exported by someone who sees them all reads the first rows past the cap, and no
    more, into the worker."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("overgang.web.exports.respond.CAP", 3)
    client, _user = _client("admin")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_with(path, "csv")).status_code == 200
    assert any("LIMIT 4" in query["sql"] for query in queries.captured_queries), [
        query["sql"][:200] for query in queries.captured_queries
    ]


def test_the_consumables_export_holds_the_needs_reported_too(demo):
    """The start page's figure opens the needs reported; their export holds them, each row
    naming the page's list it stands in."""
    from overgang.aids.models import ConsumableOrder, ConsumptionPlan, OrderStatus
    from overgang.organisations.permissions import MANAGE_DEVICES

    client, user = _client("ous-bhm")
    mine = ConsumptionPlan.objects.restrict(user, MANAGE_DEVICES)
    needs = ConsumableOrder.objects.filter(plan__in=mine, status=OrderStatus.REQUESTED)
    assert needs.exists(), "the demo has a need reported at OUS"
    text = client.get("/consumables/?format=csv").content.decode("utf-8-sig")
    rows = [line.split(";") for line in text.split("\r\n")[1:] if line]
    reported = [row for row in rows if row[1] == "Meldte behov"]
    assert len(reported) == needs.count()
    assert {row[2] for row in reported} == {n.plan.loan.patient.name for n in needs}
