"""Indicators (issue 20, N12, U8) on a small scenario built by hand, whose every figure was
counted on paper first: three stays in Oslo, two aids delivered on the day of discharge,
one trained before discharge, one manual handed over, two loans overdue."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from overgang.aids.models import AidType, Device, DeviceTransition, Loan
from overgang.aids.models.catalogue import AidCategory
from overgang.aids.states import DeviceStatus
from overgang.audit.history import system_actor
from overgang.indicators.actions import refresh_figures
from overgang.indicators.compute import Filter, compute
from overgang.indicators.models import FiguresRefresh
from overgang.indicators.scope import agreements_seen, stays_seen
from overgang.indicators.table import read
from overgang.organisations.models import Kind, Role
from overgang.rules.registry import agreement_by_id
from overgang.stays.models import Deadline, Need, Stay, Training
from overgang.stays.models.deadlines import Outcome
from overgang.survey.models import Answer, Invitation
from tests.conftest import FROGNER_FNR, STOVNER_FNR

OSLO = ZoneInfo("Europe/Oslo")
UTC = datetime.UTC
NOW = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def at(day: str, time: str = "12:00", zone: datetime.tzinfo = OSLO) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=zone)


@pytest.fixture
def scenario(areas, system, frogner_patient, stovner_patient):
    department = areas["ous-lunge"]
    hospital = department.nearest(Kind.HOSPITAL)
    trust = department.nearest(Kind.TRUST)
    aid = AidType.objects.exclude(category=AidCategory.TRAINING_GEAR).order_by("pk")[0]
    owner = areas["ous-bhm"]

    def stay(patient, ended_at, **more):
        return Stay.objects.create(
            patient=patient,
            municipality=patient.municipality,
            district=patient.district,
            trust=trust,
            hospital=hospital,
            department=department,
            admission="emergency",
            admitted_at=ended_at - datetime.timedelta(days=10),
            agreement="oslo",
            country="NO",
            time_zone="Europe/Oslo",
            status="discharged",
            ended_at=ended_at,
            created_by=system,
            **more,
        )

    def lent(stay, serial, started_at, **more):
        device = Device.objects.create(serial=serial, aid_type=aid, owner=owner)
        loan = Loan.objects.create(
            device=device, patient=stay.patient, started_at=started_at, lent_by=system, **more
        )
        Need.objects.create(
            stay=stay,
            kind="aid",
            description="aid",
            aid_type=aid,
            status="met",
            loan=loan,
            recorded_by=system,
            recorded_at=stay.admitted_at,
        )
        return device, loan

    # S1: discharged 10 March; lent that morning; trained before; manual handed over;
    # returned before its end; 3 waiting days (notice the 5th, can receive the 8th).
    s1 = stay(
        frogner_patient,
        at("2025-03-10", "14:00"),
        notified_at=at("2025-03-05", "10:00"),
        can_receive=True,
        receive_at=at("2025-03-08", "09:00"),
    )
    d1, _l1 = lent(
        s1,
        "IND-1",
        at("2025-03-10", "09:00"),
        manual_handed_over=True,
        expected_end=datetime.date(2025, 4, 1),
        returned_at=at("2025-03-30", "10:00"),
    )
    Training.objects.create(
        stay=s1,
        aid_type=aid,
        trainee="patient",
        names="the patient",
        trainer=system,
        trainer_organisation=department,
        at=at("2025-03-10", "08:00"),
    )
    # Back on the 30th, available on 2 April: three days.
    for old, new, when in (
        (DeviceStatus.ON_LOAN, DeviceStatus.RETURNED, at("2025-03-30", "10:00")),
        (DeviceStatus.RETURNED, DeviceStatus.REPROCESSING, at("2025-03-31", "10:00")),
        (DeviceStatus.REPROCESSING, DeviceStatus.AVAILABLE, at("2025-04-02", "10:00")),
    ):
        DeviceTransition.objects.create(
            device=d1, old=old, new=new, actor=system, channel="test", at=when
        )
    # A device lent to no stay: its turnaround is not the stays' figure.
    other = Device.objects.create(serial="IND-X", aid_type=aid, owner=owner)
    DeviceTransition.objects.create(
        device=other, old="on-loan", new="returned", actor=system, channel="t", at=at("2025-03-01")
    )
    DeviceTransition.objects.create(
        device=other,
        old="returned",
        new="available",
        actor=system,
        channel="t",
        at=at("2025-03-20"),
    )
    # S2: discharged 20 March, lent the day before, no training, no manual, never returned
    # (overdue); 2 waiting days (notice the 18th, left the 20th).
    s2 = stay(stovner_patient, at("2025-03-20"), notified_at=at("2025-03-18", "11:00"))
    lent(s2, "IND-2", at("2025-03-19"), expected_end=datetime.date(2025, 4, 15))
    # S3: left 1 April 12:00 in Oslo (10:00 UTC); lent at 23:30 UTC on 31 March, which is
    # 1 April in Oslo: the same day, and April's. Trained only after; returned two days late.
    s3 = stay(frogner_patient, at("2025-04-01", "10:00", UTC))
    lent(
        s3,
        "IND-3",
        at("2025-03-31", "23:30", UTC),
        expected_end=datetime.date(2025, 4, 20),
        returned_at=at("2025-04-22"),
    )
    Training.objects.create(
        stay=s3,
        aid_type=aid,
        trainee="patient",
        names="the patient",
        trainer=system,
        trainer_organisation=department,
        at=at("2025-04-02"),
    )
    Need.objects.create(
        stay=s3,
        kind="aid",
        description="no longer",
        aid_type=aid,
        status="cancelled",
        recorded_by=system,
        recorded_at=s3.admitted_at,
    )
    # Deadlines of S1: on time, late, past due and not done; one at once, one withdrawn and
    # one not yet due are not counted.
    holder = areas["oslo"]

    def deadline(duty, due, done_at=None, **more):
        Deadline.objects.create(
            stay=s1, duty=duty, party="hospital", holder=holder, due=due, done_at=done_at, **more
        )

    deadline("notify", at("2025-03-05", "10:00"), at("2025-03-05", "09:00"))
    deadline("notify", at("2025-03-06", "10:00"), at("2025-03-07", "10:00"))
    deadline("answer", at("2025-03-08", "10:00"))
    deadline("answer", at("2025-03-09", "10:00"), at_once=True)
    deadline("answer", at("2025-03-09", "10:00"), at("2025-03-20"), outcome=Outcome.WITHDRAWN)
    deadline("answer", at("2025-06-20", "10:00"))
    return {"s1": s1, "s2": s2, "s3": s3}


def figures(user_or_q, **more):
    agreement = agreement_by_id("oslo", on=datetime.date(2025, 6, 1))
    stays = user_or_q if not isinstance(user_or_q, User) else stays_seen(user_or_q, "oslo")
    assert stays is not None
    f = Filter(agreement, stays, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), **more)
    # The page reads the monthly figures table: refreshed first, as the worker does.
    refresh_figures(agreement, months=6, actor=system_actor(), now=NOW)
    from_table = {one.key: one for one in read(f)}
    live = {one.key: one for one in compute(f, now=NOW)}
    assert from_table == live  # the table sums what the live queries count
    return from_table


def month(one, which: str):
    return next(f for m, f in one.months if f"{m:%Y-%m}" == which)


def test_the_hand_built_figures(scenario, make_user):
    admin = User.objects.create_superuser("boss", password="x")
    found = figures(admin)

    delivered = found["aids-delivered-on-discharge-day"].total
    assert (delivered.numerator, delivered.denominator) == (2, 3)
    assert delivered.value == pytest.approx(0.6667)
    trained = found["trained-before-discharge"].total
    assert (trained.numerator, trained.denominator) == (1, 3)
    manual = found["manual-handed-over"].total
    assert (manual.numerator, manual.denominator) == (1, 3)
    overdue = found["overdue-loans"].total
    assert (overdue.numerator, overdue.denominator) == (2, 3)
    notices = found["notices-on-time"]
    assert (notices.total.numerator, notices.total.denominator) == (1, 3)
    parts = {duty: (f.numerator, f.denominator) for duty, f in notices.parts}
    assert parts == {"notify": (1, 2), "answer": (0, 1)}
    waiting = found["waiting-days"].total
    assert (waiting.numerator, waiting.denominator, waiting.value) == (5, 2, 2.5)
    turnaround = found["reprocessing-turnaround"].total
    assert (turnaround.numerator, turnaround.denominator, turnaround.value) == (3.0, 1, 3.0)


def test_months_are_the_agreements_own(scenario):
    """A loan at 23:30 UTC on 31 March is April's in Oslo; so is a stay that ended at
    10:00 UTC on 1 April."""
    admin = User.objects.create_superuser("boss", password="x")
    found = figures(admin)
    manual = found["manual-handed-over"]
    assert (month(manual, "2025-03").numerator, month(manual, "2025-03").denominator) == (1, 2)
    assert (month(manual, "2025-04").numerator, month(manual, "2025-04").denominator) == (0, 1)
    delivered = found["aids-delivered-on-discharge-day"]
    assert (month(delivered, "2025-03").numerator, month(delivered, "2025-03").denominator) == (
        1,
        2,
    )
    assert (month(delivered, "2025-04").numerator, month(delivered, "2025-04").denominator) == (
        1,
        1,
    )
    assert [f"{m:%Y-%m}" for m, _f in manual.months] == [f"2025-0{n}" for n in range(1, 7)]
    assert month(manual, "2025-01").value is None
    turnaround = found["reprocessing-turnaround"]
    assert month(turnaround, "2025-04").denominator == 1


def test_the_aid_group_narrows_the_aid_figures(scenario):
    admin = User.objects.create_superuser("boss", password="x")
    category = Need.objects.filter(kind="aid").first().aid_type.category
    other = next(c for c in AidCategory.values if c != category)
    assert figures(admin, aid_group=category)["manual-handed-over"].total.denominator == 3
    none = figures(admin, aid_group=other)
    assert none["manual-handed-over"].total.denominator == 0
    assert none["aids-delivered-on-discharge-day"].total.value is None
    # Notices are not an aid's: the aid group leaves them as they are.
    assert none["notices-on-time"].total.denominator == 3


def test_the_hospital_filter_and_the_users_own_organisations(scenario, make_user, areas):
    admin = User.objects.create_superuser("boss", password="x")
    elsewhere = areas["unn-tromso"].pk
    assert figures(admin, hospital=elsewhere)["manual-handed-over"].total.denominator == 0
    case_worker = make_user("frogner", ("oslo-frogner-bestiller", Role.CASE_WORKER))
    assert "oslo" in agreements_seen(case_worker)
    # Oslo's case worker sees Oslo's stays (both districts: their municipality's).
    assert figures(case_worker)["manual-handed-over"].total.denominator == 3
    tromso = make_user("tromso", ("tromso-tildeling", Role.CASE_WORKER))
    assert "oslo" not in agreements_seen(tromso)
    assert stays_seen(tromso, "oslo") is None


def test_indicators_carry_counts_never_patients(scenario, client):
    admin = User.objects.create_superuser("boss", password="x")
    refresh_figures(agreement_by_id("oslo", on=NOW.date()), months=6, actor=system_actor(), now=NOW)
    client.force_login(admin)
    body = client.get("/api/v1/indicators?agreement=oslo&from=2025-01-01&to=2025-06-30")
    assert body.status_code == 200
    text = body.content.decode()
    for patient in (scenario["s1"].patient, scenario["s2"].patient):
        assert patient.name not in text
    for national_id in (FROGNER_FNR, STOVNER_FNR):
        assert national_id not in text
    assert f'"id": {scenario["s1"].pk}' not in text


def test_the_page_says_when_the_figures_were_refreshed_and_reads_them(scenario, client):
    admin = User.objects.create_superuser("boss", password="x")
    client.force_login(admin)
    page = client.get("/indicators/?agreement=oslo&first=2025-01&last=2025-06")
    assert page.status_code == 200
    assert page.context["refreshed_at"] is None
    assert page.context["indicators"][0]["total"].denominator == 0  # nothing refreshed yet
    refresh_figures(agreement_by_id("oslo", on=NOW.date()), months=6, actor=system_actor(), now=NOW)
    page = client.get("/indicators/?agreement=oslo&first=2025-01&last=2025-06")
    assert page.context["refreshed_at"] == NOW
    assert f"{NOW.astimezone(OSLO):%d.%m.%Y %H:%M}" in page.content.decode()
    notices = page.context["indicators"][0]
    assert (notices["total"].numerator, notices["total"].denominator) == (1, 3)
    body = client.get("/api/v1/indicators?agreement=oslo&from=2025-01-01&to=2025-06-30").json()
    assert body["refreshed_at"].startswith("2025-06-01T")
    manual = next(one for one in body["indicators"] if one["key"] == "manual-handed-over")
    assert (manual["numerator"], manual["denominator"]) == (1, 3)


def test_a_municipalitys_user_reads_only_their_municipalitys_rows(scenario, make_user, areas):
    """A stay of Oslo's agreement moved to another municipality leaves Oslo's case worker's
    sums; the two municipalities' sums add up to the whole."""
    Stay.objects.filter(pk=scenario["s1"].pk).update(municipality=areas["tromso"])
    admin = User.objects.create_superuser("boss", password="x")
    everyone = figures(admin)
    case_worker = make_user("frogner2", ("oslo-frogner-bestiller", Role.CASE_WORKER))
    own = figures(case_worker)
    other = figures(admin, municipality=areas["tromso"].pk)
    counted = 0
    for key, whole in everyone.items():
        mine, theirs = own[key].total, other[key].total
        assert mine.denominator + theirs.denominator == whole.total.denominator
        assert mine.numerator + theirs.numerator == pytest.approx(whole.total.numerator)
        counted += theirs.denominator
    assert counted > 0  # the moved stay counted somewhere, and not in Oslo's own sums


