"""The one writer of in-app agreement versions (N10): every change is checked, written
with its history row in one transaction, and refused with the field named when wrong.

Four eyes: one member of the agreement's network group proposes, another approves. An
approved version takes effect on its effective date, after today in the agreement's time
zone, so that stays admitted before it keep the version they were admitted under."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from typing import Any

import tomlkit
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from tomlkit.items import AoT, InlineTable, Table

from overgang import clock
from overgang.audit.history import record_change, save_changed, writer_atomic
from overgang.audit.models import ChangeAction
from overgang.organisations import access_cache
from overgang.organisations.catalogue import versions
from overgang.organisations.network import sits_in
from overgang.revisions.models import OPEN, AgreementVersion, Status
from overgang.revisions.published import load_approved
from overgang.rules.check import candidate_problems, cite_problem
from overgang.rules.registry import (
    Agreement,
    agreement_by_id,
    all_agreements,
    load_text,
    version_text,
)
from overgang.rules.spec import DUTIES, LANGUAGES, PARTIES, SpecError, due_problem

WATCHED = ("status", "version", "valid_from", "proposed_by", "approved_by")


class RevisionRefused(ValueError):
    """A change that cannot be made; `field` names what is wrong, `message` says it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def _current(agreement: str) -> Agreement:
    return agreement_by_id(agreement, on=clock.today())


def newest_version(agreement: str) -> Agreement:
    """The version of the agreement that takes effect last (files and approved in the app)."""
    found = versions(agreement)  # ordered by the date each takes effect
    if not found:
        raise Http404
    return found[-1]


def _member(actor: User, agreement: str) -> None:
    if not sits_in(actor, agreement):
        raise Http404


def problems(draft: AgreementVersion) -> list[str]:
    """What the checker finds wrong with the draft among every other version; empty: sound."""
    try:
        candidate = load(draft)
    except SpecError as error:
        return [str(error)]
    others = tuple(
        a for a in all_agreements() if (a.id, a.version) != (candidate.id, candidate.version)
    )
    replaces = next(
        (a for a in others if (a.id, a.version) == (draft.agreement, draft.based_on)), None
    )
    found = candidate_problems(candidate, replaces, others)
    if any(
        v.version == candidate.version
        for v in AgreementVersion.objects.filter(
            agreement=draft.agreement, status__in=OPEN
        ).exclude(pk=draft.pk)
    ):
        found.append(f"{draft.agreement}: version {candidate.version} is another draft's too")
    return found


def load(draft: AgreementVersion) -> Agreement:
    return load_text(draft.text, f"{draft.agreement} {draft.version}")


def _next_label(agreement: str, year: int, avoid: frozenset[str] = frozenset()) -> str:
    taken = {a.version for a in all_agreements() if a.id == agreement} | avoid
    taken |= set(
        AgreementVersion.objects.filter(agreement=agreement).values_list("version", flat=True)
    )
    n = 1
    while f"{year}-{n}" in taken:
        n += 1
    return f"{year}-{n}"


# How many labels a new draft tries when other members' drafts take them at the same moment.
LABEL_TRIES = 5


def create_draft(agreement: str, *, actor: User) -> AgreementVersion:
    """A draft copied, comments and all, from the newest version: the one in force today, or
    one approved to take effect later (a draft from an older one would undo it)."""
    _member(actor, agreement)
    current = newest_version(agreement)
    text = version_text(current.id, current.version)
    assert text is not None  # every version in the registry has its text
    today = clock.today(current.time_zone)
    tomorrow = max(today, current.valid_from) + datetime.timedelta(days=1)
    document = tomlkit.parse(text)
    document["valid_from"] = tomorrow
    if "valid_to" in document:
        del document["valid_to"]
    avoid: frozenset[str] = frozenset()
    for _ in range(LABEL_TRIES):
        label = _next_label(agreement, tomorrow.year, avoid)
        document["version"] = label
        with writer_atomic():
            try:
                # A savepoint of its own (also within a caller's block): only the insert is
                # undone when the label is taken, and the transaction goes on.
                with transaction.atomic():
                    draft = AgreementVersion.objects.create(
                        agreement=agreement,
                        version=label,
                        based_on=current.version,
                        valid_from=tomorrow,
                        text=tomlkit.dumps(document),
                        created_by=actor,
                    )
            except IntegrityError:
                # Another member made a draft in the same moment and took this label (the
                # unique constraint revisions_one_open_version_label): take the next one.
                # Any other broken constraint is a fault, not a race: it is raised.
                if not _label_taken(agreement, label):
                    raise
                avoid |= {label}
                continue
            record_change(
                draft,
                actor=actor,
                action=ChangeAction.CREATED,
                after={"status": draft.status, "version": label, "based_on": current.version},
            )
        return draft
    raise RevisionRefused("version", "others are making drafts of this agreement; try again")


