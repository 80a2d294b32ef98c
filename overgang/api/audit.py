"""The access log for auditors: who was shown a patient, when, through what and why."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from overgang.api.auth import request_user
from overgang.api.errors import ErrorOut
from overgang.api.inputs import Day, Id
from overgang.api.paging import PageOf1000, page
from overgang.api.reads import read_one
from overgang.audit.history import is_system
from overgang.audit.models import PatientRead, ReadPurpose
from overgang.organisations.permissions import AUDIT
from overgang.patients.access_log import ReadFilter, organisations_of, reads_of
from overgang.patients.models import Patient

router = Router(tags=["audit"])


class ReadsQuery(Schema):
    patient: Id
    user: str = Field("", max_length=150, description="Reads by this username only.")
    organisation: str = Field("", max_length=100, description="Reads by its members only.")
    since: Day | None = Field(None, description="From this day.")
    until: Day | None = Field(None, description="To this day, inclusive.")
    purpose: ReadPurpose | None = None


class ReadOut(Schema):
    at: datetime.datetime
    user: str
    organisation: str = Field(description="Where the reader works; empty for the system.")
    channel: str
    purpose: str
    what: str


@router.get("/audit/reads", response={200: list[ReadOut], 403: ErrorOut, 404: ErrorOut})
def audit_reads(
    request: HttpRequest, query: Query[ReadsQuery], paging: Query[PageOf1000]
) -> list[dict[str, object]]:
    """The access log of one patient, newest first: for auditors (and superusers) who may
    audit the patient; 403 for others, 404 for a patient outside the auditor's scope."""
    auditor = request_user(request)
    if not auditor.has_perm("audit.view_patientread"):
        raise HttpError(403, "Your role does not allow this.")
    patient = Patient.objects.restrict(auditor, AUDIT).filter(pk=query.patient).first()
    if patient is None:
        raise HttpError(404, "Not Found")
    shown = ReadFilter(
        user=query.user,
        organisation=query.organisation,
        since=query.since,
        until=query.until,
        purpose=query.purpose or "",
    )
    # At most 1000 reads a page (newest first); `offset`, or a narrower filter, for more.
    reads: list[PatientRead] = list(page(reads_of(patient, auditor=auditor, shown=shown), paging))
    where = organisations_of(read.user_id for read in reads)
    # Who treated the patient is the patient's business: the auditor's look is logged too.
    read_one(request, patient.pk, ReadPurpose.AUDIT, what="access log")
    return [
        {
            "at": read.at,
            "user": read.user.get_username(),
            "organisation": ""
            if is_system(read.user)
            else ", ".join(org.name for org in where.get(read.user_id, [])),
            "channel": read.channel,
            "purpose": read.purpose,
            "what": read.what,
        }
        for read in reads
    ]
