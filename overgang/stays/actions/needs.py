"""Needs and training on a stay (H1, H4, O9, O10, N7).

The hospital describes the patient's functional difficulties and the aids they will need.
An aid need asks the patient's agreement who assesses, applies, delivers, instructs and
trains staff, and gives each of those parties a task on its worklist, due before the
expected discharge. A loan of the aid, or a training, closes the tasks it fulfils.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from overgang import clock, rules
from overgang.aids.cases import loan_case
from overgang.aids.models import AidType, Loan
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.i18n import LANGUAGES, current_language
from overgang.organisations.models import Kind, Organisation
from overgang.organisations.permissions import CHANGE, memberships_for
from overgang.rules.case import PURPOSES
from overgang.rules.clock import day_at
from overgang.rules.registry import Agreement, RulesError, agreement_by_id
from overgang.stays.access import holder_for, sides
from overgang.stays.actions import training as training_checks
from overgang.stays.actions.admission import lock
from overgang.stays.actions.deadlines import add_deadline, close
from overgang.stays.actions.episodes import needs_changed
from overgang.stays.actions.times import not_in_future
from overgang.stays.models import (
    Deadline,
    Duration,
    Need,
    NeedKind,
    NeedStatus,
    Outcome,
    Stay,
    TraineeKind,
    Training,
)
from overgang.stays.signals import aid_need_recorded

NEED_FIELDS = ("kind", "description", "aid_type", "duration", "purpose", "status", "loan")
TRAINING_FIELDS: tuple[str, ...] = ("aid_type", "trainee", "names", "at", "interpreter")
TRAINING_FIELDS += ("written_procedures", "no_interpreter_reason", "items", "teach_back")
TRAINING_FIELDS += ("repeat", "repeat_on")
# The duties of the rules that are work to be done before the patient leaves.
TASK_DUTIES = {
    "assessment": "aid-assessment",
    "application": "aid-application",
    "delivery": "aid-delivery",
    "instruction": "aid-instruction",
    "staff_training": "aid-staff-training",
}
MONTHS: dict[str, int] = {Duration.SHORT: 6, Duration.LONG: 36}
# Without a planned discharge a task is due a day after the need is known (O9: "as soon as
# the need is known"); setting the discharge moves nothing already open.
WITHOUT_DISCHARGE = datetime.timedelta(hours=24)


def _aid_decision(stay: Stay, need: Need, kind: AidType) -> dict[str, Any]:
    case = loan_case(stay.patient, kind.slug, placement=stay.patient.residence)
    case["date"] = day_at(need.recorded_at, stay.time_zone).isoformat()
    case["need"] = {"phase": "inpatient"}
    if need.purpose:
        case["need"]["purpose"] = need.purpose
    if need.duration in MONTHS:
        case["need"]["duration_months"] = MONTHS[need.duration]
    if need.needed_for_journey_home:
        case["need"]["needed_for_journey_home"] = True
    try:
        said = {language: rules.decide(case, language=language) for language in LANGUAGES}
    except RulesError:
        return {}
    # The agreement's words are kept in every language and shown in the reader's (Need.said).
    decision = said["en"]
    for key in ("notes", "reasons"):
        decision[key] = [
            dict(zip(LANGUAGES, texts, strict=True))
            for texts in zip(*(said[language][key] for language in LANGUAGES), strict=True)
        ]
    return decision


def _task_holder(stay: Stay, party: str, duty: str) -> Organisation | None:
    """The treatment-aids unit delivers and instructs for the hospital; the home nursing is
    trained for the municipality; NAV's part is followed by the allocation office (H5)."""
    if party == "hospital" and duty in ("delivery", "instruction", "staff_training"):
        unit = Organisation.objects.filter(parent=stay.trust, kind=Kind.AIDS_UNIT).first()
        if unit is None:
            agreement = agreement_by_id(stay.agreement, on=day_at(stay.admitted_at, stay.time_zone))
            unit = Organisation.objects.filter(key__in=agreement.aids_units).first()
        return unit or holder_for(stay, party)
    if party == "municipality" and duty == "staff_training":
        if stay.patient.residence == "institution" and stay.patient.institution is not None:
            return stay.patient.institution  # the nursing home's own staff are trained
        home = stay.patient.district or stay.patient.municipality
        nursing = Organisation.objects.filter(parent=home, kind=Kind.HOME_NURSING).first()
        return nursing or holder_for(stay, party)
    if party in ("hospital", "municipality", "nav"):
        return holder_for(stay, "municipality" if party == "nav" else party)
    return None  # the citizen's own part is on nobody's worklist


