"""What still stands between a stay and its next step: the discharge-ready checklist
(R3 § 9 a–e and the aids, O9) and the departure-ready checklist (R6).

Each open item is a `Blocker` with a key a machine can test and a text in the reader's
language that says what to do, with its citation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from overgang.aids import sets
from overgang.aids.models import Loan
from overgang.i18n import current_language
from overgang.rules.transitions import transitions
from overgang.stays.models import Message, Stay


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


def discharge_blockers(stay: Stay) -> list[Blocker]:
    found = [
        Blocker(f"section-9:{item}", _("Not documented: %(item)s") % {"item": text})
        for item, text, done in physician_items(stay)
        if not done
    ]
    return found + aid_blockers(stay)


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
