"""Admitting a patient and recording the events of a stay that the agreement sets
deadlines by (admitted, admission date set, pre-examination, discharge planned, R1, R2,
H1, H4, N5)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import record_change, save_changed, snapshot, writer_atomic
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import Kind, Organisation
from overgang.patients.models import Patient
from overgang.rules.clock import country_time_zone, day_at
from overgang.rules.registry import RulesError, agreement_by_id, agreement_for_municipality
from overgang.stays import news
from overgang.stays.access import holder_for, sides
from overgang.stays.actions import planned
from overgang.stays.actions.deadlines import open_deadlines
from overgang.stays.actions.times import MAX_CLOCK_SKEW, hours_after, not_in_future
from overgang.stays.models import Admission, CareType, Deadline, News, Stay, StayEvent, StayStatus

STAY_FIELDS = (
    "status",
    "hospital",
    "department",
    "admission",
    "admitted_at",
    "care",
    "expected_stay_hours",
    "expected_discharge",
    "agreement",
)
# Events the pages and the API may record by name; the others follow from messages
# (admission-notified, discharge-ready-notified) or from the stay's own steps.
RECORDABLE_EVENTS = ("admission-date-set", "pre-examination", "discharge-planned")


def _place(unit: Organisation) -> tuple[Organisation, Organisation | None, Organisation]:
    """The hospital, department and trust (or region) of a hospital-side organisation."""
    department = unit.nearest(Kind.DEPARTMENT)
    hospital = unit.nearest(Kind.HOSPITAL)
    trust = unit.nearest(Kind.TRUST) or unit.nearest(Kind.REGION)
    if hospital is None or trust is None:
        raise InvalidInput(
            {"department": _("%(unit)s is not part of a hospital.") % {"unit": unit}}
        )
    return hospital, department, trust


def admit(
    patient: Patient,
    *,
    actor: User,
    unit: Organisation,
    admission: str,
    admitted_at: datetime.datetime,
    expected_stay_hours: int | None = None,
    expected_discharge: datetime.datetime | None = None,
    care: str = CareType.SOMATIC,
    aid_need_foreseeable: bool = False,
) -> Stay:
    """The patient is admitted: the stay opens and the agreement's deadlines start (R1, R2, H1,
    N5). A planned admission for a time ahead opens a planned stay instead, whose notices
    start now (H4, N5: `planned.open_planned`); `aid_need_foreseeable` is the hospital's word
    at the pre-examination."""
    ahead = planned.is_planned_ahead(admission, admitted_at)
    errors = {
        **_admission_problem(admission),
        **_care_problem(care),
        **({} if ahead else _admitted_at_problem(admitted_at)),
        **_expected_problems(admitted_at, expected_stay_hours, expected_discharge),
        **_department_problem(unit),
    }
    if errors:
        raise InvalidInput(errors)
    hospital, department, trust = _place(unit)
    try:
        agreement = agreement_for_municipality(
            patient.municipality.name,
            on=day_at(admitted_at, country_time_zone(patient.municipality.country)),
        )
    except RulesError as error:
        raise InvalidInput({"patient": str(error)}) from None
    if expected_discharge is None and expected_stay_hours is not None:
        expected_discharge = hours_after(admitted_at, expected_stay_hours)
    waiting = Stay.objects.filter(patient=patient, status=StayStatus.PLANNED).first()
    if waiting is not None:
        raise planned.planned_conflict(waiting)
    if Stay.objects.filter(patient=patient, ended_at__isnull=True, admission="outpatient").exists():
        # One open stay per patient, and an outpatient episode counts (the constraint holds
        # it): say which it is, so the ward knows to close the episode.
        raise Conflict(
            _("%(name)s has an open outpatient episode; close it first.") % {"name": patient.name}
        )
    try:
        with writer_atomic():
            stay = Stay.objects.create(
                patient=patient,
                municipality_id=patient.municipality_id,
                district_id=patient.district_id,
                trust=trust,
                hospital=hospital,
                department=department,
                admission=admission,
                admitted_at=admitted_at,
                care=care,
                expected_stay_hours=expected_stay_hours,
                expected_discharge=expected_discharge,
                agreement=agreement.id,
                country=agreement.country,
                time_zone=agreement.time_zone,
                created_by=actor,
                status=StayStatus.PLANNED if ahead else StayStatus.ADMITTED,
            )
            record_change(
                stay, actor=actor, action=ChangeAction.CREATED, after=snapshot(stay, STAY_FIELDS)
            )
            if ahead:
                planned.open_planned(stay, actor=actor, aid_need_foreseeable=aid_need_foreseeable)
                return stay
            event = StayEvent.objects.create(
                stay=stay, name="admitted", at=admitted_at, actor=actor
            )
            # An outpatient episode is not an inpatient stay: no admission deadlines (R11).
            if admission != Admission.OUTPATIENT:
                open_deadlines(event, actor=actor, new_stay=True)
    except IntegrityError:
        raise Conflict(
            _("%(name)s is already admitted; discharge that stay first.") % {"name": patient.name}
        ) from None
    return stay


# The checks of admit, each on its own field; admit reports all their problems together.


def _admission_problem(admission: str) -> dict[str, str]:
    if admission not in Admission.values:
        return {"admission": _("Choose planned, emergency or outpatient.")}
    return {}


def _care_problem(care: str) -> dict[str, str]:
    if care not in CareType.values:
        return {"care": _("Choose somatic care, mental health care or TSB.")}
    return {}


def _admitted_at_problem(admitted_at: datetime.datetime) -> dict[str, str]:
    if admitted_at.tzinfo is None:
        return {"admitted_at": _("Give the time with its UTC offset.")}
    if admitted_at > clock.now() + MAX_CLOCK_SKEW:
        return {"admitted_at": _("The time of admission cannot be in the future.")}
    return {}


def _expected_problems(
    admitted_at: datetime.datetime,
    expected_stay_hours: int | None,
    expected_discharge: datetime.datetime | None,
) -> dict[str, str]:
    """The expected length is up to a year, and the expected discharge follows admission."""
    errors: dict[str, str] = {}
    if expected_stay_hours is not None and not 0 <= expected_stay_hours <= 24 * 365:
        errors["expected_stay_hours"] = _("Give the expected length in hours, up to a year.")
    if expected_discharge is not None and admitted_at.tzinfo and expected_discharge < admitted_at:
        errors["expected_discharge"] = _("The expected discharge is before the admission.")
    return errors


def _department_problem(unit: Organisation) -> dict[str, str]:
    if not unit.is_hospital_side:
        return {"department": _("%(unit)s is not part of a hospital.") % {"unit": unit}}
    return {}


def lock(stay: Stay, *, ended_ok: bool = False, held: bool = False) -> Stay:
    """The stay's row, locked for the rest of the transaction. An ended stay changes no more,
    except that messages may still be recorded on it (the death notice, a late summary).
    A caller that `held` the row locked in its own transaction already, read with its
    patient and changed only through this object since, has the object checked instead of
    the row read again."""
    locked = (
        stay
        if held
        else Stay.objects.select_for_update(of=("self",)).select_related("patient").get(pk=stay.pk)
    )
    if not locked.is_open and not ended_ok:
        raise Conflict(
            _("The stay has ended (%(status)s).") % {"status": locked.get_status_display()}
        )
    return locked


def record_event(
    stay: Stay,
    name: str,
    *,
    actor: User,
    at: datetime.datetime,
    note: str = "",
    discharge_at: datetime.datetime | None = None,
) -> tuple[StayEvent, list[Deadline]]:
    """An event the agreement sets deadlines by: the admission date set, a pre-examination
    (H4, N5), or the discharge planned for `discharge_at` (N5)."""
    if name not in RECORDABLE_EVENTS:
        raise InvalidInput(
            {
                "event": _("Unknown event %(name)s; known: %(known)s.")
                % {"name": name, "known": ", ".join(RECORDABLE_EVENTS)}
            }
        )
    not_in_future(at, "at")
    if name == "discharge-planned" and discharge_at is None:
        raise InvalidInput({"discharge_at": _("Give the planned time of discharge.")})
    with transaction.atomic():
        stay = lock(stay)
        if stay.is_outpatient:
            # The events an inpatient stay's deadlines run by: an episode has none (R11, U1).
            raise Conflict(
                _(
                    "An outpatient episode has no admission date, pre-examination or planned "
                    "discharge: they belong to an inpatient stay."
                )
            )
        if discharge_at is not None:
            if discharge_at < stay.admitted_at:
                raise InvalidInput({"discharge_at": _("The discharge is before the admission.")})
            save_changed(stay, STAY_FIELDS, {"expected_discharge": discharge_at}, actor=actor)
        event = StayEvent.objects.create(
            stay=stay,
            name=name,
            at=at,
            planned_for=discharge_at if name == "discharge-planned" else None,
            actor=actor,
            note=note,
        )
        opened, _answer = open_deadlines(event, actor=actor)
    return event, opened


SUPPLEMENTARY_REQUESTED = "supplementary-information-requested"


def asks_supplementary_information(stay: Stay) -> bool:
    """Does the stay's agreement give the municipality a duty when the hospital asks for
    supplementary information (R1, 004 Vedlegg 1.1 g "ved behov")?"""
    # The version the stay was admitted under, as its deadlines are (actions/deadlines.py).
    agreement = agreement_by_id(stay.agreement, on=day_at(stay.admitted_at, stay.time_zone))
    return any(rule.event == SUPPLEMENTARY_REQUESTED for rule in agreement.deadline_rules)


def request_supplementary_information(
    stay: Stay, *, actor: User, at: datetime.datetime, note: str = ""
) -> tuple[StayEvent, list[Deadline]]:
    """The hospital asks the municipality for supplementary information about the patient
    (R1 "ved behov"): the municipality's deadline opens now, not at every admission."""
    if "hospital" not in sides(actor):
        raise InvalidInput({"actor": _("The hospital asks for supplementary information.")})
    not_in_future(at, "at")
    with transaction.atomic():
        stay = lock(stay)
        if at < stay.admitted_at:
            raise InvalidInput({"at": _("The time is before the admission.")})
        if not asks_supplementary_information(stay):
            raise Conflict(
                _("The agreement %(agreement)s sets no duty for supplementary information.")
                % {"agreement": stay.agreement}
            )
        event = StayEvent.objects.create(
            stay=stay, name=SUPPLEMENTARY_REQUESTED, at=at, actor=actor, note=note.strip()
        )
        opened, _answer = open_deadlines(event, actor=actor)
        news.tell(
            News.SUPPLEMENTARY_ASKED,
            to=holder_for(stay, "municipality"),
            patient=stay.patient,
            link=reverse("stay-detail", args=[stay.pk]),
        )
    return event, opened