def stay_agreement(stay: Stay) -> Agreement:
    return agreement_by_id(stay.agreement, on=day_at(stay.admitted_at, stay.time_zone))


def _rule_texts(stay: Stay) -> dict[str, dict[str, str]]:
    return {rule.id: dict(rule.text) for rule in stay_agreement(stay).rules}


def _purpose_error(stay: Stay, purpose: str, kind: AidType | None) -> str | None:
    """What is wrong with the purpose given for an aid need: the agreement names the
    purposes it decides by (N2), and a need it cannot decide without one must name one."""
    agreement = stay_agreement(stay)
    offered = ", ".join(p.text[current_language()] for p in agreement.purposes)
    if purpose:
        if agreement.purposes and agreement.purpose(purpose) is None:
            return _("Unknown purpose: %(purpose)s. The agreement's purposes: %(offered)s.") % {
                "purpose": purpose,
                "offered": offered,
            }
        if not agreement.purposes and purpose not in PURPOSES:
            return _("Unknown purpose: %(purpose)s.") % {"purpose": purpose}
        return None
    if agreement.purposes and kind is not None and kind.category != "treatment-aid":
        # A treatment aid is for the treatment unless said otherwise (rules/engine.py).
        return _("Say what the aid is for: %(offered)s.") % {"offered": offered}
    return None


def _open_tasks(stay: Stay, need: Need, decision: dict[str, Any], *, actor: User) -> None:
    texts = _rule_texts(stay)
    now = clock.now()
    due = stay.expected_discharge or need.recorded_at + WITHOUT_DISCHARGE
    for duty, task in TASK_DUTIES.items():
        found = (decision.get("duties") or {}).get(duty)
        if not found:
            continue
        holder = _task_holder(stay, found["party"], duty)
        if holder is None:
            continue
        add_deadline(
            actor=actor,
            now=now,
            stay=stay,
            need=need,
            duty=task,
            party=found["party"],
            holder=holder,
            due=due,
            rule=found["rule"],
            cites=found["cites"],
            text=texts.get(found["rule"], {}),
        )


def _close_open(
    stay: Stay,
    duties: tuple[str, ...],
    *,
    actor: User,
    note: str,
    at: datetime.datetime | None = None,
    **filters: Any,
) -> None:
    """Close the open deadlines of these duties, as done at `at` (the time it was done)."""
    for deadline in Deadline.objects.select_for_update().filter(
        stay=stay, duty__in=duties, done_at__isnull=True, **filters
    ):
        close(deadline, actor=actor, note=note, at=at)