def _label_taken(agreement: str, label: str) -> bool:
    """Whether a version holds the label where revisions_one_open_version_label counts it."""
    return AgreementVersion.objects.filter(
        agreement=agreement, version=label, status__in=(*OPEN, Status.APPROVED)
    ).exists()


def _editable(draft: AgreementVersion, actor: User) -> AgreementVersion:
    _member(actor, draft.agreement)
    locked = AgreementVersion.objects.select_for_update().get(pk=draft.pk)
    if locked.status != Status.DRAFT:
        raise RevisionRefused("status", "only a draft can be changed; withdraw the proposal first")
    return locked


def _rule(document: Any, rule_id: str) -> Table:
    rules = document.get("rule")
    if isinstance(rules, AoT):
        for rule in rules:
            if rule.get("id") == rule_id:
                return rule  # type: ignore[no-any-return]
    raise RevisionRefused("rule", f"no rule {rule_id!r} in this version")


def _edit_text(
    draft: AgreementVersion,
    actor: User,
    reason: str,
    edit: Callable[[Any], None],
    said: Callable[[Any], dict[str, Any]],
    **values: Any,
) -> AgreementVersion:
    """Edit the draft's agreement file; its history row holds what `said` reads of the file
    before and after (the changed words, not the whole file)."""
    with writer_atomic():
        locked = _editable(draft, actor)
        document = tomlkit.parse(locked.text)
        before = said(document)
        edit(document)
        after = said(document)
        text = tomlkit.dumps(document)
        try:
            # Only what the file itself cannot hold is refused here; the checker's findings
            # are listed on the page and keep the draft from being proposed.
            load_text(text, locked.agreement)
        except SpecError as error:
            raise RevisionRefused("text", str(error)) from None
        for name, value in {"text": text, "changed_at": timezone.now(), **values}.items():
            setattr(locked, name, value)
        locked.save(update_fields=["text", "changed_at", *values])
        record_change(
            locked,
            actor=actor,
            action=ChangeAction.CHANGED,
            before=before,
            after=after,
            reason=reason,
        )
        return locked


def _duty(rule: Table, duty: str) -> tuple[str, list[str]]:
    duties = rule.get("duties")
    if duties is None or duty not in duties:
        raise RevisionRefused("duty", f"rule {rule['id']} names no party for {duty}")
    value = duties[duty]
    if isinstance(value, str):
        return str(value), [str(c) for c in rule.get("cites", [])]
    return str(value["party"]), [str(c) for c in value.get("cites") or rule.get("cites", [])]


def _set_duty(rule: Table, duty: str, party: str, cites: list[str]) -> None:
    duties = rule["duties"]
    value = duties[duty]
    if isinstance(value, InlineTable | Table):
        value["party"] = party
        value["cites"] = cites
    else:
        table = tomlkit.inline_table()
        table.update({"party": party, "cites": cites})
        duties[duty] = table


