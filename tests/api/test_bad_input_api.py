"""Input no database or calendar can hold is refused with a 422 naming the field, and
nothing changes; each of these once answered 500."""

from __future__ import annotations

import pytest

from overgang.aids.models import ReturnRequest


@pytest.fixture
def municipality_api(api_as, frogner_case_worker):
    return api_as(frogner_case_worker)


def _named(response, where: str, field: str) -> bool:
    return response.status_code == 422 and any(
        problem["loc"][0] == where and field in problem["loc"]
        for problem in response.json()["detail"]
    )


def test_a_return_of_a_loan_id_beyond_any_column_is_422(municipality_api):
    body = {"loans": [10**22], "method": "pickup", "reported_for": "municipality"}
    response = municipality_api.post("/returns", body)
    assert _named(response, "body", "loans"), response.content
    assert not ReturnRequest.objects.exists()


@pytest.mark.parametrize("month", ["0000-01", "0001-01", "9999-12", "2026-13"])
def test_waiting_days_of_a_month_outside_the_calendar_is_422(municipality_api, month):
    assert _named(municipality_api.get("/waiting-days", month=month), "query", "month")


def test_waiting_days_of_an_ordinary_month_still_answer(municipality_api):
    assert municipality_api.get("/waiting-days", month="2026-11").status_code == 200


@pytest.mark.parametrize("path", ["/nav-applications", "/requisitions"])
def test_filtering_by_a_patient_id_beyond_bigint_is_422(municipality_api, path):
    response = municipality_api.get(path, patient=str(2**63))
    assert _named(response, "query", "patient"), response.content
    assert municipality_api.get(path, patient=str(2**63 - 1)).json() == []


def test_a_patient_search_offset_beyond_bigint_is_422(municipality_api, frogner_patient):
    response = municipality_api.get("/patients", offset="99999999999999999999")
    assert _named(response, "query", "offset"), response.content
    far = municipality_api.get("/patients", offset=str(2**63 - 1)).json()
    assert far == {"count": 1, "results": []}


def test_a_path_id_beyond_bigint_is_422_not_a_crash(municipality_api):
    response = municipality_api.get(f"/patients/{10**22}")
    assert _named(response, "path", "patient_id"), response.content
