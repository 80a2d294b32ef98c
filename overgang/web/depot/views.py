"""The depot overview page and its CSV export (N11): one filter, two formats."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.aids import actions
from overgang.aids.access import managing_units
from overgang.aids.models import DeviceStatus
from overgang.aids.overview import depot_overview
from overgang.organisations.models import Organisation
from overgang.web.common.views import AuthedRequest, Refused, attempt
from overgang.web.depot.forms import MinimumForm
from overgang.web.depot.tables import depot_table
from overgang.web.exports.respond import export_as, exported


def _units(request: HttpRequest) -> tuple[list[Organisation], list[Organisation], str]:
    """The units the user manages, and those the `unit` filter picks among them."""
    units = sorted(managing_units(request.user), key=lambda u: u.name)
    chosen = request.GET.get("unit", "")
    picked = [u for u in units if u.key == chosen] if chosen else units
    return units, picked, chosen


@login_required
@permission_required("aids.manage_device", raise_exception=True)
def depot(
    request: HttpRequest, *, form: MinimumForm | None = None, status: int = 200
) -> HttpResponse:
    units, picked, chosen = _units(request)
    rows = depot_overview(picked)
    export = exported(request, depot_table(), rows)
    if export is not None:
        return export
    # Each count beside its status's name: on a phone the cells stack and say what they are.
    labels = dict(DeviceStatus.choices)
    context = {
        "units": units,
        "chosen": chosen,
        "rows": rows,
        "table": [(row, [(labels[s], n) for s, n in row.counts.items()]) for row in rows],
        "statuses": DeviceStatus.choices,
        "minimum_form": form or MinimumForm(),
    }
    return render(request, "depot/overview.html", context, status=status)


@login_required
@permission_required("aids.manage_device", raise_exception=True)
@require_POST
def depot_minimum(request: AuthedRequest) -> HttpResponse:
    units, _picked, _chosen = _units(request)
    unit = next((u for u in units if u.key == request.POST.get("unit")), None)
    if unit is None and len(units) == 1:
        unit = units[0]
    form = MinimumForm(request.POST)
    if unit is None:
        form.add_error(None, _("Choose the unit."))
    if unit is None:
        return depot(request, form=form, status=422)
    outcome = attempt(
        lambda: actions.set_stock_minimum(
            unit,
            form.cleaned_data["aid_type"],
            actor=request.user,
            minimum=form.cleaned_data["minimum"],
        ),
        form,
    )
    if isinstance(outcome, Refused):
        return depot(request, form=form, status=outcome.shown_on(form))
    messages.success(request, _("The minimum is saved."))
    return redirect(f"{reverse('depot')}?unit={unit.key}")


@login_required
@permission_required("aids.manage_device", raise_exception=True)
def depot_csv(request: HttpRequest) -> HttpResponse:
    """The overview's first export address, kept: the CSV every list exports."""
    _, picked, _ = _units(request)
    return export_as(request, "csv", depot_table(), depot_overview(picked))
