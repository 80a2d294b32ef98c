"""The writers of the home-ventilation (LTMV) agreement (O11, Oslo's 000 10.0).

- `invite_municipality`: a home-ventilator need is recorded on a stay whose agreement
  provides for the per-patient agreement: both sides get the task on their worklist at
  once ("sørge for at kommunale representanter involveres tidlig").
- `draft`: the hospital starts the agreement, its responsibilities filled in from the
  rules engine's answer for a home ventilator.
- `update`: either side changes the current draft; a change after both signed makes a new
  draft version, and the signed one is kept as it was.
- `sign`: a person of each side signs; the second signature locks the version.
- `open_follow_up`: the hospital's follow-up tasks after discharge, once the patient has
  left and the agreement is signed ("oppfølgingsansvar også etter utskrivning").

Each change tells the other side (a notification, without the patient's health).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids.cases import decide_for
from overgang.audit.history import record_change, snapshot, writer_atomic
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import Organisation
from overgang.rules.clock import day_at, zone
from overgang.rules.registry import Agreement, HomeVentilation, agreement_by_id
from overgang.rules.spec import DUTIES, PARTIES
from overgang.stays import news
from overgang.stays.access import holder_for, sides
from overgang.stays.actions.deadlines import add_deadline, close
from overgang.stays.models import Deadline, News, Stay, StayStatus
from overgang.ventilation.models import AgreementVersion, VentilationAgreement, VersionStatus

AID_TYPE = "home-ventilator"
AGREEMENT_TASK = "ltmv-agreement"
FOLLOW_UP_TASK = "ltmv-follow-up"
SIDES = ("hospital", "municipality")
# The parties a responsibility can be given to in an agreement between the two sides.
AGREED_PARTIES = tuple(p for p in PARTIES if p != "private-hospital")
VERSION_FIELDS = (
    "number",
    "status",
    "assessment_date",
    "participants",
    "responsibilities",
    "staffing_plan",
    "training",
    "follow_up_days",
)
SIGN_FIELDS = (
    "status",
    "hospital_signed_by",
    "hospital_signed_at",
    "municipality_signed_by",
    "municipality_signed_at",
)
MOST_ROWS = 30
LONGEST_TEXT = 4000
LONGEST_NAME = 200


def provision(stay: Stay) -> HomeVentilation | None:
    """What the stay's agreement says of a per-patient LTMV agreement; None: nothing."""
    return stay_agreement(stay).home_ventilation


def stay_agreement(stay: Stay) -> Agreement:
    return agreement_by_id(stay.agreement, on=day_at(stay.admitted_at, stay.time_zone))


def municipal_party(stay: Stay) -> Organisation:
    """The district where the municipality has districts (Oslo), else the municipality."""
    return stay.district or stay.municipality


def _rule_text(stay: Stay, provided: HomeVentilation) -> dict[str, str]:
    for rule in stay_agreement(stay).rules:
        if rule.id == provided.rule:
            return dict(rule.text)
    return {}


def _task(stay: Stay, party: str, *, actor: User, due: datetime.datetime | None) -> None:
    provided = provision(stay)
    assert provided is not None
    add_deadline(
        actor=actor,
        now=clock.now(),
        stay=stay,
        duty=AGREEMENT_TASK,
        party=party,
        holder=holder_for(stay, party),
        due=due,
        rule=provided.rule,
        cites=list(provided.cites),
        text=_rule_text(stay, provided),
    )


def invite_municipality(stay: Stay, *, actor: User) -> bool:
    """The stay's agreement provides for a per-patient LTMV agreement and a home ventilator
    is needed: the municipality (or district) and the hospital each get the task of
    agreeing, unless it is open or done already. Call inside the need's transaction."""
    if provision(stay) is None:
        return False
    if Deadline.objects.filter(stay=stay, duty=AGREEMENT_TASK).exists():
        return False
    # "Involveres tidlig": at once, before the discharge is planned.
    due = stay.expected_discharge
    for party in SIDES:
        _task(stay, party, actor=actor, due=due)
    news.tell(
        News.VENTILATION_CHANGED,
        to=holder_for(stay, "municipality"),
        patient=stay.patient,
        link=reverse("stay-detail", args=[stay.pk]),
    )
    return True


def rules_responsibilities(stay: Stay) -> list[dict[str, Any]]:
    """The agreement's answer for a home ventilator: each duty with its party and citation
    ("Hvem har ansvaret?"), before anything is agreed otherwise."""
    decision = decide_for(stay.patient, AID_TYPE, purpose="treatment") or {}
    found = []
    for duty in DUTIES:
        answer = (decision.get("duties") or {}).get(duty)
        if not answer:
            continue
        found.append(
            {
                "duty": duty,
                "rules_party": answer["party"],
                "party": answer["party"],
                "reason": "",
                "cites": list(answer.get("cites", [])),
            }
        )
    return found


