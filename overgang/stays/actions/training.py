"""What a training must say, and what it leaves to do (O10, N7).

A training records what was shown and whether it was understood, not only that it took
place (000 9.1: "tilpasset og forstått"). A patient who needs an interpreter and is trained
without one: the training says why. A training to be repeated gets a date, and the party
that trained has it on its worklist until the training is given again. Written procedures
are PDFs attached to the training: uploaded, or printed from a form.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids import manual_pdf
from overgang.aids.models import AidType
from overgang.audit.history import record_change, snapshot, writer_atomic
from overgang.audit.models import ChangeAction
from overgang.errors import InvalidInput
from overgang.organisations import access_cache
from overgang.organisations.models import Kind, Organisation
from overgang.rules.clock import country_time_zone, day_at, zone
from overgang.rules.registry import training_notes
from overgang.stays import news
from overgang.stays.actions.deadlines import add_deadline, close
from overgang.stays.models import (
    Deadline,
    News,
    ProcedureDocument,
    ProcedureSource,
    StaffTraining,
    Stay,
    Training,
)
from overgang.stays.models.training import giver_for, staff_training_units

UNDERSTOOD = ("yes", "partly", "no")
MOST_ITEMS = 30
ITEM_LENGTH = 200
PROCEDURE_MAX_BYTES = 10 * 1024 * 1024
MOST_STEPS = 40
REPEAT_DUTY = "training-repeat"
# A training to be repeated without a day given is repeated within a week.
REPEAT_WITHIN = datetime.timedelta(days=7)
# A reminder is due at noon on the day set, in the stay's time zone.
REMINDER_HOUR = datetime.time(12)
DOCUMENT_FIELDS = ("training", "title", "source")
STAFF_TRAINING_FIELDS = (
    "organisation",
    "aid_type",
    "held_on",
    "trainer",
    "given_by",
    "staff",
    "covered",
)


def clean_items(items: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The items shown, each with whether it was understood; blank items are dropped."""
    found: list[dict[str, str]] = []
    for row in items:
        item = str(row.get("item", "")).strip()
        if not item:
            continue
        understood = str(row.get("understood", ""))
        if understood not in UNDERSTOOD:
            raise InvalidInput(
                {
                    "items": _("Say for “%(item)s” whether it was understood: yes, partly or no.")
                    % {"item": item[:60]}
                }
            )
        if len(item) > ITEM_LENGTH:
            raise InvalidInput(
                {"items": _("An item is at most %(most)d characters.") % {"most": ITEM_LENGTH}}
            )
        found.append({"item": item, "understood": understood})
    if len(found) > MOST_ITEMS:
        raise InvalidInput({"items": _("At most %(most)d items.") % {"most": MOST_ITEMS}})
    return found


def training_problems(
    stay: Stay,
    *,
    trainee: str,
    interpreter: bool,
    no_interpreter_reason: str,
    repeat: bool,
    repeat_on: datetime.date | None,
    at: datetime.datetime,
) -> dict[str, str]:
    """What is missing from a training, by field."""
    errors: dict[str, str] = {}
    if (
        trainee in ("patient", "relative")
        and stay.patient.interpreter_needed
        and not interpreter
        and not no_interpreter_reason.strip()
    ):
        errors["no_interpreter_reason"] = _(
            "The patient needs an interpreter (%(language)s). Say why the training was given "
            "without one, or tick “with an interpreter”."
        ) % {"language": stay.patient.language}
    if repeat_on is not None and repeat_on < day_at(at, stay.time_zone):
        errors["repeat_on"] = _("The day to repeat it by is before the training.")
    if repeat_on is not None and not repeat:
        errors["repeat"] = _("Tick “to be repeated” or leave the day empty.")
    return errors


def repeat_day(
    stay: Stay, at: datetime.datetime, repeat: bool, repeat_on: datetime.date | None
) -> datetime.date | None:
    """The day a training to be repeated is due again: the day given, else a week on."""
    if not repeat:
        return None
    return repeat_on or day_at(at, stay.time_zone) + REPEAT_WITHIN


def repeat_rule(training: Training) -> str:
    return f"training.repeat.{training.pk}"


def after_training(training: Training, *, actor: User) -> None:
    """Inside the training's transaction: a training of the same people on the same aid
    closes the reminders to repeat it; one to be repeated opens its own."""
    stay = training.stay
    earlier = Training.objects.filter(
        stay=stay, aid_type=training.aid_type, trainee=training.trainee, repeat=True
    ).exclude(pk=training.pk)
    rules = [repeat_rule(t) for t in earlier]
    for deadline in Deadline.objects.select_for_update().filter(
        stay=stay, duty=REPEAT_DUTY, rule__in=rules, done_at__isnull=True
    ):
        close(
            deadline,
            actor=actor,
            note=_("Trained again: %(names)s") % {"names": training.names},
            at=training.at,
        )
    if not training.repeat or training.repeat_on is None:
        return
    organisation = training.trainer_organisation
    add_deadline(
        actor=actor,
        now=clock.now(),
        stay=stay,
        duty=REPEAT_DUTY,
        party="municipality" if organisation.is_municipal_side else "hospital",
        holder=organisation,
        due=datetime.datetime.combine(training.repeat_on, REMINDER_HOUR, zone(stay.time_zone)),
        rule=repeat_rule(training),
        # The agreement's own words on repeating, where it has them (000 9.1).
        cites=[
            cite
            for note in training_notes(
                stay.agreement, "patient", on=day_at(training.at, stay.time_zone)
            )
            if note.repeat
            for cite in note.cites
        ],
        text={
            "nb": f"Gjenta opplæringen i {training.aid_type.name_nb or training.aid_type.name_en}"
            f" for {training.names}.",
            "da": f"Gentag oplæringen i {training.aid_type.name_da or training.aid_type.name_en}"
            f" for {training.names}.",
            "en": f"Repeat the training on {training.aid_type.name_en} for {training.names}.",
        },
    )


