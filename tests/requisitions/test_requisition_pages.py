"""Requisitions on the pages: the form shows the aids already on loan and the agreement's
refusal with its citation (U2); the unit's lists to assess and to deliver; deciding,
reserving, delivering; the letters; appeals; bad input (422) and scope (404)."""

import datetime
import re

import pytest
from django.conf import settings

from overgang import clock
from overgang.aids import actions as aids
from overgang.requisitions import actions
from overgang.requisitions.models import Requisition

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def form(areas, **changed):
    return {
        "aid_type": "oxygen-concentrator",
        "route": "outpatient",
        "requester_name": "Ingrid Lege",
        "requester_role": "specialist-physician",
        "department": areas["unn-lunge"].pk,
        "justification": "KOLS IV, hypoksemi i hvile.",
        "referred_by": "Fastlege Per Hansen",
        **changed,
    }


def test_a_physician_requisitions_from_the_patients_page(
    as_user, unn_physician, tromso_patient, areas
):
    client = as_user(unn_physician)
    page = client.get(f"/patients/{tromso_patient.pk}/").content.decode()
    assert f"/patients/{tromso_patient.pk}/requisitions/new/" in page
    sent = client.post(f"/patients/{tromso_patient.pk}/requisitions/new/", form(areas))
    assert sent.status_code == 302
    assert Requisition.objects.get().patient == tromso_patient
    shown = client.get(sent["Location"]).content.decode()
    assert "Seksjon for behandlingshjelpemidler" in shown and "001 Saksgang 2" in shown


@pytest.mark.parametrize(
    ("changed", "cite"),
    [
        ({"requester_role": "physiotherapist", "aid_type": "cpap"}, "001 Saksgang 3"),
        ({"requester_role": "gp", "aid_type": "cpap", "referred_by": ""}, "001 Saksgang 3"),
        ({"requester_role": "gp", "phase": "palliative", "referred_by": ""}, "001 Beskrivelse 9"),
        ({"referred_by": ""}, "001 Saksgang 2"),
    ],
)
def test_the_form_shows_the_agreements_refusal_with_its_citation(
    as_user, unn_physician, tromso_patient, areas, changed, cite
):
    client = as_user(unn_physician)
    refused = client.post(
        f"/patients/{tromso_patient.pk}/requisitions/new/", form(areas, **changed)
    )
    assert refused.status_code == 422
    assert cite in refused.content.decode()
    assert not Requisition.objects.exists()


def test_the_aids_on_loan_are_shown_and_another_of_the_kind_is_confirmed(
    as_user, unn_physician, unn_unit, tromso_patient, areas, concentrator
):
    aids.lend_device(concentrator, tromso_patient, actor=unn_unit)
    client = as_user(unn_physician)
    page = client.get(f"/patients/{tromso_patient.pk}/requisitions/new/").content.decode()
    assert "UNN-OC-1" in page
    unconfirmed = client.post(f"/patients/{tromso_patient.pk}/requisitions/new/", form(areas))
    assert unconfirmed.status_code == 422 and "UNN-OC-1" in unconfirmed.content.decode()
    confirmed = client.post(
        f"/patients/{tromso_patient.pk}/requisitions/new/", form(areas, confirm_existing="on")
    )
    assert confirmed.status_code == 302