def _refuse_outside(stay: Stay) -> None:
    if provision(stay) is None:
        raise InvalidInput(
            {
                "stay": _(
                    "The patient's agreement does not provide for a home-ventilation agreement."
                )
            }
        )


def draft(stay: Stay, *, actor: User) -> VentilationAgreement:
    """The hospital initiates the agreement ("Helseforetaket må ta initiativ")."""
    _refuse_outside(stay)
    if "hospital" not in sides(actor):
        raise InvalidInput({"stay": _("The hospital initiates a home-ventilation agreement.")})
    provided = provision(stay)
    assert provided is not None
    now = clock.now()
    with writer_atomic():
        stay = Stay.objects.select_for_update().get(pk=stay.pk)
        if VentilationAgreement.objects.filter(stay=stay).exists():
            raise Conflict(_("This stay has a home-ventilation agreement already."))
        agreement = VentilationAgreement.objects.create(
            stay=stay,
            patient=stay.patient,
            agreement=stay.agreement,
            hospital=stay.department or stay.hospital,
            municipality=municipal_party(stay),
            created_by=actor,
            created_at=now,
        )
        version = AgreementVersion.objects.create(
            ventilation=agreement,
            number=1,
            responsibilities=rules_responsibilities(stay),
            follow_up_days=list(provided.follow_up_days),
            created_by=actor,
            created_at=now,
        )
        record_change(
            agreement,
            actor=actor,
            action=ChangeAction.CREATED,
            after={"stay": stay.pk, "municipality": agreement.municipality.key},
        )
        record_change(
            version,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(version, VERSION_FIELDS),
        )
        if not Deadline.objects.filter(stay=stay, duty=AGREEMENT_TASK).exists():
            for party in SIDES:
                _task(stay, party, actor=actor, due=stay.expected_discharge)
        _tell_other(agreement, actor)
    return agreement


@dataclass(frozen=True)
class Content:
    """What a version says, as given by a page or the API (checked by `checked`)."""

    assessment_date: datetime.date | None
    participants: list[dict[str, Any]]
    responsibilities: list[dict[str, Any]]
    staffing_plan: str
    training: list[dict[str, Any]]
    follow_up_days: list[int]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _check_participants(rows: list[dict[str, Any]], errors: dict[str, str]) -> list[dict[str, str]]:
    kept = []
    for number, row in enumerate(rows, start=1):
        values = {key: _text(row.get(key)) for key in ("name", "role", "organisation")}
        if not any(values.values()):
            continue
        missing = [key for key, value in values.items() if not value]
        if missing or any(len(v) > LONGEST_NAME for v in values.values()):
            errors["participants"] = _(
                "Participant %(number)s: give the name, the role and the organisation."
            ) % {"number": number}
        kept.append(values)
    return kept


def _check_responsibilities(
    rows: list[dict[str, Any]], rules_answer: dict[str, str], errors: dict[str, str]
) -> list[dict[str, Any]]:
    kept = []
    seen = set()
    for row in rows:
        duty, party, reason = (
            _text(row.get("duty")),
            _text(row.get("party")),
            _text(row.get("reason")),
        )
        if duty not in DUTIES or duty in seen:
            errors["responsibilities"] = _("Unknown or repeated duty: %(duty)s.") % {"duty": duty}
            continue
        seen.add(duty)
        if party not in AGREED_PARTIES:
            errors["responsibilities"] = _("Choose who is responsible for %(duty)s.") % {
                "duty": duty
            }
            continue
        said = rules_answer.get(duty, "")
        if party != said and not reason:
            errors["responsibilities"] = _(
                "Say why %(duty)s differs from the agreement's answer (%(said)s)."
            ) % {"duty": duty, "said": said or "-"}
        if len(reason) > LONGEST_TEXT:
            errors["responsibilities"] = _("The reason for %(duty)s is too long.") % {"duty": duty}
        kept.append({"duty": duty, "party": party, "reason": reason if party != said else ""})
    return kept


