"""Returns (O8, 000 7.0): the municipality (or the patient, a relative, the unit) reports
devices to go back; the unit agrees a pickup or waits for them at its door. Checking the
devices in (`return_loan`) closes the request."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids.models import (
    OPEN_RETURNS,
    Loan,
    ReportedFor,
    ReturnMethod,
    ReturnRequest,
    ReturnStatus,
)
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.rules.clock import country_time_zone, day_at

FIELDS = (
    "method",
    "reported_for",
    "contact_name",
    "contact_phone",
    "address",
    "note",
    "status",
    "appointment",
    "closed_at",
    "cancel_reason",
)


def _open_request_of(loans: Sequence[Loan]) -> ReturnRequest | None:
    return (
        ReturnRequest.objects.filter(loans__in=[loan.pk for loan in loans], status__in=OPEN_RETURNS)
        .order_by("requested_at")
        .first()
    )


def request_return(
    loans: Sequence[Loan],
    *,
    actor: User,
    method: str,
    reported_for: str,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    note: str = "",
) -> ReturnRequest:
    """Report lent devices of one patient and one unit as no longer needed."""
    errors: dict[str, str] = {}
    if not loans:
        errors["loans"] = _("Choose the devices to return.")
    if method not in ReturnMethod.values:
        errors["method"] = _("Choose whether the unit picks the devices up or they are brought.")
    if reported_for not in ReportedFor.values:
        errors["reported_for"] = _("Say who reports the return.")
    address = address.strip() or (loans[0].address if loans else "")
    if method == ReturnMethod.PICKUP and not address:
        errors["address"] = _("Give the address the devices are picked up from.")
    if method == ReturnMethod.PICKUP and not contact_phone.strip():
        errors["contact_phone"] = _("Give a phone number to agree the pickup.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        # Lock the loans: a return registered meanwhile must not be reported again.
        locked = list(
            Loan.objects.select_for_update(of=("self",))
            .select_related("device")
            .filter(pk__in=[loan.pk for loan in loans])
            .order_by("pk")
        )
        if len({(loan.patient_id, loan.device.owner_id) for loan in locked}) != 1:
            raise InvalidInput({"loans": _("Report one patient's devices of one unit at a time.")})
        if any(loan.returned_at is not None for loan in locked):
            raise Conflict(_("A device in the request is already checked in at the unit."))
        if earlier := _open_request_of(locked):
            raise Conflict(
                _("These devices were already reported for return on %(date)s.")
                % {"date": timezone.localtime(earlier.requested_at).strftime("%d.%m.%Y")}
            )
        request = ReturnRequest.objects.create(
            patient_id=locked[0].patient_id,
            unit_id=locked[0].device.owner_id,
            method=method,
            reported_for=reported_for,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            address=address if method == ReturnMethod.PICKUP else "",
            note=note.strip(),
            requested_by=actor,
        )
        request.loans.set(locked)
        record_change(
            request,
            actor=actor,
            action=ChangeAction.CREATED,
            after={**snapshot(request, FIELDS), "loans": [loan.pk for loan in locked]},
        )
    return request


def schedule_pickup(
    request: ReturnRequest, *, actor: User, at: datetime.datetime | None, note: str = ""
) -> ReturnRequest:
    """The unit agrees the pickup time with the contact person (or moves it)."""
    if at is None:
        raise InvalidInput({"appointment": _("Give the date and time of the pickup.")})
    if timezone.is_naive(at):
        raise InvalidInput({"appointment": _("Give the time with its time zone.")})
    zone = country_time_zone(request.unit.country)
    if day_at(at, zone) < clock.today(zone):
        raise InvalidInput({"appointment": _("The pickup cannot be on a day that has passed.")})
    with transaction.atomic():
        request = ReturnRequest.objects.select_for_update().get(pk=request.pk)
        if request.method != ReturnMethod.PICKUP:
            raise Conflict(_("The devices are brought to the unit: there is no pickup to agree."))
        if not request.is_open:
            raise Conflict(
                _("The return is already %(status)s.") % {"status": request.get_status_display()}
            )
        values: dict[str, object] = {"appointment": at, "status": ReturnStatus.SCHEDULED}
        if note.strip():
            values["note"] = f"{request.note}\n{note.strip()}".strip()
        return save_changed(request, FIELDS, values, actor=actor)


def cancel_return(request: ReturnRequest, *, actor: User, reason: str) -> ReturnRequest:
    """The devices stay with the patient after all (reported by mistake, need again)."""
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the return is cancelled.")})
    with transaction.atomic():
        request = ReturnRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise Conflict(
                _("The return is already %(status)s.") % {"status": request.get_status_display()}
            )
        return save_changed(
            request,
            FIELDS,
            {
                "status": ReturnStatus.CANCELLED,
                "cancel_reason": reason.strip(),
                "closed_at": clock.now(),
            },
            actor=actor,
        )


def close_returned(loan: Loan, *, actor: User) -> None:
    """Called in the transaction that checks `loan` in: an open request is done once every
    device in it is back."""
    for request in ReturnRequest.objects.select_for_update(of=("self",)).filter(
        loans=loan, status__in=OPEN_RETURNS
    ):
        if not request.loans.filter(returned_at__isnull=True).exists():
            save_changed(
                request,
                FIELDS,
                {"status": ReturnStatus.DONE, "closed_at": clock.now()},
                actor=actor,
            )
