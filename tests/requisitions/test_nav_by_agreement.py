"""An application to NAV is offered and registered only where the patient's agreement routes
the aid to NAV, by the side it names (H2, H5): Levanger's allocation office for a long-term
need, linked to the need on the stay, whose task to apply is done when it is sent; HNT for a
specially fitted aid needed for the journey home. Oslo, Tromsø and Aalborg: no offer, and a
clear refusal on the page and over the API."""

from __future__ import annotations

import pytest
from django.conf import settings

from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.requisitions import actions
from overgang.requisitions.models import NavApplication
from overgang.stays import actions as stays
from overgang.stays.models import Deadline
from tests.stays.conftest import at

pytestmark = pytest.mark.django_db
NOT_ROUTED = "does not route technical aids to NAV"


@pytest.fixture
def as_user(client):
    def login(user, language="en"):
        client.logout()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


@pytest.fixture
def hnt_physician(make_user):
    return make_user("hnt-clinician", ("hnt-levanger-med", "clinician"))


@pytest.fixture
def unn_physician(make_user):
    return make_user("unn-lege", ("unn-lunge", "clinician"))


def stay_with_need(patient, physician, unit, **need):
    stay = stays.admit(
        patient,
        actor=physician,
        unit=unit,
        admission="emergency",
        admitted_at=at("2026-03-27 10:00"),
        expected_stay_hours=96,
    )
    fields = {"kind": "aid", "aid_type": "wheelchair", "description": "Rullestol ute"}
    made = stays.record_need(stay, actor=physician, at=at("2026-03-28 09:00"), **{**fields, **need})
    return stay, made


@pytest.fixture
def long_term(levanger_user, hnt_physician, areas):
    return stay_with_need(levanger_user, hnt_physician, areas["hnt-levanger-med"], duration="long")


@pytest.fixture
def journey_home(levanger_user, hnt_physician, areas):
    """H2: a specially fitted wheelchair, long-term, needed for the journey home."""
    return stay_with_need(
        levanger_user,
        hnt_physician,
        areas["hnt-levanger-med"],
        aid_type="fitted-wheelchair",
        duration="long",
        needed_for_journey_home=True,
    )


def refused_on(response, field, words):
    """The API's 422 names the field and says why."""
    return any(d["loc"][-1] == field and words in d["msg"] for d in response.json()["detail"])


def apply_task(need, party):
    return Deadline.objects.get(need=need, duty="aid-application", party=party)


# Levanger: the allocation office applies for a long-term need, from the need on the stay.


def test_levanger_need_row_offers_nav_and_the_application_does_the_task_when_sent(
    as_user, long_term, levanger_office, hnt_physician, levanger_user, areas
):
    stay, need = long_term
    client = as_user(levanger_office)
    page = client.get(f"/stays/{stay.pk}/").content.decode()
    offer = f"/patients/{levanger_user.pk}/nav/new/?need={need.pk}"
    assert offer in page and "Apply to NAV for it" in page
    # The hospital does not apply for this need: no offer to its physician.
    assert offer not in as_user(hnt_physician).get(f"/stays/{stay.pk}/").content.decode()

    client = as_user(levanger_office)
    form = client.get(offer).content.decode()
    assert f'<option value="{need.pk}" selected>' in form
    assert '<option value="wheelchair" selected>' in form
    assert "002 2" in form  # what the routine says, cited
    sent = client.post(
        f"/patients/{levanger_user.pk}/nav/new/",
        {
            "need": need.pk,
            "aid_type": "wheelchair",
            "duration_months": "36",
            "municipality": areas["levanger-tildeling"].pk,
        },
    )
    assert sent.status_code == 302
    application = NavApplication.objects.get()
    assert (application.need, application.stay) == (need, stay)
    assert apply_task(need, "municipality").done_at is None  # registered, not yet sent
    page = client.get(f"/stays/{stay.pk}/").content.decode()
    assert f"/nav/{application.pk}/" in page and offer not in page  # one open at a time

    client.post(f"/nav/{application.pk}/signature/", {"signed_by": "user"})
    client.post(f"/nav/{application.pk}/sent/", {"nav_reference": "HMS-7"})
    task = apply_task(need, "municipality")
    assert task.done_at is not None and "HMS-7" in task.done_note
    assert ChangeRecord.objects.filter(
        model="stays.deadline", object_id=str(task.pk), action="changed"
    ).exists()


