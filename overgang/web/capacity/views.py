"""Shared capacity (N11): every aids unit and depot of an agreement, for its network group,
its local contact committees (003 5.1, 6) and the superuser. Counts only: no patient, no
borrower, so no read is logged."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids.capacity import TREND_DAYS, CapacityRow, capacity, open_shortfalls, units_of
from overgang.organisations.network import capacity_agreements
from overgang.web.capacity.forms import SORTS, CapacityFilter
from overgang.web.capacity.tables import capacity_table
from overgang.web.exports.respond import exported

# The trend's drawing, in the SVG's own units.
WIDTH, HEIGHT = 112, 24


@dataclass
class Spark:
    points: str
    # A string: the template would write a float in the reader's locale ("15,3").
    minimum_y: str | None
    low: int
    high: int


def sparkline(row: CapacityRow) -> Spark | None:
    """The available count of the last weeks as a polyline's points (None: nothing to
    draw), and the minimum's height when the unit has one."""
    values = [(i, v) for i, v in enumerate(row.trend) if v is not None]
    if len(values) < 2:
        return None
    scale = [v for _, v in values] + ([row.minimum] if row.minimum is not None else [])
    low, high = min(scale), max(max(scale), 1)
    span = (high - low) or 1
    step = WIDTH / (len(row.trend) - 1)

    def y(v: int) -> float:
        return round(HEIGHT - 2 - (v - low) / span * (HEIGHT - 4), 1)

    points = " ".join(f"{round(i * step, 1)},{y(v)}" for i, v in values)
    minimum_y = str(y(row.minimum)) if row.minimum is not None else None
    return Spark(points, minimum_y, min(v for _, v in values), max(v for _, v in values))


def _sort_links(request: HttpRequest, sort: str) -> dict[str, dict[str, str]]:
    links = {}
    for key in SORTS:
        query = request.GET.copy()
        query.pop("format", None)
        query["sort"] = f"-{key}" if sort == key else key
        arrow = "▲" if sort == key else "▼" if sort == f"-{key}" else ""
        links[key.replace("-", "_")] = {"href": f"?{urlencode(query, doseq=True)}", "arrow": arrow}
    return links


@login_required
def capacity_overview(request: HttpRequest) -> HttpResponse:
    mine = capacity_agreements(request.user)
    chosen = request.GET.get("agreement") or (min(mine) if mine else "")
    if chosen not in mine:
        # An agreement whose capacity the user does not follow is not there for them.
        raise Http404
    choices = [(a.id, a.title) for a in sorted(mine.values(), key=lambda a: a.title)]
    form = CapacityFilter(request.GET, agreements=choices)
    if not form.is_valid():
        context = {"form": form, "rows": [], "agreement": mine[chosen], "many": len(mine) > 1}
        return render(request, "capacity/overview.html", context, status=422)
    aid_type = form.cleaned_data["aid_type"]
    units = units_of(mine[chosen])
    rows = capacity(units, today=clock.today(), aid_type=aid_type)
    if form.cleaned_data["below"]:
        rows = [r for r in rows if r.below_minimum]
    sort = form.cleaned_data["sort"] or "unit"
    key = SORTS[sort.lstrip("-")]
    # Rows without a minimum sort as if theirs were below every number.
    rows.sort(
        key=lambda r: (
            (getattr(r, key) is not None, getattr(r, key) or 0)
            if key == "minimum"
            else getattr(r, key)
        ),
        reverse=sort.startswith("-"),
    )
    export = exported(request, capacity_table(), rows, form=form)
    if export is not None:
        return export
    short = open_shortfalls([u.pk for u in units])
    names = {u.pk: u.name for u in units}
    shortfalls = [
        {"unit": names[owner], "shortfall": s}
        for (owner, _kind), s in sorted(short.items(), key=lambda item: item[1].since)
        if aid_type is None or s.aid_type_id == aid_type.pk
    ]
    context = {
        "form": form,
        "agreement": mine[chosen],
        "many": len(mine) > 1,
        "units": units,
        "rows": [(row, sparkline(row), short.get((row.owner_id, row.aid_type_id))) for row in rows],
        "shortfalls": shortfalls,
        "sort": sort,
        "sort_links": _sort_links(request, sort),
        "trend_days": TREND_DAYS,
        "width": WIDTH,
        "height": HEIGHT,
        "no_rows": _("No unit of this agreement has devices of this type."),
    }
    return render(request, "capacity/overview.html", context)
