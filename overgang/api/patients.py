from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.api.auth import request_user
from overgang.api.errors import ErrorOut
from overgang.api.inputs import Id, Offset
from overgang.api.schemas import PatientIn, PatientOut, PatientPage
from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.models import INSTITUTIONS, Organisation
from overgang.organisations.permissions import VIEW
from overgang.patients import actions
from overgang.patients.models import Patient

router = Router(tags=["patients"])

RELATED = ("municipality", "district", "institution", "responsible_hospital")


class SearchParams(Schema):
    q: str = ""
    limit: int = 25
    offset: Offset = 0


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise HttpError(403, "Your role does not allow this.")


@router.post("", response={201: PatientOut})
def create_patient(request: HttpRequest, payload: PatientIn) -> Status[Patient]:
    """Register a patient. The responsible hospital follows from the address (O1)."""
    _require(request, "patients.add_patient")
    institution = None
    if payload.institution:
        institution = Organisation.objects.filter(
            key=payload.institution, kind__in=INSTITUTIONS
        ).first()
        if institution is None:
            raise InvalidInput({"institution": f"Unknown institution: {payload.institution}."})
    patient = actions.create_patient(
        actor=request_user(request),
        national_id_number=payload.national_id,
        name=payload.name,
        municipality=payload.municipality,
        district=payload.district,
        address=payload.address,
        postcode=payload.postcode,
        post_town=payload.post_town,
        residence=payload.residence,
        institution=institution,
        interpreter_needed=payload.interpreter_needed,
        language=payload.language,
    )
    return Status(201, _fetch(request, patient.pk, log=False))


@router.get("", response={200: PatientPage, 403: ErrorOut})
def search_patients(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    """Patients you may see, by the start of a name or a national ID, sorted by name."""
    _require(request, "patients.view_patient")
    if not 1 <= params.limit <= 100:
        raise InvalidInput({"limit": "Give a limit from 1 to 100."}, where="query")
    if params.offset < 0:
        raise InvalidInput({"offset": "The offset cannot be negative."}, where="query")
    found = (
        Patient.objects.restrict(request.user, VIEW)
        .find(params.q)
        .select_related("municipality", "district")
    )
    window = found[params.offset : params.offset + params.limit]
    return {"count": found.count(), "results": list(window)}


@router.get("/{int:patient_id}", response=PatientOut)
def get_patient(request: HttpRequest, patient_id: Id) -> Patient:
    """One patient; 404 when it does not exist or is outside your scope. The read is logged."""
    return _fetch(request, patient_id, log=True)


def _fetch(request: HttpRequest, patient_id: int, *, log: bool) -> Patient:
    try:
        patient = get_object_or_404(
            Patient.objects.restrict(request.user, VIEW)
            .select_related(*RELATED)
            .prefetch_related("relatives"),
            pk=patient_id,
        )
    except Http404:
        raise HttpError(404, "Not Found") from None
    if log:
        log_read(patient, user=request_user(request), purpose=ReadPurpose.API)
    return patient
