"""The network group's writers (N10, N11, N13): chairs, meetings and decisions, delimitation
questions, a dispute's escalation to the group, and a member's mark on the stock alerts.
Each takes its `actor`, checks that the actor may, and writes its history row in the same
transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.network import members as group
from overgang.network import states
from overgang.network.models import (
    AlertsRead,
    Chair,
    Decision,
    Meeting,
    Question,
    Source,
    Status,
)
from overgang.organisations.network import network_agreements, sits_in
from overgang.requisitions.actions import disputes as dispute_actions
from overgang.requisitions.models import Dispute, Level
from overgang.rules.disputes import NoDisputeRoute, route_for
from overgang.stays.models import News
from overgang.stays.news import tell
from overgang.stays.notify import LANGUAGE_OF

MEETING_FIELDS = ("agreement", "starts_at", "place", "agenda", "minutes")
DECISION_FIELDS = ("meeting_id", "text", "agreement_ref", "version_label")
QUESTION_FIELDS = (
    "agreement",
    "subject",
    "text",
    "case",
    "source",
    "dispute_id",
    "status",
    "answer",
    "answered_by_id",
    "answered_at",
    "meeting_id",
)
# What a question's case may hold: the fields of the rules page's case (no patient).
CASE_KEYS = (
    "municipality",
    "district",
    "aid_type",
    "purpose",
    "started_by",
    "phase",
    "requester",
    "lender",
    "duty",
    "question",
    "hospital",
)


def _member(actor: User, agreement_id: str) -> None:
    """The actor sits in the agreement's group, or the thing is not theirs to see (404)."""
    if not sits_in(actor, agreement_id):
        raise Http404


# Chairs -------------------------------------------------------------------------------


def set_chair(agreement_id: str, member: User, *, actor: User, chair: bool) -> None:
    """Mark (or unmark) a member of the group as one of its chairs."""
    _member(actor, agreement_id)
    agreement = network_agreements(actor)[agreement_id]
    if member.pk not in group.members(agreement):
        raise InvalidInput({"member": _("Choose a member of this network group.")})
    with transaction.atomic():
        found = Chair.objects.select_for_update().filter(agreement=agreement_id, user=member)
        row = found.first()
        if chair and row is None:
            row = Chair.objects.create(agreement=agreement_id, user=member, since=clock.now())
            record_change(row, actor=actor, action=ChangeAction.CREATED, after={"user": member.pk})
        elif not chair and row is not None:
            record_change(row, actor=actor, action=ChangeAction.DELETED, before={"user": member.pk})
            row.delete()


# Meetings -----------------------------------------------------------------------------


