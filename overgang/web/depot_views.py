"""The depot overview page and its CSV export (N11): one filter, two formats."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from overgang.aids.access import managing_units
from overgang.aids.models import DeviceStatus
from overgang.aids.overview import depot_overview, overview_csv
from overgang.organisations.models import Organisation


def _units(request: HttpRequest) -> tuple[list[Organisation], list[Organisation], str]:
    """The units the user manages, and those the `unit` filter picks among them."""
    units = sorted(managing_units(request.user), key=lambda u: u.name)
    chosen = request.GET.get("unit", "")
    picked = [u for u in units if u.key == chosen] if chosen else units
    return units, picked, chosen


@login_required
@permission_required("aids.manage_device", raise_exception=True)
def depot(request: HttpRequest) -> HttpResponse:
    units, picked, chosen = _units(request)
    context = {
        "units": units,
        "chosen": chosen,
        "rows": depot_overview(picked),
        "statuses": DeviceStatus.choices,
    }
    return render(request, "depot/overview.html", context)


@login_required
@permission_required("aids.manage_device", raise_exception=True)
def depot_csv(request: HttpRequest) -> HttpResponse:
    _, picked, _ = _units(request)
    response = HttpResponse(overview_csv(depot_overview(picked)), content_type="text/csv")
    name = f"depot-{datetime.date.today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
