"""NAV applications for long-term technical aids (H2, H5, H6): the only writers.

The party the agreement names registers the application when the agreement says NAV
provides the aid (HNT: the municipality, for a need over two years or terminal care; the
hospital, for a specially fitted aid needed for the journey home); under an agreement that
routes nothing to NAV there is no application to register. The user (or a relative or
guardian) signs it, the office sends it — as an urgent case ("hastesak") by exception —
which does the linked need's task to apply, records NAV's decision and the delivery, and
follows the user up. While the signature is missing the office is reminded after three
days, then every week.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids.cases import loan_case, routine_cites
from overgang.aids.models import AidType
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import Country, Organisation
from overgang.patients.models import Patient, Residence
from overgang.requisitions.access import nav_side
from overgang.requisitions.actions.dates import not_future
from overgang.requisitions.models import NavApplication, NavReminder, NavStatus, Signer
from overgang.rules import decide
from overgang.rules.clock import zone
from overgang.rules.nav import NavRoute, applying_parties, nav_application
from overgang.rules.registry import RulesError
from overgang.stays import actions as stays
from overgang.stays import news
from overgang.stays.access import holder_for
from overgang.stays.models import Need, NeedKind, NeedStatus, News, Stay

FIRST_REMINDER = datetime.timedelta(days=3)
THEN_EVERY = datetime.timedelta(days=7)
FIELDS = (
    "status",
    "signed_by",
    "signer_name",
    "signed_on",
    "sent_on",
    "urgent",
    "urgent_reason",
    "nav_reference",
    "decided_on",
    "decision_note",
    "delivered_on",
    "followed_up_on",
    "follow_up_note",
    "remind_at",
)
CREATED = ("patient", "stay", "need", "municipality", "aid_type", "duration_months", *FIELDS)


def nav_provides(
    patient: Patient,
    kind: AidType,
    *,
    duration_months: int | None,
    terminal: bool,
    needed_for_journey_home: bool = False,
) -> tuple[NavRoute | None, str, list[str]]:
    """Does the agreement have NAV deliver this aid for this need (H2, H5)? Who applies
    (None: NAV does not deliver it), the agreement's words, and the delivery's citations."""
    placement = "institution" if patient.residence == Residence.INSTITUTION else "home"
    case = loan_case(patient, kind.slug, placement=placement)
    case["patient"]["terminal"] = terminal
    need: dict[str, Any] = {}
    if duration_months is not None:
        need["duration_months"] = duration_months
    if needed_for_journey_home:
        need["needed_for_journey_home"] = True
    if need:
        case["need"] = need
    decision = decide(case, language="en")
    delivery = decision["duties"]["delivery"]
    local = decide(case, language=_language())
    note = " ".join(local["notes"]) or " ".join(local["reasons"])
    return nav_application(decision), note, list(delivery["cites"]) if delivery else []


def _language() -> str:
    from overgang.i18n import current_language

    return current_language("en")


@dataclass(frozen=True)
class NavApplicationInput:
    """What the municipal office fills in to apply to NAV for a technical aid (H5)."""

    patient: Patient
    municipality: Organisation | None
    aid_type: str
    duration_months: int | None
    terminal: bool = False
    description: str = ""
    urgent: bool = False
    urgent_reason: str = ""
    stay: Stay | None = None
    need: Need | None = None
    # The aid is needed for the journey home (H2); a linked need says so itself.
    needed_for_journey_home: bool = False


def register_application(given: NavApplicationInput, *, actor: User) -> NavApplication:
    """The party the agreement names starts an application to NAV (the municipality; the
    hospital for a fitted aid for the journey home); it waits for the user's signature."""
    _routed_to_nav(given.patient)
    kind, municipality = _checked_fields(given)
    cites = _nav_cites(given, kind, municipality)
    now = clock.now()
    with transaction.atomic():
        if (
            given.need is not None
            and NavApplication.objects.select_for_update()
            .filter(need=given.need, status__in=sorted(NavStatus.OPEN))
            .exists()
        ):
            raise Conflict(_("An application to NAV for this need is open already."))
        application = NavApplication.objects.create(
            patient=given.patient,
            stay=given.stay,
            need=given.need,
            municipality=municipality,
            aid_type=kind,
            description=given.description.strip(),
            duration_months=given.duration_months,
            terminal=given.terminal,
            urgent=given.urgent,
            urgent_reason=given.urgent_reason.strip(),
            cites=cites,
            remind_at=now + FIRST_REMINDER,
            created_by=actor,
            created_at=now,
        )
        record_change(
            application,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(application, CREATED),
        )
    return application


