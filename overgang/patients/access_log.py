"""The access log of one patient as an auditor reads it: who was shown the patient, when,
through what and why, filtered by reader, organisation, date and purpose, newest first.

One filter for the access-log page, its CSV export and `GET /api/v1/audit/reads`. The log
is reached through the patients the auditor may audit (`PatientRead.objects.restrict`),
never through seeing them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from overgang.audit.models import PatientRead
from overgang.organisations.models import Membership, Organisation
from overgang.organisations.permissions import AUDIT
from overgang.patients.models import Patient


@dataclass(frozen=True)
class ReadFilter:
    """What an auditor narrows the log to; an empty field narrows nothing."""

    user: str = ""  # a username
    organisation: str = ""  # an organisation's key: reads by its members
    since: datetime.date | None = None  # from this day, on the reader's clock
    until: datetime.date | None = None  # to this day, inclusive
    purpose: str = ""  # a ReadPurpose key


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def reads_of(patient: Patient, *, auditor: User, shown: ReadFilter) -> QuerySet[PatientRead]:
    """The patient's reads that `auditor` may audit and `shown` keeps, newest first."""
    reads = (
        PatientRead.objects.restrict(auditor, AUDIT).filter(patient=patient).select_related("user")
    )
    if shown.user:
        reads = reads.filter(user__username=shown.user)
    if shown.organisation:
        members = Membership.objects.filter(organisation__key=shown.organisation)
        reads = reads.filter(user__in=members.values("user"))
    if shown.since is not None:
        reads = reads.filter(at__gte=_start_of(shown.since))
    if shown.until is not None:
        reads = reads.filter(at__lt=_start_of(shown.until + datetime.timedelta(days=1)))
    if shown.purpose:
        reads = reads.filter(purpose=shown.purpose)
    return reads


def organisations_of(users: Iterable[int]) -> dict[int, list[Organisation]]:
    """Where each of these readers works (their memberships), in one query: the log keeps
    the reader, and the auditor asks which organisation they read for."""
    found: dict[int, list[Organisation]] = defaultdict(list)
    memberships = (
        Membership.objects.filter(user__in=set(users))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    for membership in memberships:
        if membership.organisation not in found[membership.user_id]:
            found[membership.user_id].append(membership.organisation)
    return found


def readers(patient: Patient, *, auditor: User) -> list[User]:
    """Everyone who read the patient's record (for the filter's choices), by username."""
    ids = reads_of(patient, auditor=auditor, shown=ReadFilter()).values("user")
    return list(User.objects.filter(pk__in=ids).order_by("username"))
