"""Appeals of a refused treatment aid (U3): the only writers.

The unit that refused receives the appeal. It may reverse its own decision at once (the
requisition is assessed again); otherwise it forwards the appeal to the appeal body
(Statsforvalteren in Norway), whose outcome it records. Upheld: the requisition reopens.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.requisitions.actions.dates import not_future
from overgang.requisitions.actions.requisitions import appeal_for, reopen
from overgang.requisitions.models import Appeal, AppealStatus, Appellant, Requisition
from overgang.requisitions.states import RequisitionStatus
from overgang.rules.clock import day_at

FIELDS = (
    "appellant",
    "appellant_name",
    "grounds",
    "received_on",
    "body",
    "status",
    "forwarded_on",
    "outcome",
    "decided_on",
)


def register_appeal(
    requisition: Requisition,
    *,
    actor: User,
    appellant: str,
    grounds: str,
    received_on: datetime.date | None = None,
    appellant_name: str = "",
) -> Appeal:
    """The patient (or someone for them) appeals the refusal."""
    errors: dict[str, str] = {}
    if appellant not in Appellant.values:
        errors["appellant"] = _("Say who appeals: the patient, a relative or a guardian.")
    elif appellant != Appellant.PATIENT and not appellant_name.strip():
        errors["appellant_name"] = _("Name the person who appeals for the patient.")
    if not grounds.strip():
        errors["grounds"] = _("Write down what the appeal says.")
    today = clock.today(requisition.time_zone)
    received_on = received_on or today
    not_future(received_on, "received_on", errors, today=today)
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
            if requisition.status != RequisitionStatus.REFUSED:
                raise Conflict(
                    _("Only a refusal is appealed; this requisition is %(status)s.")
                    % {"status": requisition.get_status_display()}
                )
            if requisition.decided_at and received_on < day_at(
                requisition.decided_at, requisition.time_zone
            ):
                raise InvalidInput({"received_on": _("The appeal came before the decision.")})
            appeal = Appeal.objects.create(
                requisition=requisition,
                appellant=appellant,
                appellant_name=appellant_name.strip(),
                grounds=grounds.strip(),
                received_on=received_on,
                body=appeal_for(requisition)["body"],
                registered_by=actor,
            )
            record_change(
                appeal, actor=actor, action=ChangeAction.CREATED, after=snapshot(appeal, FIELDS)
            )
    except IntegrityError:
        raise Conflict(_("This refusal is appealed already.")) from None
    return appeal


def _locked(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("requisition")
        .get(pk=appeal.pk)
    )


def _check_move(appeal: Appeal, new: str) -> None:
    if not AppealStatus.may_move(appeal.status, new):
        raise Conflict(
            _("This appeal is %(old)s and cannot become %(new)s.")
            % {"old": appeal.get_status_display(), "new": AppealStatus(new).label}
        )


def forward_appeal(
    appeal: Appeal, *, actor: User, forwarded_on: datetime.date | None = None
) -> Appeal:
    """The unit keeps its refusal and sends the appeal on to the appeal body."""
    today = clock.today(appeal.requisition.time_zone)
    forwarded_on = forwarded_on or today
    errors: dict[str, str] = {}
    not_future(forwarded_on, "forwarded_on", errors, today=today)
    if not errors and forwarded_on < appeal.received_on:
        errors["forwarded_on"] = _("The appeal was received on %(day)s.") % {
            "day": appeal.received_on.strftime("%d.%m.%Y")
        }
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        appeal = _locked(appeal)
        _check_move(appeal, AppealStatus.FORWARDED)
        return save_changed(
            appeal,
            FIELDS,
            {"status": AppealStatus.FORWARDED, "forwarded_on": forwarded_on},
            actor=actor,
        )


def record_outcome(
    appeal: Appeal,
    *,
    actor: User,
    upheld: bool,
    outcome: str,
    decided_on: datetime.date | None = None,
) -> Appeal:
    """The outcome: upheld (by the unit itself on receipt, or by the appeal body), and the
    requisition is assessed again; or dismissed by the appeal body, and the refusal stands."""
    today = clock.today(appeal.requisition.time_zone)
    decided_on = decided_on or today
    errors: dict[str, str] = {}
    if not outcome.strip():
        errors["outcome"] = _("Write down the outcome and its reason.")
    not_future(decided_on, "decided_on", errors, today=today)
    if not errors and decided_on < appeal.received_on:
        errors["decided_on"] = _("The appeal was received on %(day)s.") % {
            "day": appeal.received_on.strftime("%d.%m.%Y")
        }
    if errors:
        raise InvalidInput(errors)
    new = AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED
    with transaction.atomic():
        appeal = _locked(appeal)
        if not upheld and appeal.status == AppealStatus.RECEIVED:
            raise Conflict(
                _("Only %(body)s dismisses an appeal: forward it first.") % {"body": appeal.body}
            )
        _check_move(appeal, new)
        appeal = save_changed(
            appeal,
            FIELDS,
            {"status": new, "outcome": outcome.strip(), "decided_on": decided_on},
            actor=actor,
        )
        if upheld:
            reopen(
                appeal.requisition,
                actor=actor,
                reason=_("Appeal upheld: %(outcome)s") % {"outcome": outcome.strip()},
            )
    return appeal


def withdraw_appeal(appeal: Appeal, *, actor: User) -> Appeal:
    with transaction.atomic():
        appeal = _locked(appeal)
        _check_move(appeal, AppealStatus.WITHDRAWN)
        return save_changed(appeal, FIELDS, {"status": AppealStatus.WITHDRAWN}, actor=actor)
