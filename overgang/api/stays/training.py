"""What a training showed and whether it was understood, its written procedures, and the
municipality's staff-training sessions (O10, N7)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from overgang.api.auth import request_user
from overgang.api.inputs import Day, Id, Moment, max_length, one_of
from overgang.api.paging import Page, page
from overgang.api.reads import read_one
from overgang.api.rows import Row, value_rows
from overgang.api.stays.common import _stay
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import CHANGE, VIEW
from overgang.stays import actions
from overgang.stays.actions.training import PROCEDURE_MAX_BYTES, UNDERSTOOD
from overgang.stays.models import ProcedureDocument, StaffTraining, Training
from overgang.stays.models.needs import TraineeKind
from overgang.stays.models.training import municipal_training_units
from overgang.stays.procedure_pdf import procedure_response

router = Router()


class ItemIn(Schema):
    item: str = Field(max_length=200, examples=["Cleaning the mask"])
    understood: Annotated[str, one_of(UNDERSTOOD)] = Field(examples=list(UNDERSTOOD))


class ItemOut(Schema):
    item: str
    understood: str


class ProcedureOut(Schema):
    id: int
    title: str
    source: str = Field(description="uploaded or generated (printed from its steps)")
    steps: list[str]
    url: str = Field(description="The PDF, to print or hand over.")


class TrainingOut(Schema):
    id: int
    aid_type: str
    trainee: TraineeKind
    names: str
    at: datetime.datetime
    interpreter: bool
    no_interpreter_reason: str
    items: list[ItemOut] = Field(description="What was demonstrated, and whether understood.")
    teach_back: str
    written_procedures: str
    procedures: list[ProcedureOut]
    repeat: bool
    repeat_on: datetime.date | None
    trainer: str
    trainer_organisation: str


def procedure_out(document: ProcedureDocument) -> dict[str, Any]:
    stay = document.training.stay_id
    return {
        "id": document.pk,
        "title": document.title,
        "source": document.source,
        "steps": document.steps,
        "url": f"/api/v1/stays/{stay}/trainings/{document.training_id}/procedures/"
        f"{document.pk}.pdf",
    }


def training_out(training: Training) -> dict[str, Any]:
    return {
        "id": training.pk,
        "aid_type": training.aid_type.slug,
        "trainee": training.trainee,
        "names": training.names,
        "at": training.at,
        "interpreter": training.interpreter,
        "no_interpreter_reason": training.no_interpreter_reason,
        "items": training.items,
        "teach_back": training.teach_back,
        "written_procedures": training.written_procedures,
        "procedures": [procedure_out(d) for d in training.procedures.all()],
        "repeat": training.repeat,
        "repeat_on": training.repeat_on,
        "trainer": training.trainer.get_username(),
        "trainer_organisation": training.trainer_organisation.key,
    }


class TrainingIn(Schema):
    aid_type: str
    trainee: Annotated[str, one_of(TraineeKind)] = Field(examples=["patient", "relative", "staff"])
    names: str = Field(max_length=max_length(Training, "names"))
    at: Moment | None = None
    interpreter: bool = False
    written_procedures: str = Field("", max_length=max_length(Training, "written_procedures"))
    repeat: bool = False
    note: str = ""
    no_interpreter_reason: str = Field(
        "",
        max_length=2000,
        description="Why a patient who needs an interpreter was trained without one "
        "(required then).",
    )
    items: list[ItemIn] = Field(
        [], max_length=30, description="What was demonstrated, and whether it was understood."
    )
    teach_back: str = Field("", max_length=2000)
    repeat_on: Day | None = Field(None, description="With repeat: the day to repeat it by.")


@router.post("/stays/{int:pk}/trainings", response={201: TrainingOut})
def post_training(request: HttpRequest, pk: Id, payload: TrainingIn) -> Status[dict[str, Any]]:
    """Who was trained on which aid, how (O10, N7)."""
    stay = _stay(request, pk, CHANGE)
    training = actions.record_training(
        stay,
        actor=request_user(request),
        aid_type=payload.aid_type,
        trainee=payload.trainee,
        names=payload.names,
        at=payload.at,
        interpreter=payload.interpreter,
        written_procedures=payload.written_procedures,
        repeat=payload.repeat,
        note=payload.note,
        no_interpreter_reason=payload.no_interpreter_reason,
        items=[i.dict() for i in payload.items],
        teach_back=payload.teach_back,
        repeat_on=payload.repeat_on,
    )
    return Status(201, training_out(training))


@router.get("/stays/{int:pk}/trainings", response=list[TrainingOut])
def list_trainings(request: HttpRequest, pk: Id, paging: Query[Page]) -> list[dict[str, Any]]:
    """Who was trained on which aid, what was shown and understood, and the procedures."""
    stay = _stay(request, pk)
    read_one(request, stay.patient_id, ReadPurpose.NEEDS, what=f"trainings of stay {stay.pk}")
    found = (
        Training.objects.filter(stay=stay)
        .select_related("aid_type", "trainer", "trainer_organisation")
        .prefetch_related("procedures")
        .order_by("at", "id")
    )
    return [training_out(t) for t in page(found, paging)]


def _training(request: HttpRequest, pk: int, training_pk: int, action: str) -> Training:
    stay = _stay(request, pk, action)
    found = Training.objects.filter(stay=stay, pk=training_pk).select_related("stay").first()
    if found is None:
        raise HttpError(404, "Not Found")
    return found


class WrittenProcedureIn(Schema):
    title: str = Field(max_length=200, examples=["Nutrition plan"])
    steps: list[Annotated[str, Field(max_length=1000)]] = Field(max_length=40)


@router.post(
    "/stays/{int:pk}/trainings/{int:training_pk}/procedures/written",
    response={201: ProcedureOut},
)
def write_procedure(
    request: HttpRequest, pk: Id, training_pk: Id, payload: WrittenProcedureIn
) -> Status[dict[str, Any]]:
    """A written procedure printed from its steps (000 9.1: "skriftlige prosedyrer
    (eventuelt også ernæringsplan)"), attached to the training."""
    training = _training(request, pk, training_pk, CHANGE)
    document = actions.attach_procedure(
        training, actor=request_user(request), title=payload.title, steps=payload.steps
    )
    return Status(201, procedure_out(document))


@router.post("/stays/{int:pk}/trainings/{int:training_pk}/procedures", response={201: ProcedureOut})
def upload_procedure(
    request: HttpRequest,
    pk: Id,
    training_pk: Id,
    title: Form[str],
    file: File[UploadedFile],
) -> Status[dict[str, Any]]:
    """Upload a written procedure (PDF, at most 10 MB) given with the training."""
    training = _training(request, pk, training_pk, CHANGE)
    document = actions.attach_procedure(
        training,
        actor=request_user(request),
        title=title,
        # One byte more than allowed is enough to say that it is too large.
        content=file.read(PROCEDURE_MAX_BYTES + 1) or b"",
    )
    return Status(201, procedure_out(document))


PDF_RESPONSE = {
    "responses": {
        200: {"description": "The written procedure.", "content": {"application/pdf": {}}}
    }
}


@router.get(
    "/stays/{int:pk}/trainings/{int:training_pk}/procedures/{int:document_pk}.pdf",
    openapi_extra=PDF_RESPONSE,
)
def get_procedure(request: HttpRequest, pk: Id, training_pk: Id, document_pk: Id) -> HttpResponse:
    """The written procedure as PDF. It names the patient: a logged read."""
    training = _training(request, pk, training_pk, VIEW)
    document = ProcedureDocument.objects.filter(training=training, pk=document_pk).first()
    if document is None:
        raise HttpError(404, "Not Found")
    read_one(request, training.stay.patient_id, ReadPurpose.NEEDS, what=f"procedure {document.pk}")
    return procedure_response(document)


class StaffIn(Schema):
    name: str = Field(max_length=200)
    role: str = Field("", max_length=100, examples=["nurse", "health worker"])


class StaffTrainingIn(Schema):
    organisation: str = Field(
        "",
        description="The unit whose staff were trained (its key): one of your municipality's, "
        "or, for a hospital that trains municipal staff under the agreement, one of the "
        "municipal units it serves (required then); default: your municipality's first.",
    )
    aid_type: str = Field(examples=["cpap"])
    held_on: Day
    trainer: str = Field(max_length=max_length(StaffTraining, "trainer"))
    staff: list[StaffIn] = Field(max_length=100)
    covered: str = Field(max_length=4000)


class StaffOut(Schema):
    name: str
    role: str


class StaffTrainingOut(Schema):
    id: int
    organisation: str = Field(alias="organisation.key")
    aid_type: str = Field(alias="aid_type.slug")
    held_on: datetime.date
    trainer: str
    given_by: str | None = Field(
        None,
        description="The hospital unit that gave the training (its key), when the hospital "
        "recorded it; null when the municipality did.",
    )
    staff: list[StaffOut]
    covered: str
    recorded_by: str = Field(alias="recorded_by.username")

    @staticmethod
    def resolve_given_by(session: StaffTraining | Row) -> str | None:
        if isinstance(session, dict):
            return session["given_by__key"]  # type: ignore[no-any-return]
        return session.given_by.key if session.given_by is not None else None


# A listed session's columns, keyed as StaffTrainingOut reads them (see overgang.api.rows).
STAFF_TRAINING_LISTED = {
    **{"id": "id", "organisation.key": "organisation__key", "aid_type.slug": "aid_type__slug"},
    **{name: name for name in ("held_on", "trainer", "staff", "covered")},
    **{"given_by__key": "given_by__key", "recorded_by.username": "recorded_by__username"},
}


@router.get("/staff-trainings", response=list[StaffTrainingOut])
def list_staff_trainings(request: HttpRequest, paging: Query[Page]) -> list[Row]:
    """The staff-training sessions of your units (O10, N7), newest first."""
    found = StaffTraining.objects.restrict(request_user(request), VIEW)
    return value_rows(page(found.order_by("-held_on", "-id"), paging), STAFF_TRAINING_LISTED)


@router.get("/staff-trainings/{int:pk}", response=StaffTrainingOut)
def get_staff_training(request: HttpRequest, pk: Id) -> StaffTraining:
    found = (
        StaffTraining.objects.restrict(request_user(request), VIEW)
        .select_related("organisation", "aid_type", "recorded_by", "given_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise HttpError(404, "Not Found")
    return found


@router.post("/staff-trainings", response={201: StaffTrainingOut})
def post_staff_training(request: HttpRequest, payload: StaffTrainingIn) -> Status[StaffTraining]:
    """Your unit's staff were trained on an aid: by whom, who took part, what was covered."""
    actor = request_user(request)
    if payload.organisation:
        # Any unit by its key: the writer says whether the user may record for it.
        unit = Organisation.objects.filter(key=payload.organisation).first()
    else:
        unit = municipal_training_units(actor).first()
    if unit is None:
        raise InvalidInput({"organisation": _("Choose the unit whose staff were trained.")})
    session = actions.record_staff_training(
        unit,
        actor=actor,
        aid_type=payload.aid_type,
        held_on=payload.held_on,
        trainer=payload.trainer,
        staff=[s.dict() for s in payload.staff],
        covered=payload.covered,
    )
    return Status(201, session)