def _need_errors(
    stay: Stay,
    actor: User,
    kind: str,
    description: str,
    duration: str,
    aid_type: str,
    found: AidType | None,
    purpose: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in NeedKind.values:
        errors["kind"] = _("Choose a functional difficulty or an aid.")
    if not description.strip():
        errors["description"] = _("Describe the need.")
    if duration not in Duration.values:
        errors["duration"] = _("Choose short-term, long-term or not known.")
    if kind == NeedKind.AID and found is None:
        errors["aid_type"] = (
            _("Unknown aid type: %(slug)s.") % {"slug": aid_type}
            if aid_type
            else _("Choose the aid.")
        )
    if kind == NeedKind.AID:
        wrong = _purpose_error(stay, purpose, found)
        if wrong:
            errors["purpose"] = wrong
    if "hospital" not in sides(actor):
        errors["kind"] = _("The hospital describes the patient's needs.")
    return errors


def record_need(
    stay: Stay,
    *,
    actor: User,
    kind: str,
    description: str,
    own_part: str = "",
    aid_type: str = "",
    duration: str = Duration.UNKNOWN,
    purpose: str = "",
    needed_for_journey_home: bool = False,
    at: datetime.datetime | None = None,
) -> Need:
    """A functional difficulty or an aid the patient will need (H1, H4). An aid need gives
    each party the agreement names its task; describing the needs fulfils H1's duty, and for
    a planned admission an aid need with its duration fulfils H4's notice."""
    at = at or clock.now()
    found = AidType.objects.filter(slug=aid_type).first() if aid_type else None
    errors = _need_errors(stay, actor, kind, description, duration, aid_type, found, purpose)
    if errors:
        raise InvalidInput(errors)
    not_in_future(at, "at")
    with transaction.atomic():
        stay = lock(stay)
        need = Need.objects.create(
            stay=stay,
            kind=kind,
            description=description.strip(),
            own_part=own_part.strip(),
            aid_type=found if kind == NeedKind.AID else None,
            duration=duration if kind == NeedKind.AID else Duration.UNKNOWN,
            purpose=purpose if kind == NeedKind.AID else "",
            needed_for_journey_home=needed_for_journey_home and kind == NeedKind.AID,
            recorded_by=actor,
            recorded_at=at,
        )
        record_change(
            need, actor=actor, action=ChangeAction.CREATED, after=snapshot(need, NEED_FIELDS)
        )
        note = _("Described in Overgang.")
        _close_open(stay, ("functional-needs-description",), actor=actor, note=note, at=at)
        if need.kind == NeedKind.AID and found is not None:
            if need.duration != Duration.UNKNOWN or need.purpose:
                _close_open(stay, ("aid-needs-notice",), actor=actor, note=note, at=at)
            decision = _aid_decision(stay, need, found)
            save_changed(need, NEED_FIELDS, {"decision": _kept(decision)}, actor=actor)
            _open_tasks(stay, need, decision, actor=actor)
            aid_need_recorded.send(sender=Need, need=need, actor=actor)
            on_loan = _patient_loan(stay, found)
            if on_loan is not None:
                _link(need, on_loan, actor=actor)
        # R11: an outpatient's new need is news for the municipality.
        needs_changed(stay, actor=actor, at=at, what=need.description)
    return need


def _kept(decision: dict[str, Any]) -> dict[str, Any]:
    """What the need page shows of the agreement's answer."""
    return {
        "duties": {k: v for k, v in (decision.get("duties") or {}).items() if v},
        "notes": decision.get("notes", []),
        "electrical_check_required": decision.get("electrical_check_required", False),
        "lendable": decision.get("lendable", True),
        "reasons": decision.get("reasons", []),
    }


def _patient_loan(stay: Stay, kind: AidType) -> Loan | None:
    types = [kind.slug, *kind.parts]
    return (
        Loan.objects.active()
        .filter(patient=stay.patient_id, device__aid_type__slug__in=types)
        .order_by("started_at")
        .first()
    )


def _link(need: Need, loan: Loan, *, actor: User) -> Need:
    save_changed(need, NEED_FIELDS, {"loan": loan, "status": NeedStatus.MET}, actor=actor)
    # The aid is lent: it was assessed and applied for too, whoever held those tasks; they
    # would otherwise wait on someone's worklist (and, in Oslo, block discharge-ready, O9).
    _close_open(
        need.stay,
        ("aid-assessment", "aid-application", "aid-delivery"),
        actor=actor,
        note=_("Lent: %(serial)s") % {"serial": loan.device.serial},
        need=need,
    )
    if loan.instruction_given:
        _close_open(
            need.stay,
            ("aid-instruction",),
            actor=actor,
            note=_("Instructed at lending."),
            need=need,
        )
    still_open = Need.objects.filter(stay=need.stay, kind=NeedKind.AID, status=NeedStatus.OPEN)
    if not still_open.exists():
        # N5: the hospital has handed out the aids once every aid needed is lent.
        _close_open(
            need.stay,
            ("aids-handed-out",),
            actor=actor,
            note=_("Every aid needed is lent."),
            at=loan.started_at,
            party="hospital",
        )
    return need


def link_loan(need: Need, loan: Loan, *, actor: User) -> Need:
    """The aid is lent: the loan fulfils the need and its delivery."""
    with transaction.atomic():
        lock(need.stay)
        need = (
            Need.objects.select_for_update(of=("self",))
            .select_related("stay", "aid_type")
            .get(pk=need.pk)
        )
        if need.status != NeedStatus.OPEN:
            raise Conflict(
                _("This need cannot change any more (%(status)s).")
                % {"status": need.get_status_display()}
            )
        kind = need.aid_type
        if (
            loan.patient_id != need.stay.patient_id
            or loan.returned_at is not None
            or kind is None
            or loan.device.aid_type.slug not in (kind.slug, *kind.parts)
        ):
            raise InvalidInput(
                {"loan": _("That loan is not this patient's %(aid)s.") % {"aid": kind}}
            )
        return _link(need, loan, actor=actor)


def applied_for(
    need: Need, *, actor: User, party: str, note: str, at: datetime.datetime | None = None
) -> list[Deadline]:
    """The party's application for the need is made (sent to NAV, H2, H5): its open task
    to apply is done, each with its history row. Call inside the caller's transaction."""
    found = list(
        Deadline.objects.select_for_update().filter(
            need=need, duty=TASK_DUTIES["application"], party=party, done_at__isnull=True
        )
    )
    return [close(deadline, actor=actor, note=note, at=at) for deadline in found]


def cancel_need(need: Need, *, actor: User, reason: str) -> Need:
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the need is gone.")})
    with transaction.atomic():
        stay = lock(need.stay)
        need = Need.objects.select_for_update().get(pk=need.pk)
        if need.status == NeedStatus.CANCELLED:
            raise Conflict(_("This need is cancelled already."))
        for deadline in Deadline.objects.select_for_update().filter(
            need=need, done_at__isnull=True
        ):
            close(deadline, actor=actor, outcome=Outcome.WITHDRAWN, note=reason.strip())
        cancelled = save_changed(
            need, NEED_FIELDS, {"status": NeedStatus.CANCELLED}, actor=actor, reason=reason.strip()
        )
        needs_changed(
            stay,
            actor=actor,
            at=clock.now(),
            what=_("No longer needed: %(need)s (%(reason)s)")
            % {"need": need.description, "reason": reason.strip()},
        )
        return cancelled


def _trainer_organisation(actor: User, stay: Stay) -> Organisation:
    for membership in memberships_for(actor, CHANGE):
        return membership.organisation
    return stay.department or stay.hospital


def record_training(
    stay: Stay,
    *,
    actor: User,
    aid_type: str,
    trainee: str,
    names: str,
    at: datetime.datetime | None = None,
    interpreter: bool = False,
    written_procedures: str = "",
    repeat: bool = False,
    note: str = "",
    no_interpreter_reason: str = "",
    items: Iterable[Mapping[str, Any]] = (),
    teach_back: str = "",
    repeat_on: datetime.date | None = None,
) -> Training:
    """Someone was trained on an aid (O10, N7). Training the patient or relatives fulfils the
    instruction; training municipal staff fulfils the staff training; unless it must be
    repeated."""
    at = at or clock.now()
    errors: dict[str, str] = {}
    kind = AidType.objects.filter(slug=aid_type).first()
    if kind is None:
        errors["aid_type"] = (
            _("Choose the aid.")
            if not aid_type
            else _("Unknown aid type: %(slug)s.") % {"slug": aid_type}
        )
    if trainee not in TraineeKind.values:
        errors["trainee"] = _("Say who was trained: the patient, relatives or municipal staff.")
    if not names.strip():
        errors["names"] = _("Name who was trained.")
    try:
        shown = training_checks.clean_items(items)
    except InvalidInput as error:
        errors.update(error.errors)
    errors |= training_checks.training_problems(
        stay,
        trainee=trainee,
        interpreter=interpreter,
        no_interpreter_reason=no_interpreter_reason,
        repeat=repeat,
        repeat_on=repeat_on,
        at=at,
    )
    if errors or kind is None:
        raise InvalidInput(errors)
    not_in_future(at, "at")
    with transaction.atomic():
        stay = lock(stay)
        if at < stay.admitted_at:
            raise InvalidInput({"at": _("The time is before the admission.")})
        done = Training.objects.create(
            stay=stay,
            aid_type=kind,
            trainee=trainee,
            names=names.strip(),
            trainer=actor,
            trainer_organisation=_trainer_organisation(actor, stay),
            at=at,
            interpreter=interpreter,
            written_procedures=written_procedures.strip(),
            repeat=repeat,
            note=note.strip(),
            no_interpreter_reason="" if interpreter else no_interpreter_reason.strip(),
            items=shown,
            teach_back=teach_back.strip(),
            repeat_on=training_checks.repeat_day(stay, at, repeat, repeat_on),
        )
        record_change(
            done,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(done, TRAINING_FIELDS),
        )
        training_checks.after_training(done, actor=actor)
        if not repeat:
            duty = "aid-staff-training" if trainee == TraineeKind.STAFF else "aid-instruction"
            _close_open(
                stay,
                (duty,),
                actor=actor,
                note=_("Trained: %(names)s") % {"names": done.names},
                at=at,
                need__aid_type=kind,
            )
    return done
