import datetime

import pytest

from overgang.audit.channel import channel
from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.patients import actions
from overgang.patients.models import Patient
from tests.conftest import AALBORG_CPR, FROGNER_FNR

pytestmark = pytest.mark.django_db


def register(actor, **fields):
    values = {
        "national_id_number": FROGNER_FNR,
        "name": "Kari Nordmann",
        "municipality": "Oslo",
        "district": "Frogner",
        "address": "Skovveien 12",
    }
    values.update(fields)
    return actions.create_patient(actor=actor, **values)


def test_birth_date_sex_and_responsible_hospital_follow_from_number_and_address(
    frogner_case_worker,
):
    patient = register(frogner_case_worker)
    assert patient.birth_date == datetime.date(1986, 10, 15)
    assert patient.sex == "female"
    assert patient.district.name == "Bydel Frogner"
    assert patient.responsible_hospital.key == "ous"
    assert patient.sort_name == "Nordmann, Kari"


def test_a_stovner_resident_is_served_by_akershus(stovner_case_worker):
    patient = register(stovner_case_worker, district="Stovner")
    assert patient.responsible_hospital.key == "ahus"


def test_registration_is_recorded_with_actor_channel_and_new_values(frogner_case_worker):
    with channel("page:POST /patients/new/"):
        patient = register(frogner_case_worker)
    change = ChangeRecord.objects.get(model="patients.patient", object_id=str(patient.pk))
    assert change.actor == frogner_case_worker
    assert change.action == "created"
    assert change.channel == "page:POST /patients/new/"
    assert change.changes["name"] == [None, "Kari Nordmann"]
    assert change.changes["national_id"] == [None, FROGNER_FNR]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"national_id_number": "15108695077"}, "national_id"),
        ({"municipality": "Atlantis"}, "municipality"),
        ({"district": "Tromsdalen"}, "district"),
        ({"district": ""}, "district"),
        ({"name": "  "}, "name"),
        ({"address": ""}, "address"),
        ({"residence": "tent"}, "residence"),
        ({"interpreter_needed": True, "language": ""}, "language"),
        ({"municipality": "Aalborg", "district": ""}, "national_id"),  # Danish address, NO number
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(frogner_case_worker, fields, field):
    before = (Patient.objects.count(), ChangeRecord.objects.count())
    with pytest.raises(InvalidInput) as raised:
        register(frogner_case_worker, **fields)
    assert field in raised.value.errors
    assert (Patient.objects.count(), ChangeRecord.objects.count()) == before


def test_every_problem_is_reported_at_once(frogner_case_worker):
    with pytest.raises(InvalidInput) as raised:
        register(frogner_case_worker, national_id_number="1", name="", district="Tromsdalen")
    assert set(raised.value.errors) == {"national_id", "name", "district"}


def test_a_national_id_is_registered_once(frogner_case_worker, frogner_patient):
    with pytest.raises(Conflict):
        register(frogner_case_worker)
    assert Patient.objects.filter(national_id=FROGNER_FNR).count() == 1


def test_a_case_worker_cannot_register_a_resident_of_another_district(frogner_case_worker):
    with pytest.raises(InvalidInput) as raised:
        register(frogner_case_worker, district="Stovner")
    assert "outside the area you serve" in raised.value.errors["district"]
    assert not Patient.objects.exists()


def test_a_danish_resident_gets_a_cpr_number_and_the_region(aalborg_case_worker):
    patient = register(
        aalborg_case_worker,
        national_id_number=AALBORG_CPR,
        municipality="Aalborg Kommune",
        district="",
        name="Jens Jensen",
    )
    assert patient.id_kind == "cpr"
    assert patient.responsible_hospital.key == "rn"


def test_moving_to_another_district_changes_the_responsible_hospital(system, frogner_patient):
    moved = actions.update_patient(
        frogner_patient, actor=system, district="Alna", address="Alnaveien 1", reason="moved"
    )
    assert moved.responsible_hospital.key == "ahus"
    change = ChangeRecord.objects.filter(action="changed").get()
    assert change.changes["responsible_hospital"] == [
        "Oslo universitetssykehus HF",
        "Akershus universitetssykehus HF",
    ]
    assert change.reason == "moved"


def test_a_failed_update_changes_nothing(system, frogner_patient):
    with pytest.raises(InvalidInput) as raised:
        actions.update_patient(frogner_patient, actor=system, district="Narnia", name="X")
    assert "district" in raised.value.errors
    frogner_patient.refresh_from_db()
    assert frogner_patient.name == "Kari Nordmann"
    assert not ChangeRecord.objects.filter(action="changed").exists()


def test_minor_children_as_relatives_are_recorded(system, frogner_patient):
    child = actions.add_relative(
        frogner_patient, actor=system, name="Lille Nordmann", relation="child", minor_child=True
    )
    assert frogner_patient.relatives.get() == child
    assert ChangeRecord.objects.filter(model="patients.relative", action="created").exists()
    with pytest.raises(InvalidInput) as raised:
        actions.add_relative(
            frogner_patient, actor=system, name="Per", relation="spouse", minor_child=True
        )
    assert "minor_child" in raised.value.errors