def change_duty(
    draft: AgreementVersion,
    *,
    rule_id: str,
    duty: str,
    party: str,
    cites: list[str],
    actor: User,
) -> AgreementVersion:
    """Who does `duty` under the rule, and where the agreement says so."""
    if duty not in DUTIES:
        raise RevisionRefused("duty", f"unknown duty {duty!r}")
    if party not in PARTIES:
        raise RevisionRefused("party", f"unknown party {party!r}; known: {', '.join(PARTIES)}")
    cites = [c.strip() for c in cites if c.strip()]
    if not cites:
        raise RevisionRefused("cites", "give at least one citation")
    country = _current(draft.agreement).country
    for cite in cites:
        if problem := cite_problem(cite, country):
            raise RevisionRefused("cites", problem)

    def edit(document: Any) -> None:
        _set_duty(_rule(document, rule_id), duty, party, cites)

    def said(document: Any) -> dict[str, Any]:
        party_now, cites_now = _duty(_rule(document, rule_id), duty)
        return {f"{rule_id} {duty}": {"party": party_now, "cites": cites_now}}

    return _edit_text(draft, actor, f"rule {rule_id}: {duty}", edit, said)


def _rule_or_deadline(document: Any, rule_id: str) -> Table:
    try:
        return _rule(document, rule_id)
    except RevisionRefused:
        return _deadline(document, rule_id)


def change_texts(
    draft: AgreementVersion, *, rule_id: str, texts: dict[str, str], actor: User
) -> AgreementVersion:
    """The rule's (or the deadline's) words in nb, da and en."""
    for language in LANGUAGES:
        if not (texts.get(language) or "").strip():
            raise RevisionRefused(f"text_{language}", "the rule's text cannot be empty")

    def edit(document: Any) -> None:
        rule = _rule_or_deadline(document, rule_id)
        if "text" not in rule:
            rule["text"] = tomlkit.table()
        for language in LANGUAGES:
            rule["text"][language] = texts[language].strip()

    def said(document: Any) -> dict[str, Any]:
        rule = _rule_or_deadline(document, rule_id)
        return {f"{rule_id} text": {k: str(v) for k, v in (rule.get("text") or {}).items()}}

    return _edit_text(draft, actor, f"rule {rule_id}: text", edit, said)


def _deadline(document: Any, rule_id: str) -> Table:
    deadlines = document.get("deadline")
    if isinstance(deadlines, AoT):
        for deadline in deadlines:
            if deadline.get("id") == rule_id:
                return deadline  # type: ignore[no-any-return]
    raise RevisionRefused("rule", f"no deadline {rule_id!r} in this version; only one has a due")


def _due_said(deadline: Table) -> dict[str, Any]:
    due = deadline.get("due") or {}
    said: dict[str, Any] = {"kind": str(due.get("kind"))}
    for name in ("hours", "days"):
        if name in due:
            said[name] = float(due[name]) if isinstance(due[name], float) else int(due[name])
    return said


def _whole(number: Any) -> Any:
    """24.0 hours written as 24, as people write it in the files."""
    if isinstance(number, float) and math.isfinite(number) and number.is_integer():
        return int(number)
    return number


def change_due(
    draft: AgreementVersion,
    *,
    rule_id: str,
    kind: str,
    hours: float | None = None,
    days: int | None = None,
    actor: User,
) -> AgreementVersion:
    """When the deadline falls due: its kind, with the hours or days that kind takes (see
    spec.DUE_KINDS); refused, naming the field, where the agreement file would be."""
    due: dict[str, Any] = {"kind": kind}
    if hours is not None:
        due["hours"] = _whole(hours)
    if days is not None:
        due["days"] = days
    if problem := due_problem(due):
        raise RevisionRefused(*problem)

    # Written as the files write it: due = { kind = "after", hours = 24 }.
    written = ", ".join(f"{key} = {tomlkit.item(value).as_string()}" for key, value in due.items())

    def edit(document: Any) -> None:
        _deadline(document, rule_id)["due"] = tomlkit.value(f"{{ {written} }}")

    def said(document: Any) -> dict[str, Any]:
        return {f"{rule_id} due": _due_said(_deadline(document, rule_id))}

    return _edit_text(draft, actor, f"deadline {rule_id}: due", edit, said)