def test_the_refresh_command(scenario, capsys):
    call_command("indicators", "refresh", "--months", "2", "--agreement", "oslo")
    assert "oslo:" in capsys.readouterr().out
    assert FiguresRefresh.objects.filter(agreement="oslo").count() == 1
    with pytest.raises(CommandError, match="--months"):
        call_command("indicators", "refresh", "--months", "0")
    with pytest.raises(CommandError, match="--agreement"):
        call_command("indicators", "refresh", "--agreement", "atlantis")
    assert FiguresRefresh.objects.count() == 1


def test_the_surveys_answers_by_the_month_of_discharge(scenario, areas):
    """Hand-built answers: s1 (ended in March) yes / no / don't know; s2 (ended 1 April,
    Oslo time) yes / yes / yes; s3 two answers. Counted by hand: delivered on time 3 of 4,
    instruction 2 of 3 (one "don't know"), works 2 of 3."""
    system = system_actor()

    def answer(stay, delivered, instruction, works):
        invitation = Invitation.objects.create(
            stay=stay,
            digest=f"{stay.pk}-{Invitation.objects.count()}",
            created_by=system,
            created_at=stay.ended_at,
            expires_at=stay.ended_at + datetime.timedelta(days=30),
        )
        Answer.objects.create(
            invitation=invitation,
            stay=stay,
            delivered_on_time=delivered,
            instruction_given=instruction,
            works=works,
            answered_at=stay.ended_at + datetime.timedelta(days=2),
        )

    answer(scenario["s1"], "yes", "no", "unsure")
    answer(scenario["s2"], "yes", "yes", "yes")
    answer(scenario["s3"], "no", "unsure", "yes")
    answer(scenario["s3"], "yes", "yes", "no")
    found = figures(User.objects.create_superuser("boss", password="x"))
    on_time = found["survey-delivered-on-time"]
    assert (on_time.total.numerator, on_time.total.denominator) == (3, 4)
    given = found["survey-instruction-given"].total
    assert (given.numerator, given.denominator) == (2, 3)
    works = found["survey-aid-works"].total
    assert (works.numerator, works.denominator, works.value) == (2, 3, pytest.approx(0.6667))
    # By the month of the stay's discharge: s2 left at 10:00 UTC on 1 April, April's.
    by_month = {f"{m:%Y-%m}": (f.numerator, f.denominator) for m, f in on_time.months}
    ended = {s: scenario[s].ended_at.astimezone(OSLO).strftime("%Y-%m") for s in scenario}
    expected: dict[str, tuple[int, int]] = {}
    for stay, yes, count in (("s1", 1, 1), ("s2", 1, 1), ("s3", 1, 2)):
        num, den = expected.get(ended[stay], (0, 0))
        expected[ended[stay]] = (num + yes, den + count)
    assert {m: v for m, v in by_month.items() if v[1]} == expected
    # Cited for Nordjylland, Overgang's own in Oslo.
    assert on_time.definition.cites_for("nordjylland") == ("003 7",)
    assert on_time.definition.cites_for("oslo") == ()
