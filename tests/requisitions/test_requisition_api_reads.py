"""Reading requisitions over the API: the nested lists (appeals, existing loans) are in the
answer, and reading them costs the same few queries however many requisitions a page has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from overgang.aids import actions as aids
from tests.requisitions.test_requisition_api import ask

pytestmark = pytest.mark.django_db


def _appealed(physician, unit, patient):
    created = ask(physician, patient).json()
    unit.post(f"/requisitions/{created['id']}/decision", {"approved": False, "reason": "pO2 9."})
    appeal = unit.post(
        f"/requisitions/{created['id']}/appeals", {"appellant": "patient", "grounds": "Uenig."}
    )
    return created["id"], appeal.json()


def test_a_requisition_shows_its_appeals_and_the_loans_of_its_kind(
    physician, unit, unn_unit, tromso_patient, concentrator
):
    pk, appeal = _appealed(physician, unit, tromso_patient)
    loan = aids.lend_device(concentrator, tromso_patient, actor=unn_unit)
    with CaptureQueriesContext(connection) as queries:
        answer = unit.get(f"/requisitions/{pk}").json()
    assert answer["appeals"] == [appeal]
    assert answer["existing_loans"] == [
        {
            "id": loan.pk,
            "serial": "UNN-OC-1",
            "aid_type": "oxygen-concentrator",
            "owner": "unn-bhm",
            "started_at": answer["existing_loans"][0]["started_at"],
        }
    ]
    assert answer["reason"] and answer["appeal"]["body"] == "Statsforvalteren"
    assert answer["device"] is None and answer["department"] == "unn-lunge"
    # The token, the requisition with its appeals, the loans of its kind, the read log; on
    # PostgreSQL the loans come in the requisition's row.
    assert len(queries.captured_queries) == (3 if connection.vendor == "postgresql" else 4)


def test_the_list_reads_the_same_queries_for_one_requisition_as_for_three(
    physician, unit, tromso_patient
):
    def queries_of_the_list():
        with CaptureQueriesContext(connection) as queries:
            rows = unit.get("/requisitions", status="all").json()
        return len(rows), len(queries.captured_queries)

    _appealed(physician, unit, tromso_patient)
    one, few = queries_of_the_list()
    _appealed(physician, unit, tromso_patient)
    ask(physician, tromso_patient)
    three, many = queries_of_the_list()
    assert (one, three) == (1, 3)
    assert many == few


def test_the_requisitions_answer_is_what_its_schema_makes_of_its_row(
    physician, unit, unn_unit, tromso_patient, concentrator
):
    """GET /requisitions/{id} answers its row as RequisitionOut's validation would (ninja
    does not validate it again): the same bytes, an appeal and a loan of the kind among them."""
    from django.test import RequestFactory
    from ninja.renderers import JSONRenderer

    from overgang.api.requisitions.common import RequisitionOut
    from overgang.api.requisitions.shown import shown

    pk, _appeal = _appealed(physician, unit, tromso_patient)
    aids.lend_device(concentrator, tromso_patient, actor=unn_unit)
    response = unit.get(f"/requisitions/{pk}")
    request = RequestFactory().get("/")
    request.user = unn_unit
    validated = RequisitionOut.model_validate(shown(request, pk)).model_dump()
    assert validated["appeals"] and validated["existing_loans"]
    expected = JSONRenderer().render(request, validated, response_status=200)
    assert response.content.decode() == expected
    assert response["Content-Type"] == "application/json; charset=utf-8"
