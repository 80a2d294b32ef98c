"""NAV applications and disputes on the pages and over the API: the next step only, form
errors (422), the state that forbids a step (409), scope (404)."""

import re

import pytest
from django.conf import settings

from overgang.requisitions import actions
from overgang.requisitions.models import Dispute, NavApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def test_the_office_applies_and_works_the_steps_on_the_pages(
    as_user, levanger_office, levanger_user, areas
):
    client = as_user(levanger_office)
    page = client.get(f"/patients/{levanger_user.pk}/").content.decode()
    assert f"/patients/{levanger_user.pk}/nav/new/" in page
    short = client.post(
        f"/patients/{levanger_user.pk}/nav/new/",
        {
            "aid_type": "care-bed",
            "duration_months": "6",
            "municipality": areas["levanger-tildeling"].pk,
        },
    )
    assert short.status_code == 422 and "002 2" in short.content.decode()
    sent = client.post(
        f"/patients/{levanger_user.pk}/nav/new/",
        {
            "aid_type": "care-bed",
            "duration_months": "36",
            "municipality": areas["levanger-tildeling"].pk,
        },
    )
    assert sent.status_code == 302
    application = NavApplication.objects.get()
    detail = client.get(sent["Location"]).content.decode()
    assert "signature is missing" in detail
    out_of_turn = client.post(f"/nav/{application.pk}/sent/", {})
    assert out_of_turn.status_code == 409
    unnamed = client.post(f"/nav/{application.pk}/signature/", {"signed_by": "guardian"})
    assert unnamed.status_code == 422
    assert (
        client.post(f"/nav/{application.pk}/signature/", {"signed_by": "user"}).status_code == 302
    )
    assert client.post(f"/nav/{application.pk}/sent/", {"nav_reference": "H-1"}).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.nav_reference) == ("sent", "H-1")
    assert "Signature missing" in client.get("/nav/?show=unsigned").content.decode()


def test_nav_applications_outside_the_scope_do_not_exist(
    as_user, application_for, frogner_case_worker, api_as
):
    application = application_for()
    other = as_user(frogner_case_worker)
    assert other.get(f"/nav/{application.pk}/").status_code == 404
    assert other.post(f"/nav/{application.pk}/signature/", {"signed_by": "user"}).status_code == 404
    assert api_as(frogner_case_worker).get(f"/nav-applications/{application.pk}").status_code == 404


def test_the_nav_api_registers_and_reminds(api_as, levanger_office, levanger_user):
    api = api_as(levanger_office)
    created = api.post(
        "/nav-applications",
        {"patient": levanger_user.pk, "aid_type": "wheelchair", "duration_months": 48},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["office"], body["reminders"]) == (
        "awaiting-signature",
        "levanger-tildeling",
        0,
    )
    bad = api.post("/nav-applications", {"patient": levanger_user.pk, "aid_type": "cpap"})
    assert bad.status_code == 422 and "aid_type" in str(bad.json())
    application = NavApplication.objects.get()
    actions.remind_missing_signatures(application.remind_at)
    again = api.get(f"/nav-applications/{body['id']}").json()
    assert again["reminders"] == 1 and again["reminder_log"][0]["number"] == 1
    signed = api.post(f"/nav-applications/{body['id']}/signature", {"signed_by": "user"})
    assert signed.status_code == 200 and signed.json()["remind_at"] is None
    assert api.post(f"/nav-applications/{body['id']}/follow-up", {"note": "x"}).status_code == 409


def test_a_dispute_on_the_pages_names_who_delivers_and_escalates(
    as_user, aalborg_allocation, aalborg_patient, areas
):
    client = as_user(aalborg_allocation)
    page = client.get(f"/patients/{aalborg_patient.pk}/").content.decode()
    assert f"/patients/{aalborg_patient.pk}/disputes/new/" in page
    empty = client.post(f"/patients/{aalborg_patient.pk}/disputes/new/", {"question": "who-pays"})
    assert empty.status_code == 422 and not Dispute.objects.exists()
    raised = client.post(
        f"/patients/{aalborg_patient.pk}/disputes/new/",
        {
            "aid_type": "wrist-splint",
            "question": "who-pays",
            "description": "Uenige om kategorien.",
            "hospital": areas["aauh-lunge"].pk,
            "municipality": areas["aalborg-visitation"].pk,
        },
    )
    assert raised.status_code == 302
    dispute = Dispute.objects.get()
    detail = client.get(raised["Location"]).content.decode()
    assert "Delivers at once: the municipality" in detail and "003 8" in detail
    early = client.post(f"/disputes/{dispute.pk}/settle/", {"payer": "hospital", "settlement": "x"})
    assert early.status_code == 409
    assert client.post(f"/disputes/{dispute.pk}/escalate/", {"note": ""}).status_code == 422
    assert client.post(f"/disputes/{dispute.pk}/escalate/", {"note": "Uenige."}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.level == "contact-committee"


def test_disputes_outside_the_scope_do_not_exist(
    as_user, api_as, aalborg_allocation, aalborg_patient, frogner_case_worker, areas
):
    dispute = actions.raise_dispute(
        aalborg_patient,
        actor=aalborg_allocation,
        aid_type="wrist-splint",
        question="who-delivers",
        description="Uenige.",
        hospital=areas["aauh-lunge"],
        municipality=areas["aalborg-visitation"],
    )
    other = as_user(frogner_case_worker)
    assert other.get(f"/disputes/{dispute.pk}/").status_code == 404
    assert other.post(f"/disputes/{dispute.pk}/escalate/", {"note": "x"}).status_code == 404
    assert api_as(frogner_case_worker).get(f"/disputes/{dispute.pk}").status_code == 404
    api = api_as(aalborg_allocation)
    assert (
        api.post(f"/disputes/{dispute.pk}/delivery", {"note": "Skinne udleveret."}).status_code
        == 200
    )
    settled = api.post(
        f"/disputes/{dispute.pk}/settle", {"payer": "shared", "settlement": "Deles 50/50."}
    )
    assert settled.status_code == 200 and settled.json()["status"] == "settled"


def test_an_over_long_description_is_refused_on_its_field_and_nothing_is_registered(
    as_user, levanger_office, levanger_user, areas
):
    # The description is optional: once it was dropped silently and the application made.
    page = as_user(levanger_office).post(
        f"/patients/{levanger_user.pk}/nav/new/",
        {
            "aid_type": "care-bed",
            "duration_months": "36",
            "municipality": areas["levanger-tildeling"].pk,
            "description": "x" * 2001,
        },
    )
    assert page.status_code == 422
    assert re.search(
        r'<p class="error" role="alert" id="id_description_error">[^<]*at most 2000 characters',
        page.content.decode(),
    )
    assert not NavApplication.objects.exists()


def test_an_over_long_nav_reference_is_refused_on_its_field_and_the_step_waits(
    as_user, levanger_office, levanger_user, areas
):
    client = as_user(levanger_office)
    client.post(
        f"/patients/{levanger_user.pk}/nav/new/",
        {
            "aid_type": "care-bed",
            "duration_months": "36",
            "municipality": areas["levanger-tildeling"].pk,
        },
    )
    application = NavApplication.objects.get()
    client.post(f"/nav/{application.pk}/signature/", {"signed_by": "user"})
    page = client.post(f"/nav/{application.pk}/sent/", {"nav_reference": "H" * 41})
    assert page.status_code == 422
    assert re.search(
        r'<p class="error" role="alert" id="id_nav_reference_error">[^<]*at most 40 characters',
        page.content.decode(),
    )
    application.refresh_from_db()
    assert (application.status, application.nav_reference) == ("signed", "")