# The steps of register_application: whether the agreement routes anything to NAV, every
# field on its own (all problems reported together), then whether the agreement has NAV
# provide the aid for this need and who applies.


def not_routed_to_nav(patient: Patient) -> str:
    """Why no application to NAV is registered for the patient ("" when one may be): the
    patient's agreement has nobody apply to NAV (Oslo's and UNN's routines cover treatment
    aids only; Denmark has no NAV)."""
    try:
        parties = applying_parties(patient.agreement_today())
    except RulesError as error:
        return str(error)
    if parties:
        return ""
    return _(
        "The agreement for %(municipality)s does not route technical aids to NAV "
        "Hjelpemiddelsentral: no application to NAV is registered under it."
    ) % {"municipality": patient.municipality.name}


def _routed_to_nav(patient: Patient) -> None:
    refusal = not_routed_to_nav(patient)
    if refusal:
        raise InvalidInput({"patient": refusal})


def _checked_fields(given: NavApplicationInput) -> tuple[AidType, Organisation]:
    """The aid type and the applying office, once every field holds; else all problems."""
    kind = AidType.objects.filter(slug=given.aid_type).first()
    errors = {
        **_aid_type_problem(kind, given),
        **_municipality_problem(given),
        **_duration_problem(given),
        **_urgency_problem(given),
        **_stay_problem(given),
        **_need_problem(given),
    }
    if errors or kind is None or given.municipality is None:
        raise InvalidInput(errors)
    return kind, given.municipality


def _aid_type_problem(kind: AidType | None, given: NavApplicationInput) -> dict[str, str]:
    if kind is None:
        return {"aid_type": _("Unknown aid type: %(slug)s.") % {"slug": given.aid_type}}
    if kind.category == "technical-aid":
        return {}
    # Cited from the patient's routine where it says so (HNT's 002 4), never another's.
    cites = routine_cites(given.patient, "nav_treatment_aids")
    if not cites:
        return {
            "aid_type": _(
                "%(aid)s is not a technical aid: NAV Hjelpemiddelsentral has no responsibility "
                "for treatment aids (the patient's agreement names no routine for this)."
            )
            % {"aid": kind.name}
        }
    return {
        "aid_type": _(
            "%(aid)s is not a technical aid: NAV Hjelpemiddelsentral has no responsibility "
            "for treatment aids (%(cites)s)."
        )
        % {"aid": kind.name, "cites": ", ".join(cites)}
    }


def _municipality_problem(given: NavApplicationInput) -> dict[str, str]:
    if given.municipality is None or not nav_side(given.municipality):
        return {"municipality": _("Choose the office that applies.")}
    return {}


def _duration_problem(given: NavApplicationInput) -> dict[str, str]:
    """A duration of a month or more; only terminal care may leave it out."""
    months = given.duration_months
    if months is not None and months < 1:
        return {"duration_months": _("Give the expected need in months (1 or more).")}
    if months is None and not given.terminal:
        return {
            "duration_months": _(
                "Say how long the need is expected to last: NAV provides for needs over two years."
            )
        }
    return {}


def _urgency_problem(given: NavApplicationInput) -> dict[str, str]:
    if given.urgent and not given.urgent_reason.strip():
        return {"urgent_reason": _("Say why the case is urgent (hastesak is by exception).")}
    return {}


def _stay_problem(given: NavApplicationInput) -> dict[str, str]:
    if given.stay is not None and given.stay.patient_id != given.patient.pk:
        return {"stay": _("That stay belongs to another patient.")}
    return {}


def _need_problem(given: NavApplicationInput) -> dict[str, str]:
    need, stay = given.need, given.stay
    if need is None:
        return {}
    if stay is None or need.stay_id != stay.pk:
        return {"need": _("That need belongs to another stay.")}
    if need.kind != NeedKind.AID or need.aid_type is None:
        return {"need": _("That need is a functional difficulty, not an aid.")}
    if need.aid_type.slug != given.aid_type:
        return {
            "need": _("That need is for %(aid)s: apply for the aid the need names.")
            % {"aid": need.aid_type.name}
        }
    if need.status != NeedStatus.OPEN:
        return {
            "need": _("That need is %(status)s: apply only for an open need.")
            % {"status": need.get_status_display()}
        }
    return {}


