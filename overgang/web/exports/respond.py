"""Answering a list's `?format=csv|xlsx|print`: the whole filtered list (up to CAP rows),
each patient on it logged as read for an export, in the format asked for."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from overgang import clock
from overgang.audit.history import log_rows
from overgang.audit.models import ReadPurpose
from overgang.web.exports.cells import print_cell
from overgang.web.exports.table import Table
from overgang.web.exports.writers import csv_bytes, xlsx_bytes

FORMATS = ("csv", "xlsx", "print")
# The most rows an export holds: beyond it the file says it was cut, and the page asks for
# a narrower filter. Ten thousand rows is a long afternoon's reading, a second's writing.
CAP = 10_000

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The query parameters that are not filters: the page, the format, the refresh, the order.
_NOT_FILTERS = ("page", "format", "partial", "sort")


# The names of the filters lists take without a form, as the print view's title says them.
_PARAMETERS = {
    "show": gettext_lazy("Show"),
    "month": gettext_lazy("Month"),
    "unit": gettext_lazy("Unit"),
    "municipality": gettext_lazy("Municipality"),
}


def asked(request: HttpRequest) -> bool:
    """Does the request ask for an export (a `format` parameter, valid or not)?"""
    return "format" in request.GET


def exported(
    request: HttpRequest,
    table: Table,
    rows: Iterable[Any],
    *,
    form: forms.Form | None = None,
    filters: Sequence[tuple[str, str]] | None = None,
) -> HttpResponse | None:
    """The export the request asks for, or None when it asks for none (the page then shows
    itself). `rows`: the whole filtered list, as the page lists it; `form`: the page's
    filter form, whose fields name the filter in the print view's title (or `filters`:
    label and value pairs)."""
    if not asked(request):
        return None
    return export_as(
        request, request.GET.get("format", ""), table, rows, form=form, filters=filters
    )


def export_as(
    request: HttpRequest,
    kind: str,
    table: Table,
    rows: Iterable[Any],
    *,
    form: forms.Form | None = None,
    filters: Sequence[tuple[str, str]] | None = None,
) -> HttpResponse:
    """The list in the format `kind` (an address that is itself an export, as the depot
    overview's `overview.csv`, names its format)."""
    if kind not in FORMATS:
        return unknown_format(request)
    if form is not None and form.is_bound and not form.is_valid():
        return refused(
            request, _("The filter is not valid: %(errors)s") % {"errors": _errors(form)}
        )
    if isinstance(rows, QuerySet):
        # A query sliced is a LIMIT: iterating the whole query would read every row first.
        rows = rows[: CAP + 1]
    taken = list(islice(iter(rows), CAP + 1))
    capped = len(taken) > CAP
    del taken[CAP:]
    if table.patient is not None:
        log_rows(
            taken,
            user=request.user,  # type: ignore[arg-type]
            patient=table.patient,
            purpose=ReadPurpose.EXPORT,
            what=request.get_full_path()[:200],
        )
    values = [table.values(row) for row in taken]
    shown = list(filters) if filters is not None else described(request, form)
    if kind == "print":
        return _printed(request, table, values, shown, capped)
    name = f"{table.name}-{clock.today().isoformat()}.{kind}"
    headings = table.headings()
    if capped:
        values.append([_capped_note()])
    if kind == "csv":
        response = HttpResponse(csv_bytes(headings, values), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_bytes(str(table.title), headings, values), content_type=XLSX_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _capped_note() -> str:
    return _("Only the first %(cap)s rows: narrow the filter to export the rest.") % {
        "cap": f"{CAP:,}".replace(",", " ")
    }


def _errors(form: forms.Form) -> str:
    return "; ".join(
        f"{form.fields[name].label or name}: {' '.join(str(e) for e in errors)}"
        if name in form.fields
        else " ".join(str(e) for e in errors)
        for name, errors in form.errors.items()
    )


def described(request: HttpRequest, form: forms.Form | None) -> list[tuple[str, str]]:
    """The filter as the title names it: the form's fields with their labels and the
    choices' labels; without a form, the query's parameters as they are."""
    if form is not None and form.is_bound and form.is_valid():
        shown = []
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name)
            if name in _NOT_FILTERS or value in (None, "", [], False):
                continue
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                value = dict(field.choices).get(value, value)  # type: ignore[arg-type]
            shown.append((str(field.label or name), print_cell(value)))
        return shown
    return [
        (str(_PARAMETERS.get(key, key)), str(value))
        for key, value in request.GET.items()
        if key not in _NOT_FILTERS and value
    ]


def _printed(
    request: HttpRequest,
    table: Table,
    values: list[list[Any]],
    filters: list[tuple[str, str]],
    capped: bool,
) -> HttpResponse:
    context = {
        "title": table.title,
        "headings": table.headings(),
        "rows": [[print_cell(value) for value in row] for row in values],
        "filters": filters,
        "printed_at": timezone.localtime(clock.now()),
        "time_zone": timezone.get_current_timezone_name(),
        "capped": capped,
        "cap": CAP,
        "back": _without_format(request),
    }
    return render(request, "exports/print.html", context)


def _without_format(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def unknown_format(request: HttpRequest, formats: Sequence[str] = FORMATS) -> HttpResponse:
    kind = request.GET.get("format", "")
    return refused(
        request,
        _("“%(format)s” is not an export format: ask for %(formats)s.")
        % {"format": kind, "formats": ", ".join(formats)},
    )


def refused(request: HttpRequest, message: str) -> HttpResponse:
    """422: the export asked for cannot be made; the page says why and links back."""
    return render(
        request,
        "exports/refused.html",
        {"message": message, "back": _without_format(request)},
        status=422,
    )
