"""What still stands between a stay and its next step: the discharge-ready checklist
(R3: the law's § 9 and what the agreement adds, such as the aids in place, O9) and the
departure-ready checklist (R6), each the stay's own agreement's with its country's law.

Each open item is a `Blocker` with a key a machine can test and a text in the reader's
language that says what to do, with its citation. What the agreement does not make a
condition (another party's open tasks, where the routine is silent) is a warning: shown,
never in the way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _

from overgang.aids import sets
from overgang.aids.actions import installation_cleared
from overgang.aids.models import Loan
from overgang.i18n import current_language
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient
from overgang.rules.law import relatives_cites as law_relatives_cites
from overgang.rules.law import render_all
from overgang.rules.transitions import transitions
from overgang.stays.models import (
    BY_DUE,
    Deadline,
    Message,
    Need,
    NeedKind,
    NeedStatus,
    Stay,
    TraineeKind,
    Training,
)


@dataclass(frozen=True)
class Blocker:
    key: str
    text: str

    def __str__(self) -> str:
        return self.text


def cited(stay: Stay, text: str, cites: tuple[str, ...]) -> str:
    """`text (citations)`, law named by its source; the text alone where nothing is cited."""
    if not cites:
        return text
    return f"{text} ({render_all(cites, stay.country, current_language())})"


def physician_items(stay: Stay) -> list[tuple[str, str, bool]]:
    """(item, text with citation, documented) for each item the stay's agreement and its
    country's law make a condition of discharge-ready, for the stay's care type."""
    language = current_language()
    return [
        (i.item, cited(stay, i.text[language], i.cites), i.item in stay.documented)
        for i in stay.checklists.discharge_ready(stay.care)
    ]


def patient_loans(stay: Stay) -> list[Loan]:
    """The patient's active loans by id, with their device, its type and the therapy. A stay
    read with them (`read_loans`, the API's on PostgreSQL) is not asked again."""
    read: list[Loan] | None = getattr(stay, "read_loans", None)
    if read is not None:
        return read
    return list(
        Loan.objects.active()
        .filter(patient=stay.patient_id)
        .select_related("device__aid_type", "therapy")
        .order_by("id")
    )


def aid_blockers(stay: Stay) -> list[Blocker]:
    """Every aid lent to the patient is complete: both units, every part, the manuals."""
    # One query for every active loan of the patient, instead of one for each set and two
    # for the patient's address each: a set is lent to one patient (its companions are lent
    # to its main loan's patient), so the patient's loans hold every set whole, and the
    # units lent on their own that `outstanding` counts too.
    loans = patient_loans(stay)
    patient = stay.patient
    if loans and not Patient.municipality.is_cached(patient):
        _read_address(patient)
    for loan in loans:
        loan.patient = patient  # one patient: the agreement is asked by its address
    mains = sorted(
        (loan for loan in loans if loan.main_id is None),
        key=lambda loan: (loan.started_at, loan.pk),
    )
    found = []
    for main in mains:
        in_set = [main, *(loan for loan in loans if loan.main_id == main.pk)]
        for missing in sets.outstanding(main, in_set, patient_loans=loans):
            if missing.blocking:
                found.append(
                    Blocker(
                        f"aid:{main.device.serial}:{missing.kind}",
                        f"{main.device.aid_type.name} {main.device.serial}: {missing.text}",
                    )
                )
    return found


def _read_address(patient: Patient) -> None:
    """The patient's municipality and district in one query, as the agreements ask by them
    (unless the patient was read with them).
    (Joined to the loans instead, the planner took longer over the seven tables than the
    query ran.)"""
    found = Organisation.objects.in_bulk([patient.municipality_id, patient.district_id])
    patient.municipality = found[patient.municipality_id]
    if patient.district_id is not None:
        patient.district = found[patient.district_id]


NEED_TASKS = (
    "aid-assessment",
    "aid-application",
    "aid-delivery",
    "aid-instruction",
    "aid-staff-training",
)


def need_blockers(stay: Stay) -> list[Blocker]:
    """O9: where the stay's agreement makes it a condition (Oslo's 000 8.0), every aid needed
    is in place, its training done and the installation checked where the aid needs it,
    before the patient is declared discharge-ready. Elsewhere these are warnings."""
    cites = stay.checklists.routine.aids_in_place
    return _need_findings(stay, cites) if cites else []


def need_warnings(stay: Stay) -> list[Blocker]:
    """The open aid needs and tasks where the stay's agreement does not make them a
    condition of discharge-ready: shown to the physician, not in the way."""
    return [] if stay.checklists.routine.aids_in_place else _need_findings(stay, ())


def aid_needs(stay: Stay) -> list[Need]:
    """The stay's aid needs not cancelled. A stay read with `has_aid_needs` (an annotation
    of its query: are there any?) that has none is not asked again."""
    if getattr(stay, "has_aid_needs", True) is False:
        return []
    return list(
        Need.objects.filter(stay=stay, kind=NeedKind.AID)
        .exclude(status=NeedStatus.CANCELLED)
        .select_related("aid_type", "loan")
    )


def _need_findings(stay: Stay, cites: tuple[str, ...]) -> list[Blocker]:
    found: list[Blocker] = []
    needs = aid_needs(stay)
    open_tasks = _open_tasks(stay, needs)
    for task in open_tasks:
        found.append(
            Blocker(
                f"task:{task.pk}",
                cited(
                    stay,
                    _("Not done: %(task)s (%(holder)s)")
                    % {"task": task.name, "holder": task.holder.name},
                    cites,
                ),
            )
        )
    trained = _trained(stay, needs)
    tasked = {(t.need_id, t.duty) for t in open_tasks}
    cleared: bool | None = None
    for need in needs:
        kind = need.aid_type
        if kind is None:
            continue
        if need.status == NeedStatus.OPEN and not any(t.need_id == need.pk for t in open_tasks):
            found.append(
                Blocker(
                    f"need:{need.pk}",
                    cited(stay, _("Not in place: %(aid)s") % {"aid": kind.name}, cites),
                )
            )
        instructed = need.loan is not None and need.loan.instruction_given
        if (
            kind.category == "treatment-aid"
            and not instructed
            and (kind.pk, True) not in trained
            and (need.pk, "aid-instruction") not in tasked
        ):
            found.append(
                Blocker(
                    f"training:{need.pk}",
                    cited(
                        stay,
                        _("Patient or relatives not trained on %(aid)s") % {"aid": kind.name},
                        cites,
                    ),
                )
            )
        if (
            kind.staff_training
            and (kind.pk, False) not in trained
            and (need.pk, "aid-staff-training") not in tasked
        ):
            found.append(
                Blocker(
                    f"staff:{need.pk}",
                    cited(
                        stay,
                        _("Municipal staff not trained on %(aid)s") % {"aid": kind.name},
                        cites,
                    ),
                )
            )
        if need.decision.get("electrical_check_required"):
            if cleared is None:
                cleared = installation_cleared(stay.patient, stay.patient.address)
            if not cleared:
                found.append(
                    Blocker(
                        f"electrical:{need.pk}",
                        cited(
                            stay,
                            _("The electrical installation is not checked for %(aid)s")
                            % {"aid": kind.name},
                            cites,
                        ),
                    )
                )
    return found


def _open_tasks(stay: Stay, needs: list[Need]) -> list[Deadline]:
    """The needs' open tasks, by when they are due; none to look for where nothing is
    needed (not even the query built: building it costs more than asking)."""
    if not needs:
        return []
    return list(
        Deadline.objects.filter(
            stay=stay, need__in=needs, done_at__isnull=True, duty__in=NEED_TASKS
        )
        .select_related("holder", "need__aid_type")
        .order_by(*BY_DUE)
    )


def _trained(stay: Stay, needs: list[Need]) -> set[tuple[int, bool]]:
    """(aid type, given to the patient or relatives) of each training on the stay; not
    read where no aid is needed, as nothing then asks."""
    if not needs:
        return set()
    return {
        (aid_type, trainee != TraineeKind.STAFF)
        for aid_type, trainee in Training.objects.filter(stay=stay, repeat=False).values_list(
            "aid_type_id", "trainee"
        )
    }


def discharge_blockers(stay: Stay) -> list[Blocker]:
    if stay.is_outpatient:
        # An outpatient episode has no discharge-ready, so nothing stands before it (R11).
        return []
    found = [
        Blocker(f"section-9:{item}", _("Not documented: %(item)s") % {"item": text})
        for item, text, done in physician_items(stay)
        if not done
    ]
    return found + need_blockers(stay) + aid_blockers(stay)


def discharge_warnings(stay: Stay) -> list[Blocker]:
    if stay.is_outpatient:
        return []
    return need_warnings(stay) + relatives_warnings(stay)


def relatives_cites(stay: Stay) -> tuple[str, ...]:
    """Where the stay's routine (HNT's 004 2.1, 2.2) and its country's law (Norway's
    helsepersonelloven § 10 a, minor children) have the relatives assessed; () where both
    are silent (Denmark)."""
    return stay.checklists.routine.relatives + law_relatives_cites(stay.country)


def relatives_warnings(stay: Stay) -> list[Blocker]:
    """R10: are there relatives who need support, minor children among them? Asked before
    the patient is declared discharge-ready where the routine or the law has it assessed.
    A prompt, not a condition: § 9 does not name it, and the routine asks that it be
    clarified and documented, not that discharge wait for it."""
    cites = relatives_cites(stay)
    if stay.relatives_assessed_at is not None or not cites:
        return []
    return [
        Blocker(
            "relatives",
            cited(
                stay,
                _("Relatives not assessed: do they need support? Are minor children relatives?"),
                cites,
            ),
        )
    ]


def sent(stay: Stay) -> set[str]:
    return {m.code for m in Message.objects.filter(stay=stay).only("type", "variant")}


def departure_items(
    stay: Stay, sent_codes: set[str] | None = None
) -> list[tuple[str, str, bool, str | None]]:
    """(item, text with citation, done, message that does it) for each item the stay's
    agreement makes a condition of leaving (R6). `sent_codes`: the codes of the stay's
    messages, where the caller has read them already."""
    language = current_language()
    codes = sent(stay) if sent_codes is None else sent_codes
    return [
        (
            i.item,
            cited(stay, i.text[language], i.cites),
            (i.message in codes) if i.message else i.item in stay.prepared,
            i.message,
        )
        for i in stay.checklists.departure_ready(stay.care)
    ]


def answers_by_message(stay: Stay) -> bool:
    """Does the municipality answer a notice of a discharge-ready patient by a message?"""
    return "TILBAKEMELDING_UTSKRIVNINGSKLAR" in transitions(stay.country).messages


def departure_blockers(stay: Stay, sent_codes: set[str] | None = None) -> list[Blocker]:
    if stay.is_outpatient:
        return []  # no departure checklist for an outpatient episode (R11)
    found: list[Blocker] = []
    answer_first = stay.checklists.routine.answer_first
    if answer_first and stay.answered_at is None:
        found.append(
            Blocker("answer", cited(stay, _("The municipality has not answered."), answer_first))
        )
    found += [
        Blocker(f"departure:{item}", _("Not done: %(item)s") % {"item": text})
        for item, text, done, _message in departure_items(stay, sent_codes)
        if not done
    ]
    return found


def departure_warnings(stay: Stay) -> list[Blocker]:
    """What the hospital should know before the patient leaves but the agreement does not
    make a condition: no answer yet where the routine does not wait for one."""
    if (
        answers_by_message(stay)
        and not stay.checklists.routine.answer_first
        and stay.answered_at is None
        and stay.notified_at is not None
    ):
        return [Blocker("answer", _("The municipality has not answered yet."))]
    return []


def too_early(stay: Stay, at: datetime.datetime) -> str:
    """Why leaving at `at` is before the municipality can receive the patient, or "". The
    hospital may go ahead only with a reason, which the municipality is shown."""
    if stay.can_receive is False:
        return _("The municipality has answered that it cannot receive the patient yet.")
    if stay.receive_at is not None and at < stay.receive_at:
        return _("The municipality can receive the patient from %(time)s.") % {
            "time": formats.date_format(
                stay.receive_at.astimezone(ZoneInfo(stay.time_zone)), "SHORT_DATETIME_FORMAT"
            )
        }
    return ""