def test_a_second_application_for_the_same_need_is_refused(
    long_term, levanger_office, areas, levanger_user
):
    stay, need = long_term
    given = actions.NavApplicationInput(
        patient=levanger_user,
        municipality=areas["levanger-tildeling"],
        aid_type="wheelchair",
        duration_months=36,
        stay=stay,
        need=need,
    )
    actions.register_application(given, actor=levanger_office)
    with pytest.raises(Conflict):
        actions.register_application(given, actor=levanger_office)


def test_the_need_must_be_the_aid_applied_for(
    as_user, long_term, levanger_office, levanger_user, areas
):
    _stay, need = long_term
    client = as_user(levanger_office)
    wrong = client.post(
        f"/patients/{levanger_user.pk}/nav/new/",
        {
            "need": need.pk,
            "aid_type": "care-bed",
            "duration_months": "36",
            "municipality": areas["levanger-tildeling"].pk,
        },
    )
    assert wrong.status_code == 422
    assert 'id="id_need_error"' in wrong.content.decode()
    unknown = client.post(
        f"/patients/{levanger_user.pk}/nav/new/",
        {"need": "999999", "aid_type": "wheelchair", "duration_months": "36"},
    )
    assert unknown.status_code == 422 and 'id="id_need_error"' in unknown.content.decode()
    assert not NavApplication.objects.exists()


def test_a_need_out_of_scope_or_nonsense_is_not_found(
    as_user, long_term, levanger_office, levanger_user, tromso_patient, unn_physician, areas
):
    _, _need = long_term
    _other, other_need = stay_with_need(
        tromso_patient, unn_physician, areas["unn-lunge"], duration="long"
    )
    client = as_user(levanger_office)
    base = f"/patients/{levanger_user.pk}/nav/new/"
    assert client.get(f"{base}?need={other_need.pk}").status_code == 404
    assert client.get(f"{base}?need=abc").status_code == 404
    assert client.get(f"/patients/{tromso_patient.pk}/nav/new/").status_code == 404


# H2: the hospital applies for a fitted aid needed for the journey home, in Levanger only.


def test_hnt_registers_its_application_for_a_fitted_aid_for_the_journey_home(
    as_user, journey_home, hnt_physician, levanger_office, levanger_user, areas
):
    stay, need = journey_home
    assert apply_task(need, "hospital").cites == ["002 1"]
    offer = f"/patients/{levanger_user.pk}/nav/new/?need={need.pk}"
    assert offer not in as_user(levanger_office).get(f"/stays/{stay.pk}/").content.decode()
    client = as_user(hnt_physician)
    assert offer in client.get(f"/stays/{stay.pk}/").content.decode()
    form = client.get(offer)
    assert form.status_code == 200 and "002 1" in form.content.decode()
    made = client.post(
        f"/patients/{levanger_user.pk}/nav/new/",
        {
            "need": need.pk,
            "aid_type": "fitted-wheelchair",
            "duration_months": "60",
            "municipality": areas["hnt-levanger-med"].pk,
        },
    )
    assert made.status_code == 302
    application = NavApplication.objects.get()
    assert application.municipality == areas["hnt-levanger-med"]
    assert application.cites == ["002 1", "002 2"]
    client.post(f"/nav/{application.pk}/signature/", {"signed_by": "user"})
    assert client.post(f"/nav/{application.pk}/sent/", {}).status_code == 302
    assert apply_task(need, "hospital").done_at is not None


