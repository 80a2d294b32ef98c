"""Returns (O8): reported by the municipality or for the patient, picked up by appointment or
brought to the unit, done when every device is checked in."""

import datetime

import pytest
from django.utils import timezone

from overgang.aids import actions
from overgang.aids.models import ReturnRequest
from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db

TOMORROW_10 = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)


@pytest.fixture
def loan(ventilator, frogner_patient, ous_technician):
    return actions.lend_device(ventilator, frogner_patient, actor=ous_technician)


@pytest.fixture
def pickup(loan, frogner_case_worker):
    return actions.request_return(
        [loan],
        actor=frogner_case_worker,
        method="pickup",
        reported_for="relative",
        contact_name="Ola Nordmann (son)",
        contact_phone="912 34 567",
    )


def test_a_reported_pickup_is_agreed_and_closed_when_the_device_is_checked_in(
    pickup, loan, ous_technician
):
    assert (pickup.status, pickup.address, pickup.unit.key) == (
        "requested",
        "Skovveien 12",
        "ous-bhm",
    )
    actions.schedule_pickup(pickup, actor=ous_technician, at=TOMORROW_10)
    pickup.refresh_from_db()
    assert (pickup.status, pickup.appointment) == ("scheduled", TOMORROW_10)
    actions.return_loan(loan, actor=ous_technician)
    pickup.refresh_from_db()
    assert pickup.status == "done" and pickup.closed_at is not None


def test_a_set_is_done_only_when_every_device_is_back(
    system, areas, ventilator, frogner_patient, ous_technician, frogner_case_worker
):
    second = actions.register_device(
        actor=system, aid_type="home-ventilator", serial="HV-0002", owner=areas["ous-bhm"]
    )
    main = actions.lend_device(
        ventilator, frogner_patient, actor=ous_technician, companions=[second]
    )
    both = [*main.companions.all(), main]
    request = actions.request_return(
        both, actor=frogner_case_worker, method="drop-off", reported_for="municipality"
    )
    actions.return_loan(main, actor=ous_technician)
    request.refresh_from_db()
    assert request.status == "requested"
    actions.return_loan(both[0], actor=ous_technician)
    request.refresh_from_db()
    assert request.status == "done"


def test_a_pickup_needs_a_phone_number_and_names_the_field(loan, frogner_case_worker):
    with pytest.raises(InvalidInput) as raised:
        actions.request_return(
            [loan], actor=frogner_case_worker, method="pickup", reported_for="patient"
        )
    assert set(raised.value.errors) == {"contact_phone"}
    assert not ReturnRequest.objects.exists()


@pytest.mark.parametrize(
    ("method", "reported_for", "field"),
    [("teleport", "patient", "method"), ("drop-off", "neighbour", "reported_for")],
)
def test_unknown_choices_are_refused_naming_the_field(
    loan, frogner_case_worker, method, reported_for, field
):
    with pytest.raises(InvalidInput) as raised:
        actions.request_return(
            [loan], actor=frogner_case_worker, method=method, reported_for=reported_for
        )
    assert field in raised.value.errors
    assert not ReturnRequest.objects.exists()


def test_devices_reported_once_are_not_reported_again(pickup, loan, frogner_case_worker):
    with pytest.raises(Conflict, match="already reported"):
        actions.request_return(
            [loan], actor=frogner_case_worker, method="drop-off", reported_for="patient"
        )
    assert ReturnRequest.objects.count() == 1


def test_a_checked_in_device_cannot_be_reported(loan, ous_technician, frogner_case_worker):
    actions.return_loan(loan, actor=ous_technician)
    with pytest.raises(Conflict):
        actions.request_return(
            [loan], actor=frogner_case_worker, method="drop-off", reported_for="patient"
        )
    assert not ReturnRequest.objects.exists()


def test_one_request_is_for_one_patient(
    system, areas, loan, stovner_patient, ous_technician, frogner_case_worker
):
    cpap = actions.register_device(
        actor=system, aid_type="cpap", serial="CP-9", owner=areas["ous-bhm"]
    )
    other = actions.lend_device(cpap, stovner_patient, actor=system)
    with pytest.raises(InvalidInput) as raised:
        actions.request_return([loan, other], actor=system, method="drop-off", reported_for="unit")
    assert "loans" in raised.value.errors
    assert not ReturnRequest.objects.exists()


def test_a_drop_off_has_no_pickup_to_agree(loan, frogner_case_worker, ous_technician):
    request = actions.request_return(
        [loan], actor=frogner_case_worker, method="drop-off", reported_for="patient"
    )
    with pytest.raises(Conflict):
        actions.schedule_pickup(request, actor=ous_technician, at=TOMORROW_10)
    request.refresh_from_db()
    assert request.status == "requested" and request.appointment is None


def test_a_pickup_time_must_be_given_with_its_zone(pickup, ous_technician):
    with pytest.raises(InvalidInput) as raised:
        actions.schedule_pickup(pickup, actor=ous_technician, at=None)
    assert "appointment" in raised.value.errors
    with pytest.raises(InvalidInput):
        actions.schedule_pickup(pickup, actor=ous_technician, at=datetime.datetime(2031, 1, 2, 10))  # noqa: DTZ001 (naive on purpose)
    pickup.refresh_from_db()
    assert pickup.status == "requested"


def test_a_cancelled_return_needs_a_reason_and_frees_the_devices_for_a_new_report(
    pickup, loan, ous_technician, frogner_case_worker
):
    with pytest.raises(InvalidInput) as raised:
        actions.cancel_return(pickup, actor=ous_technician, reason=" ")
    assert "reason" in raised.value.errors
    actions.cancel_return(pickup, actor=ous_technician, reason="The patient needs it again.")
    pickup.refresh_from_db()
    assert pickup.status == "cancelled"
    with pytest.raises(Conflict):
        actions.schedule_pickup(pickup, actor=ous_technician, at=TOMORROW_10)
    again = actions.request_return(
        [loan], actor=frogner_case_worker, method="drop-off", reported_for="patient"
    )
    assert again.status == "requested"


def test_every_step_is_in_the_change_history(pickup, loan, ous_technician, frogner_case_worker):
    actions.schedule_pickup(pickup, actor=ous_technician, at=TOMORROW_10)
    actions.return_loan(loan, actor=ous_technician)
    steps = ChangeRecord.objects.filter(
        model="aids.returnrequest", object_id=str(pickup.pk)
    ).order_by("at", "id")
    assert [(s.actor.username, s.changes.get("status")) for s in steps] == [
        ("oslo-frogner", [None, "requested"]),
        ("ous-bhm", ["requested", "scheduled"]),
        ("ous-bhm", ["scheduled", "done"]),
    ]


def test_a_pickup_cannot_be_agreed_for_a_day_that_has_passed(pickup, ous_technician):
    with pytest.raises(InvalidInput) as raised:
        actions.schedule_pickup(
            pickup, actor=ous_technician, at=timezone.now() - datetime.timedelta(days=2)
        )
    assert "appointment" in raised.value.errors
    pickup.refresh_from_db()
    assert pickup.status == "requested"
