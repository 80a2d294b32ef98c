"""What still stands between a stay and its next step: the discharge-ready checklist
(R3 § 9 a–e and the aids, O9) and the departure-ready checklist (R6).

Each open item is a `Blocker` with a key a machine can test and a text in the reader's
language that says what to do, with its citation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from overgang.aids import sets
from overgang.aids.actions import installation_cleared
from overgang.aids.models import Loan
from overgang.i18n import current_language
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


def physician_items(stay: Stay) -> list[tuple[str, str, bool]]:
    """(item, text with citation, documented) for each § 9 item of the stay's country."""
    language = current_language()
    return [
        (i.item, f"{i.text[language]} ({', '.join(i.cites)})", i.item in stay.documented)
        for i in transitions(stay.country).discharge_ready
    ]


def aid_blockers(stay: Stay) -> list[Blocker]:
    """Every aid lent to the patient is complete: both units, every part, the manuals."""
    found = []
    mains = (
        Loan.objects.active()
        .filter(patient=stay.patient_id, main__isnull=True)
        .select_related("device__aid_type", "therapy", "patient")
        .order_by("started_at", "id")
    )
    for main in mains:
        for missing in sets.outstanding(main):
            if missing.blocking:
                found.append(
                    Blocker(
                        f"aid:{main.device.serial}:{missing.kind}",
                        f"{main.device.aid_type.name} {main.device.serial}: {missing.text}",
                    )
                )
    return found


NEED_TASKS = (
    "aid-assessment",
    "aid-application",
    "aid-delivery",
    "aid-instruction",
    "aid-staff-training",
)


def need_blockers(stay: Stay) -> list[Blocker]:
    """O9: every aid needed is in place, its training done and the installation checked
    where the aid needs it, before the patient is declared discharge-ready."""
    found: list[Blocker] = []
    needs = list(
        Need.objects.filter(stay=stay, kind=NeedKind.AID)
        .exclude(status=NeedStatus.CANCELLED)
        .select_related("aid_type", "loan")
    )
    open_tasks = list(
        Deadline.objects.filter(
            stay=stay, need__in=needs, done_at__isnull=True, duty__in=NEED_TASKS
        )
        .select_related("holder", "need__aid_type")
        .order_by(*BY_DUE)
    )
    for task in open_tasks:
        found.append(
            Blocker(
                f"task:{task.pk}",
                _("Not done: %(task)s (%(holder)s)")
                % {"task": task.name, "holder": task.holder.name},
            )
        )
    trained = {
        (t.aid_type_id, t.trainee != TraineeKind.STAFF)
        for t in Training.objects.filter(stay=stay, repeat=False)
    }
    tasked = {(t.need_id, t.duty) for t in open_tasks}
    cleared: bool | None = None
    for need in needs:
        kind = need.aid_type
        if kind is None:
            continue
        if need.status == NeedStatus.OPEN and not any(t.need_id == need.pk for t in open_tasks):
            found.append(
                Blocker(f"need:{need.pk}", _("Not in place: %(aid)s") % {"aid": kind.name})
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
                    _("Patient or relatives not trained on %(aid)s (O10)") % {"aid": kind.name},
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
                    _("Municipal staff not trained on %(aid)s (N7)") % {"aid": kind.name},
                )
            )
        if need.decision.get("electrical_check_required"):
            if cleared is None:
                cleared = installation_cleared(stay.patient, stay.patient.address)
            if not cleared:
                found.append(
                    Blocker(
                        f"electrical:{need.pk}",
                        _("The electrical installation is not checked for %(aid)s (O4)")
                        % {"aid": kind.name},
                    )
                )
    return found


def discharge_blockers(stay: Stay) -> list[Blocker]:
    found = [
        Blocker(f"section-9:{item}", _("Not documented: %(item)s") % {"item": text})
        for item, text, done in physician_items(stay)
        if not done
    ]
    return found + need_blockers(stay) + aid_blockers(stay)


def sent(stay: Stay) -> set[str]:
    return {m.code for m in Message.objects.filter(stay=stay).only("type", "variant")}


def departure_items(stay: Stay) -> list[tuple[str, str, bool, str | None]]:
    """(item, text with citation, done, message that does it) for each R6 item."""
    language = current_language()
    codes = sent(stay)
    return [
        (
            i.item,
            f"{i.text[language]} ({', '.join(i.cites)})",
            (i.message in codes) if i.message else i.item in stay.prepared,
            i.message,
        )
        for i in transitions(stay.country).departure_ready
    ]


def departure_blockers(stay: Stay) -> list[Blocker]:
    found = []
    if stay.country == "NO":
        if stay.answered_at is None:
            found.append(
                Blocker("answer", _("The municipality has not answered (004 Vedlegg 3.1.2 a)."))
            )
        elif not stay.can_receive:
            found.append(Blocker("answer", _("The municipality cannot receive the patient yet.")))
    found += [
        Blocker(f"departure:{item}", _("Not done: %(item)s") % {"item": text})
        for item, text, done, _message in departure_items(stay)
        if not done
    ]
    return found