def test_the_hospital_is_refused_where_the_municipality_applies_and_the_other_way(
    journey_home, hnt_physician, levanger_office, levanger_user, areas
):
    with pytest.raises(InvalidInput) as refused:
        actions.register_application(
            actions.NavApplicationInput(
                patient=levanger_user,
                municipality=areas["hnt-levanger-med"],
                aid_type="wheelchair",
                duration_months=36,
            ),
            actor=hnt_physician,
        )
    assert "municipality apply to NAV (002 2)" in refused.value.errors["municipality"]
    fitted_stay, fitted = journey_home
    with pytest.raises(InvalidInput) as refused:
        actions.register_application(
            actions.NavApplicationInput(
                patient=levanger_user,
                municipality=areas["levanger-tildeling"],
                aid_type="fitted-wheelchair",
                duration_months=36,
                stay=fitted_stay,
                need=fitted,
            ),
            actor=levanger_office,
        )
    assert "hospital apply to NAV (002 1)" in refused.value.errors["municipality"]
    assert not NavApplication.objects.exists()


def test_the_hospital_applies_over_the_api_for_the_journey_home_need(
    api_as, journey_home, hnt_physician, levanger_user
):
    stay, need = journey_home
    api = api_as(hnt_physician)
    needs = api.get(f"/stays/{stay.pk}/needs").json()
    assert [n["nav_applicant"] for n in needs] == ["hospital"]
    made = api.post(
        "/nav-applications",
        {
            "patient": levanger_user.pk,
            "aid_type": "fitted-wheelchair",
            "duration_months": 60,
            "need": need.pk,
            "office": "hnt-levanger-med",
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["applicant"], body["stay"], body["need"]) == ("hospital", stay.pk, need.pk)


def test_unn_physician_is_refused_with_the_reason(
    as_user, api_as, unn_physician, tromso_patient, areas
):
    _stay, need = stay_with_need(
        tromso_patient,
        unn_physician,
        areas["unn-lunge"],
        aid_type="fitted-wheelchair",
        duration="long",
        needed_for_journey_home=True,
    )
    page = as_user(unn_physician).get(f"/patients/{tromso_patient.pk}/nav/new/?need={need.pk}")
    assert page.status_code == 409 and NOT_ROUTED in page.content.decode()
    refused = api_as(unn_physician).post(
        "/nav-applications",
        {
            "patient": tromso_patient.pk,
            "aid_type": "fitted-wheelchair",
            "duration_months": 60,
            "need": need.pk,
            "office": "unn-lunge",
        },
    )
    assert refused.status_code == 422 and refused_on(refused, "patient", NOT_ROUTED)
    assert not NavApplication.objects.exists()


# Oslo and Tromsø: nothing routed to NAV; Aalborg: no NAV at all.


@pytest.mark.parametrize(
    ("worker", "patient", "office"),
    [
        ("frogner_case_worker", "frogner_patient", "oslo-frogner-bestiller"),
        ("tromso_case_worker", "tromso_patient", "tromso-tildeling"),
        ("aalborg_case_worker", "aalborg_patient", "aalborg-visitation"),
    ],
)
def test_no_nav_where_the_agreement_routes_nothing_there(
    request, as_user, api_as, worker, patient, office
):
    worker, patient = request.getfixturevalue(worker), request.getfixturevalue(patient)
    client = as_user(worker)
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "/nav/new/" not in page and "Apply to NAV" not in page
    assert "NAV application" not in client.get("/").content.decode()
    new = client.get(f"/patients/{patient.pk}/nav/new/")
    assert new.status_code == 409 and NOT_ROUTED in new.content.decode()
    posted = client.post(
        f"/patients/{patient.pk}/nav/new/", {"aid_type": "care-bed", "duration_months": "36"}
    )
    assert posted.status_code == 409
    refused = api_as(worker).post(
        "/nav-applications",
        {"patient": patient.pk, "aid_type": "care-bed", "duration_months": 36, "office": office},
    )
    assert refused.status_code == 422 and refused_on(refused, "patient", NOT_ROUTED)
    assert not NavApplication.objects.exists()


def test_a_tromso_stay_offers_no_nav_application_on_a_long_term_need(
    as_user, tromso_case_worker, tromso_patient, unn_physician, areas
):
    stay, _need = stay_with_need(tromso_patient, unn_physician, areas["unn-lunge"], duration="long")
    page = as_user(tromso_case_worker).get(f"/stays/{stay.pk}/").content.decode()
    assert "/nav/new/" not in page


def test_levanger_office_keeps_the_start_page_card(as_user, levanger_office):
    assert "NAV application" in as_user(levanger_office).get("/").content.decode()