def _nav_cites(given: NavApplicationInput, kind: AidType, office: Organisation) -> list[str]:
    """The agreement's citations when it has NAV provide this aid for this need and the
    office's side apply; else why not, under the field that decides it."""
    journey_home = given.needed_for_journey_home or bool(
        given.need is not None and given.need.needed_for_journey_home
    )
    try:
        route, note, cites = nav_provides(
            given.patient,
            kind,
            duration_months=given.duration_months,
            terminal=given.terminal,
            needed_for_journey_home=journey_home,
        )
    except RulesError as error:
        raise InvalidInput({"patient": str(error)}) from None
    if route is None:
        if cites:  # the agreement names another provider (the municipality's own depot)
            note = _(
                "For this need the agreement has the municipality provide %(aid)s from its own "
                "depot, not NAV (%(cites)s). NAV provides for needs over two years and for "
                "terminal care."
            ) % {"aid": kind.name, "cites": ", ".join(cites)}
        raise InvalidInput(
            {
                "duration_months": note
                or _("The agreement does not have NAV provide this aid for this need.")
            }
        )
    if route.applicant != nav_side(office):
        said = ", ".join(route.cites)
        raise InvalidInput(
            {
                "municipality": _(
                    "For this need the agreement has the hospital apply to NAV (%(cites)s), "
                    "not the municipality."
                )
                % {"cites": said}
                if route.applicant == "hospital"
                else _(
                    "For this need the agreement has the municipality apply to NAV "
                    "(%(cites)s), not the hospital."
                )
                % {"cites": said}
            }
        )
    return sorted({*route.cites, *cites})


def _locked(application: NavApplication) -> NavApplication:
    return NavApplication.objects.select_for_update().get(pk=application.pk)


def _move(
    application: NavApplication, new: str, *, actor: User, values: dict[str, Any]
) -> NavApplication:
    if not NavStatus.may_move(application.status, new):
        raise Conflict(
            _("This application is %(old)s and cannot become %(new)s.")
            % {"old": application.get_status_display(), "new": NavStatus(new).label}
        )
    return save_changed(application, FIELDS, {"status": new, **values}, actor=actor)


def record_signature(
    application: NavApplication,
    *,
    actor: User,
    signed_by: str,
    signer_name: str = "",
    signed_on: datetime.date | None = None,
) -> NavApplication:
    """The user (or a relative or guardian) has signed: the reminders stop."""
    today = clock.today_in(Country.NORWAY)  # NAV serves Norway only
    signed_on = signed_on or today
    errors: dict[str, str] = {}
    if signed_by not in Signer.values:
        errors["signed_by"] = _("Say who signed: the user, a relative or a guardian.")
    elif signed_by != Signer.USER and not signer_name.strip():
        errors["signer_name"] = _("Name the relative or guardian who signed.")
    not_future(signed_on, "signed_on", errors, today=today)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        return _move(
            _locked(application),
            NavStatus.SIGNED,
            actor=actor,
            values={
                "signed_by": signed_by,
                "signer_name": signer_name.strip(),
                "signed_on": signed_on,
                "remind_at": None,
            },
        )


def record_sent(
    application: NavApplication,
    *,
    actor: User,
    sent_on: datetime.date | None = None,
    nav_reference: str = "",
) -> NavApplication:
    today = clock.today_in(Country.NORWAY)  # NAV serves Norway only
    sent_on = sent_on or today
    errors: dict[str, str] = {}
    not_future(sent_on, "sent_on", errors, today=today)
    if not errors and application.signed_on and sent_on < application.signed_on:
        errors["sent_on"] = _("It was signed on %(day)s; it cannot be sent before.") % {
            "day": application.signed_on.strftime("%d.%m.%Y")
        }
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        sent = _move(
            _locked(application),
            NavStatus.SENT,
            actor=actor,
            values={"sent_on": sent_on, "nav_reference": nav_reference.strip()},
        )
        _need_applied_for(sent, actor=actor, sent_on=sent_on, today=today)
        return sent


