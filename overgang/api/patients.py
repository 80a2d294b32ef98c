from operator import itemgetter
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.api.answers import answer
from overgang.api.auth import request_user
from overgang.api.errors import ErrorOut
from overgang.api.inputs import Id, Offset
from overgang.api.reads import read_list, read_one
from overgang.api.schemas import PatientIn, PatientOut, PatientPage
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.models import INSTITUTIONS, Organisation
from overgang.organisations.permissions import VIEW
from overgang.patients import actions
from overgang.patients.models import Patient, Relative

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
def create_patient(request: HttpRequest, payload: PatientIn) -> Status[dict[str, Any]]:
    """Register a patient. The responsible hospital follows from the address (O1).

    A national ID registered for a patient you see is a 409. One registered outside what
    you may see is answered as a new registration, and the patient's current municipality
    and hospital are asked whether the person has moved (docs/security.md)."""
    _require(request, "patients.add_patient")
    institution = None
    if payload.institution:
        institution = Organisation.objects.filter(
            key=payload.institution, kind__in=INSTITUTIONS
        ).first()
        if institution is None:
            raise InvalidInput({"institution": f"Unknown institution: {payload.institution}."})
    registered = actions.register_patient(
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
    return Status(201, _as_registered(registered))


def _as_registered(registered: actions.Registered) -> dict[str, Any]:
    """The answer to a registration, from what was entered and what follows from it: the
    same fields, made the same way, whether the record is new or the person was known
    elsewhere, so that the answer tells an outsider nothing."""
    patient = registered.as_entered
    return {
        "id": registered.id,
        **{field: getattr(patient, field) for field in REGISTERED_FIELDS},
        **{field: getattr(patient, field) for field in RELATED},
        "relatives": [],
        "created_at": registered.created_at,
        "updated_at": registered.updated_at,
    }


REGISTERED_FIELDS = (
    "national_id",
    "id_kind",
    "birth_date",
    "sex",
    "name",
    "address",
    "postcode",
    "post_town",
    "residence",
    "interpreter_needed",
    "language",
)


@router.get("", response={200: PatientPage, 403: ErrorOut})
def search_patients(request: HttpRequest, params: Query[SearchParams]) -> HttpResponse:
    """Patients you may see, by the start of a name or a national ID, sorted by name."""
    _require(request, "patients.view_patient")
    if not 1 <= params.limit <= 100:
        raise InvalidInput({"limit": "Give a limit from 1 to 100."}, where="query")
    if params.offset < 0:
        raise InvalidInput({"offset": "The offset cannot be negative."}, where="query")
    found = Patient.objects.restrict(request.user, VIEW).find(params.q)
    page = found.values_list(*SUMMARY_COLUMNS)[params.offset : params.offset + params.limit]
    window = read_list(request, map(_summary, page), patient=itemgetter("id"))
    return answer({"count": _count(found, window, params), "results": window})


def _count(found: QuerySet[Patient], window: list[Any], params: SearchParams) -> int:
    """How many patients the search finds. A page with rows that is not full is the last
    one, so the total is known without counting them again in the database."""
    if window and len(window) < params.limit:
        return params.offset + len(window)
    if not window and params.offset == 0:
        return 0
    return found.count()


# A page of the list reads only the columns its rows show (PatientSummary), as plain rows:
# whole patients with their municipality and district were three model instances a row,
# and most of the answer's time went into building them.
SUMMARY_COLUMNS = (
    "id",
    "national_id",
    "name",
    "birth_date",
    "municipality__name",
    "district__name",
)


def _summary(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row of the list as PatientSummary answers it (see `answers`): the columns are
    typed as its fields are, so there is nothing for its validation to change."""
    pk, national_id, name, birth_date, municipality, district = row
    return {
        "id": pk,
        "national_id": national_id,
        "name": name,
        "birth_date": birth_date,
        "municipality": municipality,
        "district": district,
    }


@router.get("/{int:patient_id}", response=PatientOut)
def get_patient(request: HttpRequest, patient_id: Id) -> HttpResponse:
    """One patient; 404 when it does not exist or is outside your scope. The read is logged."""
    found = Patient.objects.restrict(request.user, VIEW).filter(pk=patient_id)
    row = next(iter(found.order_by().values(*PATIENT_COLUMNS)[:1]), None)
    if row is None:
        raise HttpError(404, "Not Found")
    read_one(request, row["id"], ReadPurpose.API, what="")
    return answer(_as_patient(row))


# One patient is read as the columns PatientOut shows, its four organisations' references
# among them: four whole organisations as model instances, beside the patient's, cost more
# than the rest of the answer.
PATIENT_FIELDS = (
    *("id", "national_id", "id_kind", "birth_date", "sex", "name", "address", "postcode"),
    *("post_town", "municipality", "district", "residence", "institution"),
    *("responsible_hospital", "interpreter_needed", "language", "relatives", "created_at"),
    "updated_at",
)
REFERENCE_FIELDS = ("id", "key", "name", "number")  # OrganisationRef
PATIENT_COLUMNS = (
    *(field for field in PATIENT_FIELDS if field not in (*RELATED, "relatives")),
    *(f"{related}__{field}" for related in RELATED for field in REFERENCE_FIELDS),
)
RELATIVE_FIELDS = (
    *("id", "name", "relation", "phone", "next_of_kin", "minor_child", "needs_support"),
)


def _as_patient(row: dict[str, Any]) -> dict[str, Any]:
    """The patient as PatientOut answers it (see `answers`), its fields in its order; the
    relatives as rows in their model's order."""
    shown: dict[str, Any] = dict.fromkeys(PATIENT_FIELDS)
    for field in PATIENT_FIELDS:
        if field in RELATED:
            shown[field] = _reference(row, field)
        elif field != "relatives":
            shown[field] = row[field]
    shown["relatives"] = list(
        Relative.objects.filter(patient_id=row["id"]).values(*RELATIVE_FIELDS)
    )
    return shown


def _reference(row: dict[str, Any], related: str) -> dict[str, Any] | None:
    """The OrganisationRef of the row's organisation `related`; None when there is none."""
    if row[f"{related}__id"] is None:
        return None
    return {field: row[f"{related}__{field}"] for field in REFERENCE_FIELDS}
