"""The requisition API: POST /requisitions and /decision as docs/contracts/api.md fixes them
(422 citing the rule when the requester may not apply; the decision answers with the appeal
route), the unit's worklists, delivery, appeals, letters, bad input and scope."""

import datetime

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from overgang.requisitions.models import Requisition

pytestmark = pytest.mark.django_db


def ask(api, patient, **changed):
    body = {
        "patient": patient.pk,
        "aid_type": "oxygen-concentrator",
        "requester_role": "specialist-physician",
        "justification": "KOLS IV, hypoksemi i hvile.",
        "department": "unn-lunge",
        "referred_by": "Fastlege Per Hansen",
        **changed,
    }
    return api.post("/requisitions", body)


def test_post_a_requisition_and_decide_it(physician, unit, tromso_patient, concentrator):
    created = ask(physician, tromso_patient)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["unit"], body["route"]) == ("submitted", "unn-bhm", "outpatient")
    assert body["appeal"]["body"] == "Statsforvalteren" and body["existing_loans"] == []
    queue = unit.get("/requisitions", status="to-assess").json()
    assert [r["id"] for r in queue] == [body["id"]]
    decided = unit.post(
        f"/requisitions/{body['id']}/decision",
        {"approved": True, "reason": "Oppfyller kriteriene.", "device": "UNN-OC-1"},
    )
    assert decided.status_code == 200, decided.json()
    answer = decided.json()
    assert answer["appeal"]["basis"] == "pasient- og brukerrettighetsloven § 7-2"
    assert (answer["status"], answer["device"], answer["delivery"]) == (
        "granted",
        "UNN-OC-1",
        "send",
    )
    assert [r["id"] for r in unit.get("/requisitions", status="to-deliver").json()] == [body["id"]]
    delivered = unit.post(f"/requisitions/{body['id']}/deliver", {"instruction_given": True})
    assert delivered.status_code == 200 and delivered.json()["loan"] is not None
    letter = unit.client.get(
        f"/api/v1/requisitions/{body['id']}/letter?lang=nb", headers=unit.headers
    )
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    note = unit.get(f"/requisitions/{body['id']}/journal-note").json()
    assert "§ 2-1 b" in note["text"]


def test_422_cites_the_rule_when_the_requester_may_not_apply(physician, tromso_patient):
    refused = ask(physician, tromso_patient, requester_role="physiotherapist", aid_type="cpap")
    assert refused.status_code == 422
    assert "001 Saksgang 3" in str(refused.json())
    assert not Requisition.objects.exists()


def test_a_gps_palliative_oxygen_through_the_api_needs_the_conference(physician, tromso_patient):
    gp = {"requester_role": "gp", "phase": "palliative", "referred_by": ""}
    assert ask(physician, tromso_patient, **gp).status_code == 422
    at = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    conferred = ask(
        physician, tromso_patient, **gp, conferred_with="Overlege, UNN lunge", conferred_at=at
    )
    assert conferred.status_code == 201, conferred.json()


def test_bad_input_is_422_naming_the_field(physician, unit, tromso_patient):
    assert "aid_type" in str(ask(physician, tromso_patient, aid_type="flying-carpet").json())
    assert "department" in str(ask(physician, tromso_patient, department="ous-lunge").json())
    created = ask(physician, tromso_patient).json()
    refusal = unit.post(f"/requisitions/{created['id']}/decision", {"approved": False})
    assert refusal.status_code == 422 and "reason" in str(refusal.json())
    bad_device = unit.post(
        f"/requisitions/{created['id']}/decision", {"approved": True, "device": "NOPE-1"}
    )
    assert bad_device.status_code == 422 and "device" in str(bad_device.json())
    assert Requisition.objects.get().status == "submitted"


def test_outside_the_scope_a_requisition_does_not_exist(
    physician, unit, api_as, tromso_patient, frogner_patient, ous_technician, make_user
):
    created = ask(physician, tromso_patient).json()
    ous_unit = api_as(ous_technician)
    assert ous_unit.get(f"/requisitions/{created['id']}").status_code == 404
    assert (
        ous_unit.post(f"/requisitions/{created['id']}/decision", {"approved": True}).status_code
        == 404
    )
    # A UNN physician does not requisition for an Oslo patient outside UNN's scope.
    outside = ask(physician, frogner_patient)
    assert outside.status_code == 422 and "patient" in str(outside.json())
    # The physician sees the requisition but does not decide it.
    assert physician.get(f"/requisitions/{created['id']}").status_code == 200
    assert (
        physician.post(f"/requisitions/{created['id']}/decision", {"approved": True}).status_code
        == 404
    )


