"""The one access path: who sees which patients."""

import pytest
from django.contrib.auth.models import User

from overgang.audit.history import log_read
from overgang.audit.models import PatientRead
from overgang.patients.models import Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def patients(frogner_patient, stovner_patient, tromso_patient):
    return {"frogner": frogner_patient, "stovner": stovner_patient, "tromso": tromso_patient}


def visible(user, action="view"):
    return set(Patient.objects.restrict(user, action).values_list("name", flat=True))


def test_a_district_case_worker_sees_the_residents_of_the_district(patients, frogner_case_worker):
    assert visible(frogner_case_worker) == {"Kari Nordmann"}


def test_a_municipal_case_worker_sees_the_municipality(patients, tromso_case_worker):
    assert visible(tromso_case_worker) == {"Nils Nordlys"}


def test_hospital_staff_see_their_catchment_only(patients, ous_clinician):
    # Stovner belongs to Akershus universitetssykehus (O1).
    assert visible(ous_clinician) == {"Kari Nordmann"}


def test_a_network_group_member_sees_no_patients(patients, network_member):
    assert visible(network_member) == set()


def test_someone_without_a_role_sees_nothing(patients, make_user):
    assert visible(make_user("newcomer")) == set()


def test_a_superuser_sees_everyone(patients, system):
    admin = User.objects.create_superuser("root", password="x")
    assert visible(admin) == {"Kari Nordmann", "Ola Stovnersen", "Nils Nordlys"}


def test_an_auditor_audits_but_does_not_read_records(patients, auditor):
    assert visible(auditor, "audit") == {"Kari Nordmann", "Ola Stovnersen"}
    assert visible(auditor, "view") == set()


def test_each_membership_counts_only_for_its_own_actions(patients, make_user):
    both = make_user("both", ("oslo-frogner-bestiller", "case-worker"), ("tromso", "auditor"))
    assert visible(both, "view") == {"Kari Nordmann"}
    assert visible(both, "audit") == {"Nils Nordlys"}


def test_an_unknown_action_is_a_programming_error(patients, frogner_case_worker):
    with pytest.raises(ValueError, match="unknown action 'peek'"):
        Patient.objects.restrict(frogner_case_worker, "peek")


def test_a_read_is_logged_with_who_and_through_what(frogner_patient, frogner_case_worker):
    log_read(frogner_patient, user=frogner_case_worker, purpose="test")
    read = PatientRead.objects.get()
    assert (read.user, read.patient, read.channel) == (
        frogner_case_worker,
        frogner_patient,
        "shell",
    )


def test_the_regional_unit_at_st_olavs_sees_hnts_patients(make_user, system, areas):
    # 002 4: "Regional enhet for behandlingshjelpemidler ved St. Olavs Hospital".
    from overgang.patients import actions

    levanger = actions.create_patient(
        actor=system,
        national_id_number="01017012343",
        name="Lene Levang",
        municipality="Levanger",
        address="Kirkegata 1",
    )
    technician = make_user("stolav", ("stolav-bhm", "aids-staff"))
    assert list(Patient.objects.restrict(technician, "view")) == [levanger]


def test_the_unit_keeps_seeing_a_borrower_who_moved_away_until_the_device_is_back(
    patients, ous_technician, ous_clinician, ventilator, system
):
    from overgang.aids import actions as aids
    from overgang.patients import actions as patient_actions

    kari = patients["frogner"]
    loan = aids.lend_device(ventilator, kari, actor=system)
    patient_actions.update_patient(
        kari, actor=system, municipality="Tromsø", district="", address="Storgata 9"
    )
    assert "Kari Nordmann" in visible(ous_technician), "the unit follows up its device"
    assert "Kari Nordmann" not in visible(ous_clinician), "the clinic does not"
    aids.return_loan(loan, actor=system)
    assert "Kari Nordmann" not in visible(ous_technician)


def test_following_up_a_device_is_seeing_the_patient_not_changing_their_record(
    patients, ous_technician, ventilator, system
):
    from overgang.aids import actions as aids
    from overgang.patients import actions as patient_actions

    kari = patients["frogner"]
    aids.lend_device(ventilator, kari, actor=system)
    patient_actions.update_patient(
        kari, actor=system, municipality="Tromsø", district="", address="Storgata 9"
    )
    assert "Kari Nordmann" in visible(ous_technician, "view")
    assert "Kari Nordmann" not in visible(ous_technician, "change")


def test_the_access_log_is_read_by_whoever_may_audit_the_patient(
    patients, auditor, frogner_case_worker, system
):
    for patient in patients.values():
        log_read(patient, user=system)

    def reads(user, action):
        found = PatientRead.objects.restrict(user, action)
        return set(found.values_list("patient__name", flat=True))

    assert reads(auditor, "audit") == reads(auditor, "view") == {"Kari Nordmann", "Ola Stovnersen"}
    assert reads(frogner_case_worker, "view") == set(), "seeing a patient is not auditing"
    with pytest.raises(ValueError, match="only read"):
        PatientRead.objects.restrict(auditor, "change")


def test_an_administrator_is_told_they_see_every_patient(patients, client, system):
    client.force_login(User.objects.create_superuser("root", password="x"))
    page = client.get("/", headers={"accept-language": "en"}).text
    assert "You are an administrator and see every patient." in page