def _meeting_errors(
    agreement_id: str, starts_at: datetime.datetime | None, place: str, agenda: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if starts_at is None:
        errors["starts_at"] = _("Give the meeting's date and time.")
    if not place.strip():
        errors["place"] = _("Say where the group meets.")
    if not agenda.strip():
        errors["agenda"] = _("Write at least one agenda item.")
    return errors


def save_meeting(
    meeting: Meeting | None,
    *,
    actor: User,
    agreement: str,
    starts_at: datetime.datetime | None,
    place: str,
    agenda: str,
    minutes: str = "",
) -> Meeting:
    """Plan a meeting (meeting None) or change one: its time, place, agenda and minutes."""
    if meeting is not None:
        agreement = meeting.agreement  # a meeting stays with its group
    if agreement not in network_agreements(actor):
        raise InvalidInput({"agreement": _("Choose an agreement whose network group you sit in.")})
    errors = _meeting_errors(agreement, starts_at, place, agenda)
    if errors or starts_at is None:
        raise InvalidInput(errors)
    values = {
        "starts_at": starts_at,
        "place": place.strip(),
        "agenda": agenda.strip(),
        "minutes": minutes.strip(),
    }
    with transaction.atomic():
        if meeting is None:
            meeting = Meeting.objects.create(agreement=agreement, created_by=actor, **values)
            record_change(
                meeting,
                actor=actor,
                action=ChangeAction.CREATED,
                after=snapshot(meeting, MEETING_FIELDS),
            )
            return meeting
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        return save_changed(locked, MEETING_FIELDS, values, actor=actor)


def add_decision(
    meeting: Meeting, *, actor: User, text: str, agreement_ref: str = "", version_label: str = ""
) -> Decision:
    """Write down a decision of the meeting; optionally the agreement version it made."""
    _member(actor, meeting.agreement)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Write down the decision.")
    ref, label = agreement_ref.strip(), version_label.strip()
    if bool(ref) != bool(label):
        field = "version_label" if ref else "agreement_ref"
        errors[field] = _("Give both the agreement's id and the version, or neither.")
    if ref and ref != meeting.agreement:
        # A member of two groups must not write one group's version into the other's minutes.
        errors["agreement_ref"] = _("A decision can name only the agreement of its meeting.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        decision = Decision.objects.create(
            meeting=meeting,
            text=text.strip(),
            agreement_ref=ref,
            version_label=label,
            created_by=actor,
            created_at=clock.now(),
        )
        record_change(
            decision,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(decision, DECISION_FIELDS),
        )
    return decision


# Questions ----------------------------------------------------------------------------


def clean_case(raw: dict[str, Any]) -> dict[str, str]:
    """The case's own fields only (never a patient's), as short strings."""
    return {key: str(raw[key])[:100] for key in CASE_KEYS if raw.get(key) not in (None, "")}


def ask(
    *,
    actor: User,
    agreement: str,
    subject: str,
    text: str,
    case: dict[str, Any] | None = None,
    source: str = Source.DIRECT,
) -> Question:
    """Put a question the agreement does not decide to its network group. Anyone who works
    under the agreement may ask."""
    under, organisation = group.works_under(actor, agreement)
    errors: dict[str, str] = {}
    if not under:
        errors["agreement"] = _("Choose an agreement you work under.")
    if not subject.strip():
        errors["subject"] = _("Say in a line what the question is about.")
    if not text.strip():
        errors["text"] = _("Write the question.")
    if source not in Source.values or source == Source.DISPUTE:
        errors["source"] = _("Unknown source of the question.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        question = Question.objects.create(
            agreement=agreement,
            subject=subject.strip()[:200],
            text=text.strip(),
            case=clean_case(case or {}),
            source=source,
            asked_by=actor,
            asked_for=organisation,
            asked_at=clock.now(),
        )
        record_change(
            question,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(question, QUESTION_FIELDS),
        )
    return question


def _dispute_subject(dispute: Dispute) -> str:
    """The dispute's subject, not its patient: what it is about, which aid, between whom."""
    return _("Dispute %(number)s: %(question)s for %(aid)s") % {
        "number": dispute.pk,
        "question": dispute.get_question_display(),
        "aid": dispute.aid_type.name,
    }


def _from_dispute(dispute: Dispute, *, actor: User, text: str) -> Question:
    """The dispute's question for the group (inside the caller's transaction)."""
    if Question.objects.filter(dispute=dispute, status=Status.OPEN).exists():
        raise Conflict(_("This dispute is with the network group already."))
    # In the agreement's own language: the group reads it, whoever escalated.
    with translation.override(LANGUAGE_OF.get(dispute.municipality.country, "en")):
        subject = _dispute_subject(dispute)[:200]
    question = Question.objects.create(
        agreement=dispute.agreement,
        subject=subject,
        text=text,
        case=clean_case(
            {
                "aid_type": dispute.aid_type.slug,
                "question": dispute.question,
                "hospital": dispute.hospital.name,
                "municipality": dispute.municipality.name,
            }
        ),
        source=Source.DISPUTE,
        dispute=dispute,
        asked_by=actor,
        asked_for=group.works_under(actor, dispute.agreement)[1],
        asked_at=clock.now(),
    )
    record_change(
        question,
        actor=actor,
        action=ChangeAction.CREATED,
        after=snapshot(question, QUESTION_FIELDS),
    )
    return question


def _last_level(dispute: Dispute) -> str:
    try:
        return route_for(dispute.agreement).levels[-1]
    except NoDisputeRoute:
        return dispute.level


def escalate_dispute(dispute: Dispute, *, actor: User, note: str) -> Dispute:
    """Escalate the dispute one level (the dispute's own writer); when that brings it to the
    agreement's last level and that level is the network group, the group gets the question
    in the same transaction."""
    with transaction.atomic():
        dispute = dispute_actions.escalate(dispute, actor=actor, note=note)
        if dispute.level == _last_level(dispute) and dispute.level == Level.NETWORK_GROUP:
            with translation.override(LANGUAGE_OF.get(dispute.municipality.country, "en")):
                text = _(
                    "The dispute between %(hospital)s and %(municipality)s was not settled at "
                    "the levels below and comes to the network group."
                ) % {"hospital": dispute.hospital.name, "municipality": dispute.municipality.name}
            _from_dispute(dispute, actor=actor, text=text)
    return dispute


def refer_dispute(dispute: Dispute, *, actor: User, text: str) -> Question:
    """ "Escalate to the network group" from the dispute page, at the agreement's last level:
    the question in the asker's words (who must not name the patient)."""
    if not text.strip():
        raise InvalidInput({"text": _("Write the question for the network group.")})
    if dispute.status == "settled":
        raise Conflict(_("This dispute is settled."))
    if dispute.level != _last_level(dispute):
        raise Conflict(
            _("Escalate the dispute level by level first: it is at %(level)s.")
            % {"level": Level(dispute.level).label}
        )
    with transaction.atomic():
        return _from_dispute(dispute, actor=actor, text=text.strip())


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


def answer(
    question: Question, *, actor: User, text: str, meeting: Meeting | None = None
) -> Question:
    """The group's answer; the asker's organisation is told."""
    _member(actor, question.agreement)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["answer"] = _("Write the answer.")
    if meeting is not None and meeting.agreement != question.agreement:
        errors["meeting"] = _("Choose a meeting of this agreement's network group.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        question = _locked(question)
        try:
            status = states.after(question.status, states.ANSWER)
        except states.NotAllowed:
            raise Conflict(_("This question is answered already.")) from None
        question = save_changed(
            question,
            QUESTION_FIELDS,
            {
                "status": status,
                "answer": text.strip(),
                "answered_by": actor,
                "answered_at": clock.now(),
                "meeting": meeting,
            },
            actor=actor,
        )
        # The asker's organisation; for a dispute's question both parties too.
        told: list[Any] = [question.asked_for]
        if question.dispute is not None:
            told += [question.dispute.hospital, question.dispute.municipality]
        for organisation in dict.fromkeys(o for o in told if o is not None):
            tell(
                News.NETWORK_ANSWERED,
                to=organisation,
                link=f"/network/questions/{question.pk}/",
            )
    return question


def reopen(question: Question, *, actor: User, reason: str) -> Question:
    """The answer does not settle it: the question is open again (the asker or a member)."""
    if actor.pk != question.asked_by_id and not sits_in(actor, question.agreement):
        raise Http404
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the answer does not settle it.")})
    with transaction.atomic():
        question = _locked(question)
        try:
            status = states.after(question.status, states.REOPEN)
        except states.NotAllowed:
            raise Conflict(_("This question is open already.")) from None
        return save_changed(
            question, QUESTION_FIELDS, {"status": status}, actor=actor, reason=reason.strip()
        )


# Stock alerts (N11) -----------------------------------------------------------------------


def mark_alerts_read(
    agreement_id: str, *, actor: User, until: datetime.datetime | None
) -> AlertsRead:
    """The member has read the agreement's stock alerts up to `until`: the time the page
    they read was shown, so an alert that came in since stays new. A mark moves forward
    only, and never past now."""
    _member(actor, agreement_id)
    if until is None:
        raise InvalidInput({"until": _("The page's time is missing; open the alerts again.")})
    until = min(until, clock.now())
    with transaction.atomic():
        row = AlertsRead.objects.select_for_update().filter(user=actor, agreement=agreement_id)
        mark = row.first()
        if mark is None:
            mark = AlertsRead.objects.create(user=actor, agreement=agreement_id, read_until=until)
            record_change(
                mark,
                actor=actor,
                action=ChangeAction.CREATED,
                after=snapshot(mark, ["agreement", "read_until"]),
            )
        elif until > mark.read_until:
            mark = save_changed(mark, ["read_until"], {"read_until": until}, actor=actor)
    return mark
