"""Swap reports on the pages and over the API (O3)."""

from typing import Any

import pytest
from django.conf import settings

from overgang.aids import actions as aids
from overgang.aids.models import Loan
from overgang.requisitions import actions
from overgang.requisitions.models import SwapReport
from tests.requisitions.conftest import DOCUMENTED

pytestmark = pytest.mark.django_db

REPORT: dict[str, Any] = {
    "aid_type": "oxygen-concentrator",
    "started_by": "specialist",
    "documentation": DOCUMENTED,
}


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def test_the_nursing_home_reports_and_sees_the_agreements_answer_with_its_citation(
    as_user, nursing_home, resident
):
    client = as_user(nursing_home)
    patient_page = client.get(f"/patients/{resident.pk}/").content.decode()
    assert f"/patients/{resident.pk}/swaps/new/" in patient_page
    sent = client.post(f"/patients/{resident.pk}/swaps/new/", REPORT)
    assert sent.status_code == 302
    page = client.get(sent["Location"])
    text = page.content.decode()
    assert "Swap to the hospital's equipment" in text
    assert 'href="/rules/seeds/000/#L' in text and "000 3.1" in text


def test_a_report_without_documentation_is_a_form_error(as_user, nursing_home, resident):
    page = as_user(nursing_home).post(
        f"/patients/{resident.pk}/swaps/new/", {**REPORT, "documentation": ""}
    )
    assert page.status_code == 422 and "documentation" in page.context["form"].errors
    assert not SwapReport.objects.exists()


def test_hospital_staff_and_outsiders_cannot_report(
    as_user, ous_clinician, tromso_case_worker, resident
):
    assert as_user(ous_clinician).get(f"/patients/{resident.pk}/swaps/new/").status_code == 403
    assert (
        as_user(tromso_case_worker).post(f"/patients/{resident.pk}/swaps/new/", REPORT).status_code
        == 404
    )
    assert not SwapReport.objects.exists()


def test_the_unit_lends_from_the_report_page(
    as_user, nursing_home, ous_technician, resident, system, areas
):
    report = actions.report_swap(resident, actor=nursing_home, **REPORT)
    aids.register_device(
        actor=system, aid_type="oxygen-concentrator", serial="OC-1", owner=areas["ous-bhm"]
    )
    client = as_user(ous_technician)
    assert [r.pk for r in client.get("/swaps/").context["page"].object_list] == [report.pk]
    unknown = client.post(f"/swaps/{report.pk}/lend/", {"device": "OC-9"})
    assert unknown.status_code == 422 and "OC-9" in str(unknown.context["form"].errors["device"])
    lent = client.post(f"/swaps/{report.pk}/lend/", {"device": "OC-1"})
    assert lent.status_code == 302
    report.refresh_from_db()
    assert report.status == "swapped" and report.loan.device.serial == "OC-1"
    assert list(client.get("/swaps/").context["page"].object_list) == []


def test_the_nursing_home_cannot_lend_and_an_outsider_sees_no_report(
    as_user, nursing_home, tromso_case_worker, resident
):
    report = actions.report_swap(resident, actor=nursing_home, **REPORT)
    assert as_user(nursing_home).post(f"/swaps/{report.pk}/lend/", {"device": "X"}).status_code == (
        404
    )
    assert as_user(tromso_case_worker).get(f"/swaps/{report.pk}/").status_code == 404
    assert as_user(tromso_case_worker).post(f"/swaps/{report.pk}/withdraw/").status_code == 404
    report.refresh_from_db()
    assert report.status == "to-swap" and not Loan.objects.exists()


def test_the_api_reports_decides_and_lends(
    api_as, nursing_home, ous_technician, tromso_case_worker, resident, system, areas
):
    reporter = api_as(nursing_home)
    created = reporter.post("/swaps", {"patient": resident.pk, **REPORT, "terminal": True})
    assert created.status_code == 201
    assert (created.json()["swap"], created.json()["status"]) == (False, "no-swap")
    open_report = reporter.post("/swaps", {"patient": resident.pk, **REPORT}).json()
    assert open_report["status"] == "to-swap" and open_report["cites"] == ["000 3.1"]
    aids.register_device(
        actor=system, aid_type="oxygen-concentrator", serial="OC-1", owner=areas["ous-bhm"]
    )
    unit = api_as(ous_technician)
    assert [r["id"] for r in unit.get("/swaps").json()] == [open_report["id"]]
    lent = unit.post(f"/swaps/{open_report['id']}/lend", {"device": "OC-1"})
    assert lent.status_code == 200 and lent.json()["status"] == "swapped"
    assert api_as(tromso_case_worker).get(f"/swaps/{open_report['id']}").status_code == 404
    bad = reporter.post("/swaps", {"patient": resident.pk, "aid_type": "rocket", "started_by": "x"})
    assert bad.status_code == 422
    assert {p["loc"][1] for p in bad.json()["detail"]} == {"aid_type", "started_by"}
    outside = api_as(tromso_case_worker).post("/swaps", {"patient": resident.pk, **REPORT})
    assert outside.status_code == 422 and outside.json()["detail"][0]["loc"] == ["body", "patient"]


def test_a_municipal_depot_cannot_lend_for_a_swap(
    as_user, api_as, make_user, nursing_home, resident, system, areas
):
    report = actions.report_swap(resident, actor=nursing_home, **REPORT)
    depot = make_user("oslo-depot", ("oslo-hjelpemiddellager", "depot-staff"))
    aids.register_device(
        actor=system,
        aid_type="oxygen-concentrator",
        serial="OSL-OC-1",
        owner=areas["oslo-hjelpemiddellager"],
    )
    assert as_user(depot).post(f"/swaps/{report.pk}/lend/", {"device": "OSL-OC-1"}).status_code == (
        404
    )
    assert api_as(depot).post(f"/swaps/{report.pk}/lend", {"device": "OSL-OC-1"}).status_code == 404
    assert as_user(depot).post(f"/swaps/{report.pk}/withdraw/").status_code == 404
    report.refresh_from_db()
    assert report.status == "to-swap" and not Loan.objects.exists()


def test_a_municipal_device_is_not_the_hospital_s_equipment(nursing_home, resident, system, areas):
    from overgang.errors import InvalidInput

    report = actions.report_swap(resident, actor=nursing_home, **REPORT)
    municipal = aids.register_device(
        actor=system,
        aid_type="oxygen-concentrator",
        serial="OSL-OC-1",
        owner=areas["oslo-hjelpemiddellager"],
    )
    with pytest.raises(InvalidInput) as raised:
        actions.lend_for_swap(report, municipal, actor=system)
    assert "hospital" in raised.value.errors["device"]
    assert not Loan.objects.exists()
