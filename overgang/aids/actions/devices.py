"""Devices: registering, the status machine's one writer (`_move`), reprocessing, discarding."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from overgang.aids.models import AidType, Device, DeviceStatus, DeviceTransition, StockMinimum
from overgang.audit.channel import current_channel
from overgang.audit.history import record_change, save_changed
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import Kind, Organisation

DEVICE_OWNERS = frozenset({Kind.AIDS_UNIT, Kind.AID_DEPOT, Kind.PRIVATE_HOSPITAL})


def _move(
    device: Device,
    new: str,
    *,
    actor: User,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    """Change a locked device's status and write its history row in the same transaction."""
    old = device.status
    if not DeviceStatus.may_move(old, new):
        raise Conflict(
            _("The device is %(old)s and cannot become %(new)s.")
            % {"old": device.get_status_display(), "new": DeviceStatus(new).label}
        )
    device.status = new
    Device.objects.filter(pk=device.pk).update(status=new)
    DeviceTransition.objects.create(
        device=device,
        old=old,
        new=new,
        reason=reason,
        details=details or {},
        actor=actor,
        channel=current_channel(),
    )


def lock_devices(devices: Sequence[Device]) -> list[Device]:
    """The devices read afresh and locked, in the order given. Rows are locked in the order
    of their ids: two clerks may lend the same unit at once, and two sets that share a
    device must not wait for each other in a circle."""
    locking = Device.objects.select_for_update(of=("self",)).select_related("aid_type")
    if len(devices) == 1:
        return [locking.get(pk=devices[0].pk)]
    locked = {d.pk: d for d in locking.filter(pk__in=[d.pk for d in devices]).order_by("pk")}
    return [locked[d.pk] for d in devices]


def _locked(device: Device) -> Device:
    (locked,) = lock_devices([device])
    return locked


def _part_names(therapy: AidType) -> list[str]:
    names = {t.slug: t.name for t in AidType.objects.filter(slug__in=therapy.parts)}
    return [names.get(slug, slug) for slug in therapy.parts]


def register_device(
    *, actor: User, aid_type: str, serial: str, owner: Organisation, location: str = ""
) -> Device:
    errors: dict[str, str] = {}
    kind = AidType.objects.filter(slug=aid_type).first()
    if kind is None:
        errors["aid_type"] = _("Unknown aid type: %(slug)s.") % {"slug": aid_type}
    elif kind.is_therapy:
        errors["aid_type"] = _(
            "%(therapy)s is lent as its parts: register each device (%(parts)s) on its own."
        ) % {"therapy": kind.name, "parts": ", ".join(_part_names(kind))}
    serial = (serial or "").strip()
    if not serial:
        errors["serial"] = _("Enter the serial number.")
    if owner.kind not in DEVICE_OWNERS:
        errors["owner"] = _("%(name)s does not lend aids.") % {"name": owner}
    if errors or kind is None:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            device = Device.objects.create(
                serial=serial, aid_type=kind, owner=owner, location=location.strip()
            )
            DeviceTransition.objects.create(
                device=device,
                old="",
                new=device.status,
                reason=_("registered"),
                actor=actor,
                channel=current_channel(),
            )
    except IntegrityError:
        raise Conflict(
            _("A device with the serial number %(serial)s is already registered.")
            % {"serial": serial}
        ) from None
    return device


CHECK_RESULTS = ("passed", "failed")


def reprocess_device(
    device: Device,
    *,
    actor: User,
    technical_check: str,
    disinfection: str = "",
    batch: str = "",
    reason: str = "",
) -> Device:
    """Technical check and infection control after a return (O7). Passed: available again.
    Failed: to repair."""
    errors: dict[str, str] = {}
    if technical_check not in CHECK_RESULTS:
        errors["technical_check"] = _("The technical check is passed or failed.")
    if technical_check == "passed" and not disinfection.strip():
        errors["disinfection"] = _("Say how the device was disinfected.")
    if errors:
        raise InvalidInput(errors)
    details = {"technical_check": technical_check, "disinfection": disinfection.strip()}
    if batch.strip():
        details["batch"] = batch.strip()
    with transaction.atomic():
        device = _locked(device)
        if technical_check == "failed":
            _move(device, DeviceStatus.IN_REPAIR, actor=actor, reason=reason, details=details)
            return device
        if device.status != DeviceStatus.REPROCESSING:
            _move(device, DeviceStatus.REPROCESSING, actor=actor, reason=reason, details=details)
        _move(device, DeviceStatus.AVAILABLE, actor=actor, reason=reason, details=details)
    return device


def reserve_device(device: Device, *, actor: User, reason: str, details: dict[str, Any]) -> Device:
    """Hold an available device for one patient (a granted requisition, U1): nobody else
    borrows it until it is lent to them or released. Call inside the caller's transaction."""
    device = _locked(device)
    _move(device, DeviceStatus.RESERVED, actor=actor, reason=reason, details=details)
    return device


def release_device(device: Device, *, actor: User, reason: str) -> Device:
    """A reservation ends without a loan: the device is available again."""
    device = _locked(device)
    if device.status == DeviceStatus.RESERVED:
        _move(device, DeviceStatus.AVAILABLE, actor=actor, reason=reason)
    return device


def discard_device(device: Device, *, actor: User, reason: str) -> Device:
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the device is discarded.")})
    with transaction.atomic():
        device = _locked(device)
        _move(device, DeviceStatus.DISCARDED, actor=actor, reason=reason.strip())
    return device


def set_stock_minimum(
    unit: Organisation, aid_type: AidType, *, actor: User, minimum: int | None
) -> StockMinimum | None:
    """How many available units of a type the unit wants on its shelves (N11); None: no
    minimum any more."""
    if minimum is not None and minimum < 0:
        raise InvalidInput({"minimum": _("The minimum is 0 or more.")})
    if unit.kind not in DEVICE_OWNERS:
        raise InvalidInput({"unit": _("%(name)s does not lend aids.") % {"name": unit}})
    with transaction.atomic():
        found = StockMinimum.objects.select_for_update().filter(owner=unit, aid_type=aid_type)
        current = found.first()
        before = {"minimum": current.minimum} if current else {}
        if minimum is None:
            if current is not None:
                record_change(current, actor=actor, action=ChangeAction.DELETED, before=before)
                current.delete()
            return None
        if current is None:
            try:
                with transaction.atomic():
                    current = StockMinimum.objects.create(
                        owner=unit, aid_type=aid_type, minimum=minimum
                    )
            except IntegrityError:
                raise Conflict(
                    _("Someone set this minimum at the same moment. Look again and repeat.")
                ) from None
            record_change(
                current, actor=actor, action=ChangeAction.CREATED, after={"minimum": minimum}
            )
            return current
        return save_changed(current, ("minimum",), {"minimum": minimum}, actor=actor)
