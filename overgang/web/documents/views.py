"""Printable documents: the loan slip and device labels, as PDF.

Only the unit that manages a device prints its papers; for anyone else the loan or the
device does not exist (404).
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from overgang.aids import documents
from overgang.aids.models import Device, Loan
from overgang.aids.states import DeviceStatus
from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.i18n import current_language
from overgang.organisations.permissions import MANAGE_DEVICES
from overgang.web.common.views import AuthedRequest, scoped_or_404

# A label sheet is printed for a shelf or a delivery, not for the whole depot at once.
MOST_LABELS = 500
SLIP_NAMES = {"nb": "laneseddel", "da": "udlaan"}


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _plain_error(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").removesuffix("/")


def _safe(text: str) -> str:
    """A serial number as a file name (no quotes or slashes in the header)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)


@login_required
def loan_slip(request: AuthedRequest, pk: int) -> HttpResponse:
    """The slip for a loan. `?lang=nb|da`; without it, or with a language the slip is not
    written in, the owner's usual language (Norwegian units nb, Danish units da)."""
    loan = scoped_or_404(
        Loan.objects.restrict(request.user, MANAGE_DEVICES).select_related(
            "device__aid_type", "device__owner__parent", "patient", "lent_by"
        ),
        pk=pk,
    )
    requested = request.GET.get("lang", "")
    language = next(
        (code for code in documents.LANGUAGES if code == requested),
        documents.default_language(loan.device.owner),
    )
    # The slip shows the patient's name and national ID: a read of the record.
    log_read(loan.patient, user=request.user, purpose=ReadPurpose.LOAN_SLIP)
    response = _pdf(
        documents.loan_slip(loan, language=language), f"{SLIP_NAMES[language]}-{loan.pk}.pdf"
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _layout(request: HttpRequest, default: documents.Layout) -> documents.Layout | None:
    requested = request.GET.get("layout") or default
    return next((layout for layout in documents.LAYOUTS if layout == requested), None)


def _unknown_layout() -> HttpResponseBadRequest:
    # A wrong layout would print across the edges of the labels: say so rather than guess.
    return _plain_error(
        _("Unknown label layout. Choose %(layouts)s.") % {"layouts": " or ".join(documents.LAYOUTS)}
    )


@login_required
def device_label(request: AuthedRequest, serial: str) -> HttpResponse:
    """One device's label: `?layout=roll62` (default, for a label printer) or `a4`."""
    device = scoped_or_404(
        Device.objects.restrict(request.user, MANAGE_DEVICES).select_related(
            "aid_type", "owner__parent"
        ),
        serial=serial,
    )
    layout = _layout(request, "roll62")
    if layout is None:
        return _unknown_layout()
    content = documents.device_labels([device], layout=layout, base_url=_base_url(request))
    return _pdf(content, f"etikett-{_safe(device.serial)}.pdf")


@login_required
def device_labels(request: AuthedRequest) -> HttpResponse:
    """Labels for several devices, in the order asked: `?serial=A&serial=B&layout=a4`
    (default a4). A serial the user does not manage is not found (404)."""
    serials = list(dict.fromkeys(s.strip() for s in request.GET.getlist("serial") if s.strip()))
    if not serials:
        return _plain_error(_("Choose at least one device (serial=…)."))
    if len(serials) > MOST_LABELS:
        return _plain_error(_("At most %(count)d labels at a time.") % {"count": MOST_LABELS})
    layout = _layout(request, "a4")
    if layout is None:
        return _unknown_layout()
    found = {
        device.serial: device
        for device in Device.objects.restrict(request.user, MANAGE_DEVICES)
        .filter(serial__in=serials)
        .select_related("aid_type", "owner__parent")
    }
    if len(found) != len(serials):
        raise Http404("No such device.")
    content = documents.device_labels(
        [found[serial] for serial in serials], layout=layout, base_url=_base_url(request)
    )
    return _pdf(content, "etiketter.pdf")


@login_required
@permission_required("aids.manage_device", raise_exception=True)
def label_sheet(request: AuthedRequest) -> HttpResponse:
    """Choose the devices for a sheet of labels (O8): the unit's devices that are not
    discarded, by type and serial, ticked and sent to `device_labels`. Serials, types and
    statuses only: no patient."""
    devices = (
        Device.objects.restrict(request.user, MANAGE_DEVICES)
        .exclude(status=DeviceStatus.DISCARDED)
        .select_related("aid_type")
        .order_by(f"aid_type__name_{current_language('nb')}", "serial")
    )
    context = {"devices": devices[:MOST_LABELS], "layouts": documents.LAYOUTS}
    return render(request, "devices/label_sheet.html", context)