def _need_applied_for(
    application: NavApplication, *, actor: User, sent_on: datetime.date, today: datetime.date
) -> None:
    """Sending the application does the linked need's task to apply, with its history row."""
    need = application.need
    if need is None:
        return
    reference = f" ({application.nav_reference})" if application.nav_reference else ""
    at = None
    if sent_on != today:  # sent on an earlier day: done by the end of that day
        at = datetime.datetime.combine(
            sent_on + datetime.timedelta(days=1), datetime.time(), tzinfo=zone(need.stay.time_zone)
        ) - datetime.timedelta(seconds=1)
    stays.applied_for(
        need,
        actor=actor,
        party=nav_side(application.municipality),
        note=_("Application %(number)s sent to NAV%(reference)s.")
        % {"number": application.pk, "reference": reference},
        at=at,
    )


def record_nav_decision(
    application: NavApplication,
    *,
    actor: User,
    granted: bool,
    note: str = "",
    decided_on: datetime.date | None = None,
) -> NavApplication:
    today = clock.today_in(Country.NORWAY)  # NAV serves Norway only
    decided_on = decided_on or today
    errors: dict[str, str] = {}
    not_future(decided_on, "decided_on", errors, today=today)
    if not granted and not note.strip():
        errors["decision_note"] = _("Write down NAV's reason for the refusal.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        decided = _move(
            _locked(application),
            NavStatus.GRANTED if granted else NavStatus.REFUSED,
            actor=actor,
            values={"decided_on": decided_on, "decision_note": note.strip()},
        )
        # The applying office, unless it recorded the decision itself; and the hospital
        # while the patient is in it.
        told = (
            []
            if actor.memberships.filter(organisation=decided.municipality_id).exists()
            else [decided.municipality]
        )
        if decided.stay is not None and decided.stay.is_open:
            told.append(holder_for(decided.stay, "hospital"))
        for organisation in told:
            news.tell(
                News.NAV_DECIDED,
                to=organisation,
                patient=decided.patient,
                link=reverse("nav-detail", args=[decided.pk]),
            )
        return decided


def record_delivery(
    application: NavApplication, *, actor: User, delivered_on: datetime.date | None = None
) -> NavApplication:
    today = clock.today_in(Country.NORWAY)  # NAV serves Norway only
    delivered_on = delivered_on or today
    errors: dict[str, str] = {}
    not_future(delivered_on, "delivered_on", errors, today=today)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        return _move(
            _locked(application),
            NavStatus.DELIVERED,
            actor=actor,
            values={"delivered_on": delivered_on},
        )


def record_follow_up(
    application: NavApplication,
    *,
    actor: User,
    note: str,
    followed_up_on: datetime.date | None = None,
) -> NavApplication:
    """The municipality followed the user up after the delivery (H5)."""
    today = clock.today_in(Country.NORWAY)  # NAV serves Norway only
    followed_up_on = followed_up_on or today
    errors: dict[str, str] = {}
    if not note.strip():
        errors["follow_up_note"] = _("Write down how the aid works for the user.")
    not_future(followed_up_on, "followed_up_on", errors, today=today)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        return _move(
            _locked(application),
            NavStatus.FOLLOWED_UP,
            actor=actor,
            values={"followed_up_on": followed_up_on, "follow_up_note": note.strip()},
        )


def withdraw_application(application: NavApplication, *, actor: User) -> NavApplication:
    with transaction.atomic():
        return _move(
            _locked(application), NavStatus.WITHDRAWN, actor=actor, values={"remind_at": None}
        )


def remind_missing_signatures(now: datetime.datetime | None = None, *, limit: int = 1000) -> int:
    """Remind the applying offices of every application whose signature is still missing
    and whose reminder is due: after three days, then every week. Safe with several workers:
    an application being reminded by one is skipped by the others, and a reminder number is
    written once. Returns how many reminders were given."""
    now = now or clock.now()
    given = 0
    with transaction.atomic():
        due = NavApplication.objects.filter(
            status=NavStatus.AWAITING_SIGNATURE, remind_at__lte=now
        ).order_by("remind_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        for application in due[:limit]:
            assert application.remind_at is not None
            number = application.reminders + 1
            try:
                with transaction.atomic():
                    NavReminder.objects.create(
                        application=application,
                        number=number,
                        organisation_id=application.municipality_id,
                        due_at=application.remind_at,
                        created_at=now,
                    )
            except IntegrityError:
                continue  # given already by another worker
            # The next one a week after this one was due: a worker that was down catches up
            # with one reminder, not one per missed week.
            next_at = application.remind_at + THEN_EVERY
            while next_at <= now:
                next_at += THEN_EVERY
            NavApplication.objects.filter(pk=application.pk).update(
                reminders=number, remind_at=next_at
            )
            given += 1
    return given