def set_effective(
    draft: AgreementVersion, *, valid_from: datetime.date, version: str, actor: User
) -> AgreementVersion:
    """From which day the version answers (after today in the agreement's time zone), and
    its label."""
    zone = _current(draft.agreement).time_zone
    if valid_from <= clock.today(zone):
        raise RevisionRefused("valid_from", "the effective date must be after today")
    version = version.strip()
    if not version or len(version) > 40 or not all(c.isalnum() or c in "-._" for c in version):
        raise RevisionRefused("version", "a label of letters, digits and - . _")
    taken = {a.version for a in all_agreements() if a.id == draft.agreement}
    taken |= set(
        AgreementVersion.objects.filter(agreement=draft.agreement, status__in=OPEN)
        .exclude(pk=draft.pk)
        .values_list("version", flat=True)
    )
    if version in taken:
        raise RevisionRefused("version", f"version {version} exists already")

    def edit(document: Any) -> None:
        document["valid_from"] = valid_from
        document["version"] = version

    def said(document: Any) -> dict[str, Any]:
        return {"valid_from": str(document["valid_from"]), "version": str(document["version"])}

    return _edit_text(
        draft, actor, "effective date", edit, said, valid_from=valid_from, version=version
    )


def propose(draft: AgreementVersion, *, actor: User) -> AgreementVersion:
    """Ask the other members to approve the draft; refused while the checker finds problems."""
    with writer_atomic():
        locked = _editable(draft, actor)
        if found := problems(locked):
            raise RevisionRefused("text", "; ".join(found))
        return save_changed(
            locked,
            WATCHED,
            {"status": Status.PROPOSED, "proposed_by": actor, "proposed_at": timezone.now()},
            actor=actor,
        )


def approve(draft: AgreementVersion, *, actor: User) -> AgreementVersion:
    """A second member approves: the version is published, effective from its date."""
    _member(actor, draft.agreement)
    with writer_atomic():
        locked = AgreementVersion.objects.select_for_update().get(pk=draft.pk)
        if locked.status != Status.PROPOSED:
            raise RevisionRefused("status", "only a proposal can be approved")
        if locked.proposed_by_id == actor.pk:
            raise RevisionRefused(
                "approved_by", "another member of the network group must approve what you proposed"
            )
        zone = _current(locked.agreement).time_zone
        if locked.valid_from <= clock.today(zone):
            raise RevisionRefused("valid_from", "the effective date must be after today")
        if found := problems(locked):
            raise RevisionRefused("text", "; ".join(found))
        approved = save_changed(
            locked,
            WATCHED,
            {"status": Status.APPROVED, "approved_by": actor, "decided_at": timezone.now()},
            actor=actor,
        )
        # Tells every other process to look again (overgang/revisions/published.py).
        access_cache.new_stamp()
    load_approved()
    return approved


def refuse(draft: AgreementVersion, *, actor: User) -> AgreementVersion:
    """A second member refuses the proposal."""
    return _close(draft, actor, Status.REFUSED, other_member=True)


def withdraw(draft: AgreementVersion, *, actor: User) -> AgreementVersion:
    """The draft or proposal is dropped; it stays on the list as withdrawn."""
    return _close(draft, actor, Status.WITHDRAWN, other_member=False)


def _close(
    draft: AgreementVersion, actor: User, status: Status, *, other_member: bool
) -> AgreementVersion:
    _member(actor, draft.agreement)
    with writer_atomic():
        locked = AgreementVersion.objects.select_for_update().get(pk=draft.pk)
        if status == Status.REFUSED and locked.status != Status.PROPOSED:
            raise RevisionRefused("status", "only a proposal can be refused")
        if locked.status not in OPEN:
            raise RevisionRefused("status", "this version can no longer change")
        if other_member and locked.proposed_by_id == actor.pk:
            raise RevisionRefused("approved_by", "withdraw your own proposal instead")
        return save_changed(
            locked, WATCHED, {"status": status, "decided_at": timezone.now()}, actor=actor
        )