def test_the_appeal_path_through_the_api(physician, unit, tromso_patient):
    created = ask(physician, tromso_patient).json()
    unit.post(f"/requisitions/{created['id']}/decision", {"approved": False, "reason": "pO2 9."})
    appeal = unit.post(
        f"/requisitions/{created['id']}/appeals", {"appellant": "patient", "grounds": "Uenig."}
    )
    assert appeal.status_code == 201 and appeal.json()["body"] == "Statsforvalteren"
    again = unit.post(
        f"/requisitions/{created['id']}/appeals", {"appellant": "patient", "grounds": "x"}
    )
    assert again.status_code == 409
    appeal_id = appeal.json()["id"]
    assert unit.post(f"/appeals/{appeal_id}/forward").json()["status"] == "forwarded"
    upheld = unit.post(f"/appeals/{appeal_id}/outcome", {"upheld": True, "outcome": "Opphevet."})
    assert upheld.status_code == 200 and upheld.json()["status"] == "upheld"
    reopened = unit.get(f"/requisitions/{created['id']}").json()
    assert (reopened["status"], reopened["reopened"]) == ("submitted", 1)
    assert physician.post(f"/appeals/{appeal_id}/forward").status_code == 404


def test_the_loans_of_the_kind_are_seen_before_asking(
    physician, unn_unit, tromso_patient, frogner_patient, concentrator
):
    from overgang.aids import actions as aids

    aids.lend_device(concentrator, tromso_patient, actor=unn_unit)
    seen = physician.get(
        "/requisitions/existing-loans", patient=tromso_patient.pk, aid_type="long-term-oxygen"
    )
    assert seen.status_code == 200 and [x["serial"] for x in seen.json()] == ["UNN-OC-1"]
    unknown = physician.get(
        "/requisitions/existing-loans", patient=tromso_patient.pk, aid_type="teleporter"
    )
    assert unknown.status_code == 422 and "aid_type" in str(unknown.json())
    outside = physician.get(
        "/requisitions/existing-loans", patient=frogner_patient.pk, aid_type="cpap"
    )
    assert outside.status_code == 404


def test_the_contracts_paths_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/requisitions",
        "/api/v1/requisitions/{pk}/decision",
        "/api/v1/nav-applications",
        "/api/v1/disputes",
    } <= set(paths)
    schema = client.get("/api/v1/openapi.json").json()
    decision = schema["paths"]["/api/v1/requisitions/{pk}/decision"]["post"]
    answer = decision["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert "appeal" in schema["components"]["schemas"][answer.rsplit("/", 1)[1]]["properties"]


@pytest.mark.parametrize(
    ("role", "aid", "changed", "status", "cite"),
    [
        ("specialist-physician", "cpap", {}, 201, "001 Saksgang 2"),
        ("private-specialist-with-agreement", "cpap", {}, 201, "001 Saksgang 3"),
        ("gp", "nebuliser", {}, 201, "001 Saksgang 3"),
        ("gp", "cpap", {}, 422, "001 Saksgang 3"),
        ("gp", "oxygen-concentrator", {}, 422, "001 Saksgang 3"),
        ("physiotherapist", "tens", {}, 201, "001 Saksgang 3"),
        ("physiotherapist", "compression-garment", {}, 422, "001 Saksgang 3"),
        (
            "lymphoedema-physiotherapist",
            "compression-garment",
            {"lymphoedema": "secondary"},
            201,
            "001 Saksgang 3",
        ),
        ("lymphoedema-physiotherapist", "compression-garment", {}, 422, "001 Saksgang 3"),
    ],
)
def test_each_u2_rule_through_the_api(physician, tromso_patient, role, aid, changed, status, cite):
    answer = ask(physician, tromso_patient, requester_role=role, aid_type=aid, **changed)
    assert answer.status_code == status, answer.json()
    body = answer.json()
    assert cite in (" ".join(body["cites"]) if status == 201 else str(body))


def test_a_requisition_shows_the_loans_of_its_kind_its_therapy_and_its_parts(
    physician, unn_unit, areas, system, tromso_patient, concentrator
):
    """GET /requisitions/{id} reads `existing_loans` in the requisition's row on PostgreSQL
    (as SQL of its own): the same loans, in the same order, as `loans_of_kind` finds."""
    from overgang.aids import actions as aids
    from overgang.api.requisitions.shown import LOAN_COLUMNS
    from overgang.requisitions.actions import loans_of_kind

    aids.lend_device(concentrator, tromso_patient, actor=unn_unit)
    cpap = aids.register_device(
        actor=system, aid_type="cpap", serial="UNN-CPAP-9", owner=areas["unn-bhm"]
    )
    aids.lend_device(cpap, tromso_patient, actor=unn_unit)
    for kind, serials in (
        ("oxygen-concentrator", ["UNN-OC-1"]),
        ("long-term-oxygen", ["UNN-OC-1"]),
        ("cpap", ["UNN-CPAP-9"]),
    ):
        created = ask(physician, tromso_patient, aid_type=kind)
        assert created.status_code == 201, created.json()
        requisition = Requisition.objects.select_related("aid_type").get(pk=created.json()["id"])
        expected = [
            dict(zip(("id", "serial", "aid_type", "owner", "started_at"), loan, strict=True))
            for loan in loans_of_kind(
                tromso_patient.pk, requisition.aid_type_id, requisition.aid_type.parts
            ).values_list(*LOAN_COLUMNS)
        ]
        shown = physician.get(f"/requisitions/{requisition.pk}").json()["existing_loans"]
        assert [loan["serial"] for loan in shown] == serials, kind
        for loan, row in zip(shown, expected, strict=True):
            started = row.pop("started_at")  # the JSON shows milliseconds
            assert loan.pop("started_at") == DjangoJSONEncoder().default(started), kind
            assert loan == row, kind
