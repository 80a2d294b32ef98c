"""Returns over the API (O8)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from overgang.aids import actions
from overgang.aids.models import ReturnRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(ventilator, frogner_patient, system):
    return actions.lend_device(ventilator, frogner_patient, actor=system)


def test_the_municipality_reports_and_the_unit_agrees_and_checks_in(
    api_as, frogner_case_worker, ous_technician, loan
):
    municipality = api_as(frogner_case_worker)
    created = municipality.post(
        "/returns",
        {
            "loans": [loan.pk],
            "method": "pickup",
            "reported_for": "municipality",
            "contact_phone": "912 34 567",
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["unit"], body["loans"], body["address"]) == (
        "requested",
        "ous-bhm",
        [loan.pk],
        "Skovveien 12",
    )
    unit = api_as(ous_technician)
    assert [r["id"] for r in unit.get("/returns").json()] == [body["id"]]
    agreed = unit.post(
        f"/returns/{body['id']}/schedule", {"appointment": "2031-01-02T10:00:00+01:00"}
    )
    assert agreed.status_code == 200 and agreed.json()["status"] == "scheduled"
    assert unit.post(f"/loans/{loan.pk}/return").status_code == 200
    assert unit.get(f"/returns/{body['id']}").json()["status"] == "done"
    assert unit.get("/returns").json() == []
    assert [r["id"] for r in unit.get("/returns", status="all").json()] == [body["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"method": "pickup", "reported_for": "patient"}, "contact_phone"),
        ({"method": "teleport", "reported_for": "patient"}, "method"),
        ({"method": "drop-off", "reported_for": "neighbour"}, "reported_for"),
    ],
)
def test_bad_reports_are_422_naming_the_field(api_as, frogner_case_worker, loan, body, field):
    response = api_as(frogner_case_worker).post("/returns", {"loans": [loan.pk], **body})
    assert response.status_code == 422
    assert ["body", field] in [p["loc"] for p in response.json()["detail"]]
    assert not ReturnRequest.objects.exists()


def test_a_loan_outside_scope_is_422_and_others_returns_are_404(
    api_as, tromso_case_worker, frogner_case_worker, loan
):
    outsider = api_as(tromso_case_worker)
    response = outsider.post(
        "/returns", {"loans": [loan.pk], "method": "drop-off", "reported_for": "patient"}
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "loans"]
    created = (
        api_as(frogner_case_worker)
        .post("/returns", {"loans": [loan.pk], "method": "drop-off", "reported_for": "patient"})
        .json()
    )
    assert outsider.get(f"/returns/{created['id']}").status_code == 404
    assert outsider.post(f"/returns/{created['id']}/cancel", {"reason": "x"}).status_code == 404
    assert outsider.get("/returns").json() == []


def test_the_municipality_cannot_agree_a_pickup_but_can_cancel_its_report(
    api_as, frogner_case_worker, loan
):
    municipality = api_as(frogner_case_worker)
    created = municipality.post(
        "/returns",
        {"loans": [loan.pk], "method": "pickup", "reported_for": "patient", "contact_phone": "1"},
    ).json()
    refused = municipality.post(
        f"/returns/{created['id']}/schedule", {"appointment": "2031-01-02T10:00:00+01:00"}
    )
    assert refused.status_code == 404
    empty = municipality.post(f"/returns/{created['id']}/cancel", {"reason": " "})
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "reason"]
    done = municipality.post(f"/returns/{created['id']}/cancel", {"reason": "Still needed."})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    again = municipality.post(f"/returns/{created['id']}/cancel", {"reason": "again"})
    assert again.status_code == 409


def test_the_list_reads_the_same_queries_for_one_return_as_for_two(
    api_as, frogner_case_worker, system, areas, loan, frogner_patient
):
    municipality = api_as(frogner_case_worker)

    def report(*loans):
        body = {"loans": [x.pk for x in loans], "method": "drop-off", "reported_for": "patient"}
        return municipality.post("/returns", body).json()

    def queries_of_the_list():
        with CaptureQueriesContext(connection) as queries:
            rows = municipality.get("/returns").json()
        return rows, len(queries.captured_queries)

    first = report(loan)
    rows, few = queries_of_the_list()
    assert rows == [first]
    others = [
        actions.lend_device(
            actions.register_device(
                actor=system, aid_type="cpap", serial=f"CP-{n}", owner=areas["ous-bhm"]
            ),
            frogner_patient,
            actor=system,
        )
        for n in (1, 2)
    ]
    second = report(*reversed(others))
    assert second["loans"] == sorted(x.pk for x in others)
    rows, many = queries_of_the_list()
    assert rows == [first, second]
    assert many == few