def procedure_problem(content: bytes) -> str | None:
    """What is wrong with an uploaded procedure; None for a plain, readable PDF."""
    if not content:
        return _("Choose the procedure's file (PDF).")
    if len(content) > PROCEDURE_MAX_BYTES:
        return _("The file is larger than 10 MB.")
    if not content.startswith(manual_pdf.MAGIC):
        return _("A written procedure must be a PDF file.")
    return manual_pdf.problem(content)


def attach_procedure(
    training: Training,
    *,
    actor: User,
    title: str,
    content: bytes = b"",
    steps: Iterable[str] = (),
) -> ProcedureDocument:
    """Attach a written procedure to a training: an uploaded PDF (`content`), or one printed
    from its `steps` when no file is given."""
    from overgang.stays.procedure_pdf import procedure_pdf  # reportlab, only when printing

    errors: dict[str, str] = {}
    title = " ".join(title.split())
    if not title:
        errors["title"] = _("Give the procedure a title, for example “Nutrition plan”.")
    elif len(title) > 200:
        errors["title"] = _("The title is at most 200 characters.")
    written = [" ".join(s.split()) for s in steps if s.strip()]
    if content:
        source = ProcedureSource.UPLOADED
        if problem := procedure_problem(content):
            errors["file"] = problem
    else:
        source = ProcedureSource.GENERATED
        if not written:
            errors["file"] = _("Upload the procedure as a PDF, or write its steps.")
        elif len(written) > MOST_STEPS:
            errors["steps"] = _("At most %(most)d steps.") % {"most": MOST_STEPS}
    if errors:
        raise InvalidInput(errors)
    with writer_atomic():
        document = ProcedureDocument(
            training=training,
            title=title,
            source=source,
            steps=written if source == ProcedureSource.GENERATED else [],
            added_by=actor,
            added_at=clock.now(),
        )
        document.content = content or procedure_pdf(document)
        document.save()
        record_change(
            document,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(document, DOCUMENT_FIELDS),
        )
    return document


def clean_staff(staff: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    found = []
    for row in staff:
        name = " ".join(str(row.get("name", "")).split())
        role = " ".join(str(row.get("role", "")).split())
        if name:
            found.append({"name": name[:200], "role": role[:100]})
    return found


def unit_problem(organisation: Organisation, *, actor: User) -> str | None:
    """Why the actor may not record training of this unit's staff; None if they may."""
    if organisation.nearest(Kind.MUNICIPALITY) is None or not organisation.is_municipal_side:
        return _("Choose a unit of a municipality.")
    if not staff_training_units(actor).filter(pk=organisation.pk).exists():
        return _(
            "You cannot record training for %(unit)s: choose a unit of your municipality, "
            "or one your hospital trains under the agreement."
        ) % {"unit": organisation.name}
    return None


def trainer_problem(trainer: str) -> str | None:
    if not trainer.strip():
        return _("Say who trained the staff.")
    if len(trainer) > 200:
        return _("At most 200 characters.")
    return None


def record_staff_training(
    organisation: Organisation,
    *,
    actor: User,
    aid_type: str,
    held_on: datetime.date | None,
    trainer: str,
    staff: Iterable[Mapping[str, Any]],
    covered: str,
) -> StaffTraining:
    """The unit's staff were trained on an aid (O10 000 9.0, 9.2; N7 003 3.2): recorded by
    the municipality, or by the hospital that trained them (the unit is then told)."""
    errors: dict[str, str] = {}
    municipality = organisation.nearest(Kind.MUNICIPALITY)
    if problem := unit_problem(organisation, actor=actor):
        errors["organisation"] = problem
    kind = AidType.objects.filter(slug=aid_type).first()
    if kind is None:
        errors["aid_type"] = _("Choose the aid.")
    if held_on is None:
        errors["held_on"] = _("Say on which day the training was held.")
    elif held_on > day_at(clock.now(), organisation_zone(organisation)):
        errors["held_on"] = _("The day is in the future.")
    if problem := trainer_problem(trainer):
        errors["trainer"] = problem
    trained = clean_staff(staff)
    if not trained:
        errors["staff"] = _("Name at least one of the staff who were trained.")
    if not covered.strip():
        errors["covered"] = _("Say what was covered.")
    if errors or kind is None or held_on is None or municipality is None:
        raise InvalidInput(errors)
    given_by = giver_for(actor, organisation)
    with writer_atomic():
        session = StaffTraining.objects.create(
            organisation=organisation,
            municipality=municipality,
            aid_type=kind,
            held_on=held_on,
            trainer=" ".join(trainer.split()),
            given_by=given_by,
            staff=trained,
            covered=covered.strip(),
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        record_change(
            session,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(session, STAFF_TRAINING_FIELDS),
        )
        if given_by is not None:
            _tell_the_municipality(session)
    return session


def _tell_the_municipality(session: StaffTraining) -> None:
    """The hospital recorded training of the municipality's staff: the unit trained is told,
    and the allocation office of its district or municipality, which plans the training."""
    link = reverse("staff-training-detail", args=[session.pk])
    unit = session.organisation
    home = unit.nearest(Kind.DISTRICT) or session.municipality
    office = access_cache.current_register().child(home.pk, Kind.ALLOCATION_OFFICE)
    news.tell(News.STAFF_TRAINED, to=unit, link=link)
    if office is not None and office.pk != unit.pk:
        news.tell(News.STAFF_TRAINED, to=office, link=link)


def organisation_zone(organisation: Organisation) -> str:
    return country_time_zone(organisation.country)
