import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from overgang.aids.models import Device, Loan
from overgang.audit.models import ChangeRecord
from overgang.demo.users import DEMO_USERS
from overgang.patients.models import Patient
from overgang.patients.national_id import parse
from overgang.stays import waiting
from overgang.stays.models import LeaveAid, LeavePeriod, WaitingDayObjection


@pytest.mark.django_db(transaction=True)
def test_demo_loads_the_contract_users_and_200_valid_patients_over_four_areas(capsys):
    call_command("flush", "--no-input")
    call_command("demo")
    for demo in DEMO_USERS:
        assert authenticate(username=demo.username, password="demo") is not None
    patients = list(Patient.objects.select_related("responsible_hospital"))
    assert len(patients) == 200
    assert all(parse(p.national_id).birth_date == p.birth_date for p in patients)
    hospitals = {p.responsible_hospital.key for p in patients}
    assert {"ous", "ahus", "unn", "hnt", "rn"} <= hospitals
    assert Patient.objects.filter(district__key="oslo-frogner").exists()
    assert ChangeRecord.objects.filter(channel="command:demo").count() > 200

    devices = Device.objects.all()
    assert devices.count() > 100
    # N5: an Aalborg stay with a trial discharge that is over, its aid handed out on a
    # weekday, and a weekend visit planned.
    trial = LeavePeriod.objects.get(kind="trial-discharge")
    assert (trial.status, trial.stay.agreement) == ("ended", "nordjylland")
    assert LeaveAid.objects.get(period=trial).handed_out_on.weekday() < 5
    assert LeavePeriod.objects.filter(kind="leave", status="planned").exists()
    lent = devices.filter(status="on-loan")
    assert lent.exists()
    assert Loan.objects.filter(returned_at__isnull=True).count() == lent.count()

    # Payment for discharge-ready patients (R9): a Levanger patient waits, with § 9 texts,
    # and the municipality objects to the first waiting day: a task for the hospital.
    [objection] = WaitingDayObjection.objects.select_related("stay")
    assert objection.status == "open" and objection.task.party == "hospital"
    assert waiting.waiting_days(objection.stay).days
    assert all(objection.stay.documented_texts.get(i) for i in objection.stay.documented)

    call_command("demo", "--if-empty")
    assert "already has data" in capsys.readouterr().out
    with pytest.raises(CommandError, match="not empty"):
        call_command("demo")

    call_command("demo", "--scale", "50")
    assert Patient.objects.count() == 250
    assert ChangeRecord.objects.filter(model="patients.patient").count() == 250
    with pytest.raises(CommandError, match="--scale"):
        call_command("demo", "--scale", "0")


@pytest.mark.django_db(transaction=True)
def test_demo_has_an_outpatient_episode_in_each_area_with_its_tasks():
    """Issue 17 (R10, R11, U1): the demo shows an outpatient episode in all four areas, the
    Levanger municipality's follow-up and coordination tasks, Frogner's coordinator task, a
    Tromsø outpatient requisition on its episode, and a closed Aalborg episode."""
    from overgang.stays.models import Deadline, Stay

    call_command("flush", "--no-input")
    call_command("demo")
    episodes = Stay.objects.filter(admission="outpatient")
    assert set(episodes.values_list("agreement", flat=True)) == {
        "oslo",
        "unn",
        "hnt",
        "nordjylland",
    }
    duties = set(
        Deadline.objects.filter(stay__in=episodes, done_at__isnull=True).values_list(
            "stay__agreement", "duty"
        )
    )
    assert {
        ("hnt", "outpatient-needs-follow-up"),
        ("hnt", "coordination"),
        ("oslo", "coordination"),
    } <= duties
    assert episodes.get(agreement="unn").requisitions.filter(route="outpatient").exists()
    assert episodes.get(agreement="nordjylland").status == "discharged"