def _check_training(rows: list[dict[str, Any]], errors: dict[str, str]) -> list[dict[str, str]]:
    kept = []
    for number, row in enumerate(rows, start=1):
        trainer, trainees, by = _text(row.get("trainer")), _text(row.get("trainees")), row.get("by")
        if not (trainer or trainees or by):
            continue
        when = by if isinstance(by, datetime.date) else _day(by)
        if not trainer or not trainees or when is None:
            errors["training"] = _(
                "Training %(number)s: say who trains, whom, and by which date."
            ) % {"number": number}
            continue
        kept.append(
            {
                "trainer": trainer[:LONGEST_NAME],
                "trainees": trainees[:LONGEST_TEXT],
                "by": when.isoformat(),
            }
        )
    return kept


def _day(value: Any) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def checked(content: Content, version: AgreementVersion) -> dict[str, Any]:
    """The version's new values, or InvalidInput naming each field that is wrong."""
    errors: dict[str, str] = {}
    if len(content.participants) > MOST_ROWS or len(content.training) > MOST_ROWS:
        raise InvalidInput({"participants": _("At most %(n)s rows.") % {"n": MOST_ROWS}})
    if content.assessment_date is not None and content.assessment_date > clock.today():
        errors["assessment_date"] = _("The assessment cannot be in the future.")
    participants = _check_participants(content.participants, errors)
    by_duty = {r["duty"]: r for r in version.responsibilities}
    rules_answer = {duty: r["rules_party"] for duty, r in by_duty.items()}
    responsibilities = _check_responsibilities(content.responsibilities, rules_answer, errors)
    days = content.follow_up_days
    if not days or sorted(set(days)) != days or any(not 0 < d <= 3650 for d in days):
        errors["follow_up_days"] = _(
            "Give the follow-up as days after discharge, ascending, each 1 to 3650."
        )
    if len(content.staffing_plan) > LONGEST_TEXT:
        errors["staffing_plan"] = _("The staffing plan is too long.")
    training = _check_training(content.training, errors)
    if errors:
        raise InvalidInput(errors)
    # The rules' answer and its citations stay with each duty; only the party and reason move.
    agreed = {r["duty"]: r for r in responsibilities}
    merged = [
        {
            **row,
            "party": agreed.get(row["duty"], row)["party"],
            "reason": agreed.get(row["duty"], row)["reason"],
        }
        for row in version.responsibilities
    ]
    return {
        "assessment_date": content.assessment_date,
        "participants": participants,
        "responsibilities": merged,
        "staffing_plan": content.staffing_plan.strip(),
        "training": training,
        "follow_up_days": days,
    }


def _side_of(actor: User) -> set[str]:
    return sides(actor) & set(SIDES)


def _locked_current(agreement: VentilationAgreement) -> AgreementVersion:
    found = (
        AgreementVersion.objects.select_for_update()
        .filter(ventilation=agreement)
        .order_by("-number")
        .first()
    )
    assert found is not None
    return found


def update(agreement: VentilationAgreement, content: Content, *, actor: User) -> AgreementVersion:
    """Change the agreement. A draft changes in place, and any signature on it is undone (it
    was given to other words); after both signed, the change is a new draft version."""
    if not _side_of(actor):
        raise InvalidInput({"stay": _("Only the hospital and the municipality change this.")})
    now = clock.now()
    with writer_atomic():
        version = _locked_current(agreement)
        values = checked(content, version)
        if version.locked:
            before = snapshot(version, VERSION_FIELDS)
            version = AgreementVersion.objects.create(
                ventilation=agreement,
                number=version.number + 1,
                created_by=actor,
                created_at=now,
                **values,
            )
            record_change(
                version,
                actor=actor,
                action=ChangeAction.CREATED,
                before=before,
                after=snapshot(version, VERSION_FIELDS),
            )
        else:
            before = snapshot(version, (*VERSION_FIELDS, *SIGN_FIELDS))
            for name, value in values.items():
                setattr(version, name, value)
            changed = snapshot(version, VERSION_FIELDS) != {k: before[k] for k in VERSION_FIELDS}
            if changed:
                version.hospital_signed_by = version.hospital_signed_at = None
                version.municipality_signed_by = version.municipality_signed_at = None
            version.save()
            record_change(
                version,
                actor=actor,
                action=ChangeAction.CHANGED,
                before=before,
                after=snapshot(version, (*VERSION_FIELDS, *SIGN_FIELDS)),
            )
            if not changed:
                return version
        _reopen_tasks(agreement, actor=actor)
        _tell_other(agreement, actor)
    return version


def _reopen_tasks(agreement: VentilationAgreement, *, actor: User) -> None:
    """Each side has to sign again what changed: its task is open again."""
    stay = agreement.stay
    open_parties = set(
        Deadline.objects.filter(stay=stay, duty=AGREEMENT_TASK, done_at__isnull=True).values_list(
            "party", flat=True
        )
    )
    for party in SIDES:
        if party not in open_parties:
            _task(stay, party, actor=actor, due=None)


