"""A device reserved for a patient opens from the requisition as a read view (issue 19, item
6): the clinician and the case worker who see the patient see what it is, its serial, that
it is reserved and for whom, and where it is, without the unit's actions. Anyone who does not
see the patient finds nothing, and every read is logged."""

import pytest
from django.conf import settings

from overgang.audit.models import PatientRead
from overgang.requisitions import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def reserved(unit_requisition, unn_unit, concentrator):
    """UNN's concentrator UNN-OC-1, reserved for the Tromsø patient by a granted requisition."""
    concentrator.location = "Lager B, hylle 3"
    concentrator.save()
    actions.start_assessment(unit_requisition, actor=unn_unit)
    return actions.decide_requisition(
        unit_requisition,
        actor=unn_unit,
        approved=True,
        reason="Oppfyller kriteriene.",
        device=concentrator,
    )


def test_the_physician_opens_the_reserved_device_from_the_requisition(
    as_user, reserved, unn_physician, tromso_patient
):
    client = as_user(unn_physician)
    requisition = client.get(f"/requisitions/{reserved.pk}/").content.decode()
    assert 'href="/devices/UNN-OC-1/"' in requisition
    page = client.get("/devices/UNN-OC-1/")
    assert page.status_code == 200
    shown = page.content.decode()
    assert "Oxygen concentrator" in shown and "UNN-OC-1" in shown
    assert "Reserved for" in shown and tromso_patient.name in shown
    assert f"/requisitions/{reserved.pk}/" in shown
    assert "Lager B, hylle 3" in shown
    # A read view: none of the unit's actions.
    for action in ("Lend this device", "Reprocess", "Discard this device", "Print label"):
        assert action not in shown
    assert PatientRead.objects.filter(
        user=unn_physician, patient=tromso_patient, purpose="device"
    ).exists()


def test_the_case_worker_of_the_patients_municipality_sees_it_too(
    as_user, reserved, tromso_case_worker, tromso_patient
):
    page = as_user(tromso_case_worker).get("/devices/UNN-OC-1/")
    assert page.status_code == 200 and tromso_patient.name in page.content.decode()


def test_someone_who_does_not_see_the_patient_finds_nothing(
    as_user, reserved, frogner_case_worker, ous_clinician
):
    for user in (frogner_case_worker, ous_clinician):
        assert as_user(user).get("/devices/UNN-OC-1/").status_code == 404
        assert not PatientRead.objects.filter(user=user).exists()


def test_a_device_on_the_shelf_stays_the_units_own(as_user, concentrator, unn_physician):
    assert as_user(unn_physician).get("/devices/UNN-OC-1/").status_code == 404


def test_the_unit_still_gets_its_actions(as_user, reserved, unn_unit):
    shown = as_user(unn_unit).get("/devices/UNN-OC-1/").content.decode()
    assert "Lend this device" in shown and "Reserved for" in shown


def test_the_read_view_leads_to_no_failure_form_it_cannot_open(
    as_user, reserved, unn_physician, unn_unit
):
    """The failures section of a device seen only as reserved: no "Report a failure" that
    would answer "not found", while its unit keeps the button."""
    client = as_user(unn_physician)
    shown = client.get("/devices/UNN-OC-1/").content.decode()
    assert "/devices/UNN-OC-1/failures/new/" not in shown
    assert client.get("/devices/UNN-OC-1/failures/new/").status_code == 404
    unit_page = as_user(unn_unit).get("/devices/UNN-OC-1/").content.decode()
    assert "/devices/UNN-OC-1/failures/new/" in unit_page
