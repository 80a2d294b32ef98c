"""The only writers of patients and relatives. Pages, API, commands and jobs call these."""

from __future__ import annotations

import copy
import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import build_change, is_system, record_change, snapshot
from overgang.audit.models import ChangeAction, ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import INSTITUTIONS, Organisation
from overgang.organisations.permissions import CHANGE, VIEW
from overgang.patients import national_id
from overgang.patients.address import Address, resolve_address
from overgang.patients.models import MoveInRequest, Patient, Relation, Relative, Residence

PATIENT_FIELDS = (
    "national_id",
    "id_kind",
    "birth_date",
    "sex",
    "name",
    "address",
    "postcode",
    "post_town",
    "municipality",
    "district",
    "residence",
    "institution",
    "responsible_hospital",
    "interpreter_needed",
    "language",
)
# Follow from the national ID or the address; never set directly.
DERIVED_FIELDS = {"national_id", "id_kind", "birth_date", "sex", "responsible_hospital"}
MOVE_IN_FIELDS = ("name", "address", "postcode", "post_town", "municipality", "district")
RELATIVE_FIELDS = (
    "name",
    "relation",
    "phone",
    "next_of_kin",
    "minor_child",
    "needs_support",
    "notes",
)


def _require(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput({field: message})
    return value


def _residence(residence: str, institution: Organisation | None) -> Residence:
    if residence not in Residence.values:
        raise InvalidInput(
            {
                "residence": _("Choose where the patient lives: %(choices)s.")
                % {"choices": ", ".join(f"{v} ({label})" for v, label in Residence.choices)}
            }
        )
    if institution is not None and institution.kind not in INSTITUTIONS:
        raise InvalidInput(
            {"institution": _("%(name)s is not an institution.") % {"name": institution}}
        )
    if residence == Residence.HOME and institution is not None:
        raise InvalidInput({"institution": _("A patient living at home has no institution.")})
    return Residence(residence)


Resolver = Callable[[str, str], Address]


def build_patient(
    *,
    national_id_number: str,
    name: str,
    municipality: str,
    address: str,
    district: str = "",
    postcode: str = "",
    post_town: str = "",
    residence: str = Residence.HOME,
    institution: Organisation | None = None,
    interpreter_needed: bool = False,
    language: str = "",
    resolve: Resolver = resolve_address,
) -> Patient:
    """A valid, unsaved patient; every problem with the input is reported at once, by field."""
    errors: dict[str, str] = {}
    place = None
    try:
        place = resolve(municipality, district)
    except InvalidInput as error:
        errors.update(error.errors)
    parsed = None
    try:
        # The number must fit the country of the address (a CPR number for Denmark).
        parsed = national_id.parse(
            national_id_number, country=place.municipality.country if place else None
        )
    except national_id.InvalidNationalId as error:
        errors["national_id"] = str(error)
    if not (name or "").strip():
        errors["name"] = _("Enter the patient's name.")
    if not (address or "").strip():
        errors["address"] = _("Enter the registered address.")
    try:
        _residence(residence, institution)
    except InvalidInput as error:
        errors.update(error.errors)
    if interpreter_needed and not language.strip():
        errors["language"] = _("Say which language the interpreter must speak.")
    if errors or parsed is None or place is None:
        raise InvalidInput(errors)
    return Patient(
        national_id=parsed.number,
        id_kind=parsed.kind,
        birth_date=parsed.birth_date,
        sex=parsed.sex,
        name=" ".join(name.split()),
        address=address.strip(),
        postcode=postcode.strip(),
        post_town=post_town.strip(),
        municipality=place.municipality,
        district=place.district,
        residence=residence,
        institution=institution,
        responsible_hospital=place.responsible_hospital,
        interpreter_needed=interpreter_needed,
        language=language.strip(),
    )


def create_patient(*, actor: User, **fields: Any) -> Patient:
    """Register one patient (see `build_patient` for the fields); a number registered
    before is a Conflict. For commands and imports; pages and the API call
    `register_patient`, which does not tell an outsider that a person is a patient.

    A person may register only patients they will be allowed to change afterwards:
    a case worker in Frogner cannot register a resident of Tromsø.
    """
    return _save_new(build_patient(**fields), actor=actor)


def _save_new(patient: Patient, *, actor: User) -> Patient:
    try:
        # A savepoint even inside a caller's block that needs none (writer_atomic): after a
        # clash on the national id the transaction must still read whether the patient exists.
        with transaction.atomic():
            patient.save()
            _within_area(patient, actor=actor)
            record_change(
                patient,
                actor=actor,
                action=ChangeAction.CREATED,
                after=snapshot(patient, PATIENT_FIELDS),
            )
    except IntegrityError:
        if Patient.objects.filter(national_id=patient.national_id).exists():
            raise Conflict(_already_registered()) from None
        raise
    return patient


def _already_registered() -> str:
    return _("A patient with this national identity number is already registered.")


def _within_area(patient: Patient, *, actor: User) -> None:
    """InvalidInput unless `actor` may change a patient who lives where `patient` does;
    `patient` is saved, in a transaction the caller rolls back if this fails."""
    if is_system(actor) or Patient.objects.restrict(actor, CHANGE).filter(pk=patient.pk).exists():
        return
    field = "district" if patient.district else "municipality"
    raise InvalidInput(
        {
            field: _("%(place)s is outside the area you serve.")
            % {"place": patient.district or patient.municipality}
        }
    )


@dataclass(frozen=True)
class Registered:
    """What the person who registers a patient is told: the patient as they entered them,
    under the record's id, at a time. It reads the same whether the record is new or the
    person was registered before outside what they may see (docs/security.md); then
    `as_entered` is an unsaved copy of their own input and must never be saved."""

    id: int
    as_entered: Patient
    created_at: datetime.datetime
    updated_at: datetime.datetime


def register_patient(*, actor: User, **fields: Any) -> Registered:
    """Register a patient from a page or the API (see `build_patient` for the fields).

    A number already registered for a patient the actor sees is a Conflict: they know the
    patient. A number registered outside what they may see is answered exactly as a new
    registration, so that an outsider cannot learn that the person is a patient; nothing
    of that record is shown or changed, no second record is made, and the patient's
    current municipality and hospital find a MoveInRequest on the patient's page.
    """
    patient = build_patient(**fields)
    known = Patient.objects.filter(national_id=patient.national_id).first()
    if known is None:
        try:
            saved = _save_new(patient, actor=actor)
        except Conflict:
            # Registered by someone else a moment ago: answered as a number known before.
            known = Patient.objects.get(national_id=patient.national_id)
        else:
            return Registered(saved.pk, saved, saved.created_at, saved.updated_at)
    if is_system(actor) or Patient.objects.restrict(actor, VIEW).filter(pk=known.pk).exists():
        raise Conflict(_already_registered())
    return _ask_the_holder(known, patient, actor=actor)


def _ask_the_holder(known: Patient, entered: Patient, *, actor: User) -> Registered:
    """The registration of a person known outside the actor's scope: the same checks of
    the address as a new one, then a request to whoever holds the record."""
    with transaction.atomic():
        # The address is checked as for a new patient, on a stand-in saved for a moment
        # under a number no person has, and always rolled back.
        stand_in = copy.copy(entered)
        stand_in.national_id = "~" + secrets.token_hex(5)
        stand_in.save()
        _within_area(stand_in, actor=actor)
        transaction.set_rollback(True)
    created_at = clock.now()
    with transaction.atomic():
        request = MoveInRequest.objects.create(
            patient=known,
            requested_by=actor,
            name=entered.name,
            address=entered.address,
            postcode=entered.postcode,
            post_town=entered.post_town,
            municipality=entered.municipality,
            district=entered.district,
        )
        record_change(
            request,
            actor=actor,
            action=ChangeAction.CREATED,
            after={"patient": known.pk, **snapshot(request, MOVE_IN_FIELDS)},
        )
    return Registered(known.pk, entered, created_at, clock.now())


def register_patients(patients: list[Patient], *, actor: User) -> int:
    """Save many patients made by `build_patient` in one transaction, with their history.

    For imports and demo data at scale; one INSERT per batch instead of one per patient.
    """
    with transaction.atomic():
        for patient in patients:
            patient.derive_names()
        created = Patient.objects.bulk_create(patients, batch_size=1000)
        changes = [
            build_change(
                patient,
                actor=actor,
                action=ChangeAction.CREATED,
                after=snapshot(patient, PATIENT_FIELDS),
            )
            for patient in created
        ]
        ChangeRecord.objects.bulk_create([c for c in changes if c is not None], batch_size=1000)
    return len(created)


def update_patient(
    patient: Patient,
    *,
    actor: User,
    reason: str = "",
    second_training: bool = True,
    **changes: Any,
) -> Patient:
    """Change a patient's name, address, residence or interpreter need.

    A new address asks the agreement again which hospital is responsible (O1). A move
    between home and an institution gives the staff's second-time training to the party the
    agreement names (O10, 000 9.3); a discharge that moves the patient gives it itself
    (`second_training=False`).
    """
    allowed = set(PATIENT_FIELDS) - DERIVED_FIELDS
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput({field: _("This field cannot be changed here.") for field in unknown})
    with transaction.atomic():
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        before = snapshot(locked, PATIENT_FIELDS)
        lived = (locked.residence, locked.institution_id)
        errors: dict[str, str] = {}
        if "municipality" in changes or "district" in changes:
            try:
                place = resolve_address(
                    changes.pop("municipality", locked.municipality.number),
                    changes.pop("district", locked.district.name if locked.district else ""),
                )
                locked.municipality = place.municipality
                locked.district = place.district
                locked.responsible_hospital = place.responsible_hospital
            except InvalidInput as error:
                errors.update(error.errors)
        for field, value in changes.items():
            if field in {"name", "address"}:
                try:
                    value = _require(value, field, _("This field is required."))
                except InvalidInput as error:
                    errors.update(error.errors)
                    continue
            setattr(locked, field, value.strip() if isinstance(value, str) else value)
        try:
            _residence(locked.residence, locked.institution)
        except InvalidInput as error:
            errors.update(error.errors)
        if locked.interpreter_needed and not locked.language:
            errors["language"] = _("Say which language the interpreter must speak.")
        if errors:
            raise InvalidInput(errors)
        locked.save()
        _stays_follow(locked, actor=actor, reason=reason)
        _second_training(locked, *lived, actor=actor, given_here=second_training)
        record_change(
            locked,
            actor=actor,
            action=ChangeAction.CHANGED,
            before=before,
            after=snapshot(locked, PATIENT_FIELDS),
            reason=reason,
        )
    return locked


def _stays_follow(patient: Patient, *, actor: User, reason: str) -> None:
    """The patient's stays are seen by the patient's municipality and district, and keep a
    copy of both (see overgang.stays.models.Stay): a move takes them along, through the
    stays' own writer so that each stay's history shows it."""
    from overgang.stays.actions.follow import follow_patient  # stays builds on patients

    follow_patient(patient, actor=actor, reason=reason)


def _second_training(
    patient: Patient, residence: str, institution: int | None, *, actor: User, given_here: bool
) -> None:
    from overgang.stays.actions.retraining import retrain_after_move  # stays builds on patients

    if not given_here:
        return

    retrain_after_move(
        patient, residence_before=residence, institution_before=institution, actor=actor
    )


def add_relative(
    patient: Patient,
    *,
    actor: User,
    name: str,
    relation: str,
    phone: str = "",
    next_of_kin: bool = False,
    minor_child: bool = False,
    needs_support: bool = False,
    notes: str = "",
) -> Relative:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Enter the relative's name.")
    if relation not in Relation.values:
        errors["relation"] = _("Choose how the relative is related to the patient.")
    if minor_child and relation not in (Relation.CHILD, Relation.OTHER):
        errors["minor_child"] = _("A minor child must have the relation “child” or “other”.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        relative = Relative.objects.create(
            patient=patient,
            name=" ".join(name.split()),
            relation=relation,
            phone=phone.strip(),
            next_of_kin=next_of_kin,
            minor_child=minor_child,
            needs_support=needs_support,
            notes=notes.strip(),
        )
        record_change(
            relative,
            actor=actor,
            action=ChangeAction.CREATED,
            after={"patient": patient.pk, **snapshot(relative, RELATIVE_FIELDS)},
        )
    return relative


def remove_relative(relative: Relative, *, actor: User, reason: str = "") -> None:
    with transaction.atomic():
        record_change(
            relative,
            actor=actor,
            action=ChangeAction.DELETED,
            before={"patient": relative.patient_id, **snapshot(relative, RELATIVE_FIELDS)},
            reason=reason,
        )
        relative.delete()