def test_the_unit_assesses_grants_reserves_and_delivers(
    as_user, unit_requisition, unn_unit, concentrator
):
    client = as_user(unn_unit)
    queue = client.get("/requisitions/").content.decode()
    assert f"/requisitions/{unit_requisition.pk}/" in queue and "To assess" in queue
    assert client.post(f"/requisitions/{unit_requisition.pk}/assess/").status_code == 302
    undecided = client.post(f"/requisitions/{unit_requisition.pk}/decide/", {"reason": ""})
    assert undecided.status_code == 422 and "grant or refuse" in undecided.content.decode()
    granted = client.post(
        f"/requisitions/{unit_requisition.pk}/decide/",
        {"approved": "yes", "reason": "Oppfyller kriteriene.", "device": "UNN-OC-1"},
    )
    assert granted.status_code == 302
    to_deliver = client.get("/requisitions/?show=to-deliver").content.decode()
    assert "UNN-OC-1" in to_deliver
    detail = client.get(f"/requisitions/{unit_requisition.pk}/").content.decode()
    assert "§ 2-1 b" in detail and "Journal note" in detail
    delivered = client.post(
        f"/requisitions/{unit_requisition.pk}/deliver/", {"instruction_given": "on"}
    )
    assert delivered.status_code == 302
    unit_requisition.refresh_from_db()
    assert unit_requisition.status == "delivered" and unit_requisition.loan is not None
    letter = client.get(f"/requisitions/{unit_requisition.pk}/letter-nb.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert client.get(f"/requisitions/{unit_requisition.pk}/letter-xx.pdf").status_code == 404


def test_a_refusal_without_reason_is_a_form_error(as_user, unit_requisition, unn_unit):
    client = as_user(unn_unit)
    refused = client.post(
        f"/requisitions/{unit_requisition.pk}/decide/", {"approved": "no", "reason": ""}
    )
    assert refused.status_code == 422 and "reason for the refusal" in refused.content.decode()
    unit_requisition.refresh_from_db()
    assert unit_requisition.status == "submitted"


def test_the_appeal_path_on_the_pages(as_user, unit_requisition, unn_unit):
    actions.decide_requisition(unit_requisition, actor=unn_unit, approved=False, reason="pO2 9.")
    client = as_user(unn_unit)
    bad = client.post(f"/requisitions/{unit_requisition.pk}/appeals/", {"appellant": "relative"})
    assert bad.status_code == 422
    registered = client.post(
        f"/requisitions/{unit_requisition.pk}/appeals/",
        {"appellant": "relative", "appellant_name": "Siri Nordlys", "grounds": "Uenig."},
    )
    assert registered.status_code == 302
    appeal = unit_requisition.appeals.get()
    assert client.post(f"/appeals/{appeal.pk}/forward/").status_code == 302
    future = (clock.today() + datetime.timedelta(days=3)).isoformat()
    early = client.post(
        f"/appeals/{appeal.pk}/outcome/", {"upheld": "yes", "outcome": "x", "decided_on": future}
    )
    assert early.status_code == 422
    upheld = client.post(
        f"/appeals/{appeal.pk}/outcome/", {"upheld": "yes", "outcome": "Opphevet."}
    )
    assert upheld.status_code == 302
    unit_requisition.refresh_from_db()
    assert unit_requisition.status == "submitted" and unit_requisition.reopened == 1


def test_outside_the_scope_the_pages_do_not_exist(
    as_user, unit_requisition, ous_technician, unn_physician, frogner_patient
):
    other_unit = as_user(ous_technician)
    assert other_unit.get(f"/requisitions/{unit_requisition.pk}/").status_code == 404
    assert (
        other_unit.post(
            f"/requisitions/{unit_requisition.pk}/decide/", {"approved": "yes"}
        ).status_code
        == 404
    )
    assert other_unit.get(f"/requisitions/{unit_requisition.pk}/letter-nb.pdf").status_code == 404
    physician = as_user(unn_physician)
    assert (
        physician.post(
            f"/requisitions/{unit_requisition.pk}/decide/", {"approved": "yes"}
        ).status_code
        == 404
    )
    assert physician.get(f"/patients/{frogner_patient.pk}/requisitions/new/").status_code == 404


def test_an_over_long_reason_for_a_grant_is_refused_on_its_field_and_decides_nothing(
    as_user, unit_requisition, unn_unit, concentrator
):
    # The reason is optional for a grant: once it was dropped silently and the aid granted.
    page = as_user(unn_unit).post(
        f"/requisitions/{unit_requisition.pk}/decide/",
        {"approved": "yes", "reason": "x" * 4001, "device": "UNN-OC-1"},
    )
    assert page.status_code == 422
    assert re.search(
        r'<p class="error" role="alert" id="decide_reason_error">[^<]*at most 4000 characters',
        page.content.decode(),
    )
    unit_requisition.refresh_from_db()
    assert unit_requisition.status == "submitted" and unit_requisition.device is None


@pytest.mark.parametrize(
    ("language", "by_date", "by_person"),
    [("nb", "innen", "utført av"), ("da", "senest", "udført af")],
)
def test_a_delivery_date_reads_as_a_deadline_not_as_who_did_it(
    client, unit_requisition, unn_unit, concentrator, language, by_date, by_person
):
    client.force_login(unn_unit)
    client.post(f"/requisitions/{unit_requisition.pk}/assess/")
    granted = client.post(
        f"/requisitions/{unit_requisition.pk}/decide/",
        {
            "approved": "yes",
            "reason": "Oppfyller kriteriene.",
            "delivery": "send",
            "deliver_by": (clock.today() + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert granted.status_code == 302
    unit_requisition.refresh_from_db()
    assert unit_requisition.deliver_by is not None
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(f"/requisitions/{unit_requisition.pk}/").content.decode()
    shown = unit_requisition.deliver_by.strftime("%d.%m.%Y")
    assert f"{by_date} {shown}" in page
    assert f"{by_person} {shown}" not in page
    assert page.count(shown) >= 1, page


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("nb", "1</span> rekvisisjon til vurdering", "2</span> rekvisisjoner til vurdering"),
        ("da", "1</span> rekvisition til vurdering", "2</span> rekvisitioner til vurdering"),
        ("en", "1</span> requisition to assess", "2</span> requisitions to assess"),
    ],
)
def test_the_units_start_page_counts_in_singular_and_plural(
    client, requisition_of, unn_unit, language, one, two
):
    client.force_login(unn_unit)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    requisition_of()
    assert one in client.get("/").content.decode()
    requisition_of()
    assert two in client.get("/").content.decode()