def side_name(side: str) -> str:
    return {"hospital": _("the hospital"), "municipality": _("the municipality or district")}.get(
        side, side
    )


def _signing_side(actor: User, side: str) -> str:
    acting = _side_of(actor)
    if side:
        if side not in acting:
            raise InvalidInput(
                {"side": _("You do not sign for %(side)s.") % {"side": side_name(side)}}
            )
        acting = {side}
    if len(acting) != 1:
        raise InvalidInput({"side": _("Say which side you sign for.")})
    return next(iter(acting))


def _may_sign(version: AgreementVersion, party: str) -> None:
    if version.locked:
        raise Conflict(_("This version is signed by both already; change it to make a new one."))
    if getattr(version, f"{party}_signed_at") is not None:
        raise Conflict(_("Your side has signed this version already."))
    missing: dict[str, str] = {}
    if version.assessment_date is None:
        missing["assessment_date"] = _("Give the date of the interdisciplinary assessment.")
    if not version.participants:
        missing["participants"] = _("Name who took part in the assessment.")
    if missing:
        raise InvalidInput(missing)


def sign(agreement: VentilationAgreement, *, actor: User, side: str = "") -> AgreementVersion:
    """A person of one side signs the current draft; the second side's signature locks it.
    `side` chooses for someone who acts for both (an administrator)."""
    party = _signing_side(actor, side)
    now = clock.now()
    with writer_atomic():
        version = _locked_current(agreement)
        _may_sign(version, party)
        before = snapshot(version, SIGN_FIELDS)
        setattr(version, f"{party}_signed_by", actor)
        setattr(version, f"{party}_signed_at", now)
        if version.hospital_signed_at and version.municipality_signed_at:
            version.status = VersionStatus.SIGNED
        version.save()
        record_change(
            version,
            actor=actor,
            action=ChangeAction.CHANGED,
            before=before,
            after=snapshot(version, SIGN_FIELDS),
            reason=_("Signed for %(side)s.") % {"side": side_name(party)},
        )
        for task in Deadline.objects.select_for_update().filter(
            stay=agreement.stay, duty=AGREEMENT_TASK, party=party, done_at__isnull=True
        ):
            close(task, actor=actor, note=_("Signed, version %(n)s.") % {"n": version.number})
        # Read now: the agreement's stay may be an object from before the patient left.
        stay = Stay.objects.get(pk=agreement.stay_id)
        if version.locked and stay.ended_at is not None and stay.status != StayStatus.DIED:
            open_follow_up(agreement, actor=actor, discharged_at=stay.ended_at)
        _tell_other(agreement, actor, party)
    return version


def open_follow_up(
    agreement: VentilationAgreement, *, actor: User, discharged_at: datetime.datetime
) -> list[Deadline]:
    """The hospital's follow-up tasks, due the agreed days after discharge, on its worklist;
    those already opened stay as they are. Call inside a writer's transaction."""
    signed = agreement.versions.filter(status=VersionStatus.SIGNED).order_by("-number").first()
    if signed is None:
        return []
    stay = agreement.stay
    provided = provision(stay)
    rule = provided.rule if provided else ""
    opened = set(
        Deadline.objects.filter(stay=stay, duty=FOLLOW_UP_TASK).values_list("due", flat=True)
    )
    found = []
    # Days on the stay's wall clock: the same time of day after a change to summer time.
    left = discharged_at.astimezone(zone(stay.time_zone))
    for days in signed.follow_up_days:
        due = left + datetime.timedelta(days=days)
        if due in opened:
            continue
        found.append(
            add_deadline(
                actor=actor,
                now=clock.now(),
                stay=stay,
                duty=FOLLOW_UP_TASK,
                party="hospital",
                holder=holder_for(stay, "hospital"),
                due=due,
                rule=rule,
                cites=list(provided.cites) if provided else [],
                text=_rule_text(stay, provided) if provided else {},
            )
        )
    return found


def _tell_other(agreement: VentilationAgreement, actor: User, party: str = "") -> None:
    acting = {party} if party else _side_of(actor)
    link = reverse("ventilation-detail", args=[agreement.pk])
    stay = agreement.stay
    for other in SIDES:
        if other not in acting or len(acting) == len(SIDES):
            if len(acting) == len(SIDES) and other == "hospital":
                continue  # an administrator acting for both: the municipality is told
            news.tell(
                News.VENTILATION_CHANGED,
                to=holder_for(stay, other),
                patient=stay.patient,
                link=link,
            )
