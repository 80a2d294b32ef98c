"""The access log's patient key is not a constraint in the database (checking it cost a
third of the log's writes under load), so Django's on_delete keeps it: a patient's deletion
takes their reads along. The reader's key is still a constraint: a user who has read a
record cannot be deleted."""

import pytest
from django.contrib.auth.models import User
from django.db.models import ProtectedError

from overgang.audit.history import log_read, system_actor
from overgang.audit.models import PatientRead
from overgang.patients import actions as patient_actions
from overgang.patients.models import Patient

pytestmark = pytest.mark.django_db


def test_a_user_who_has_read_a_record_cannot_be_deleted(demo):
    reader = User.objects.create_user("reader-who-read")
    patient = Patient.objects.order_by("pk")[0]
    log_read(patient, user=reader, purpose="view", what=f"patient {patient.pk}")

    with pytest.raises(ProtectedError):
        reader.delete()

    assert User.objects.filter(pk=reader.pk).exists()
    assert PatientRead.objects.filter(user=reader, patient=patient).count() == 1


def test_deleting_a_patient_takes_their_reads_and_no_one_elses(demo):
    reader = User.objects.get(username="admin")
    # A patient with no stay, requisition or loan yet (those protect a patient).
    gone = patient_actions.create_patient(
        actor=system_actor(),
        national_id_number="12035610039",  # fictitious, valid check digits
        name="Lars Levangsen",
        municipality="Levanger",
        address="Kirkegata 5",
    )
    kept = Patient.objects.exclude(pk=gone.pk).order_by("pk")[0]
    log_read(gone, user=reader, purpose="view", what=f"patient {gone.pk}")
    log_read(kept, user=reader, purpose="view", what=f"patient {kept.pk}")
    gone_pk = gone.pk

    Patient.objects.filter(pk=gone_pk).delete()

    assert not PatientRead.objects.filter(patient_id=gone_pk).exists()
    assert PatientRead.objects.filter(patient=kept, user=reader).count() == 1
