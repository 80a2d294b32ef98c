"""The indicators page (issue 20, N12, U8): each indicator's figures by month, as a chart
(static/overgang/indicators.js draws it from a JSON data block) and as a table under it
that works without script, with its definition and what the agreement says of it. Counts
only: no patient is shown, so no read is logged. An agreement outside the user's scope is
not there (404)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from overgang.aids.models.catalogue import AidCategory
from overgang.i18n import current_language
from overgang.indicators.actions import last_refreshed
from overgang.indicators.compute import Filter, Indicator
from overgang.indicators.definitions import SHARE
from overgang.indicators.scope import agreements_seen, stays_seen
from overgang.indicators.table import read
from overgang.indicators.window import default_window
from overgang.organisations.models import Kind, Organisation
from overgang.rules.transitions import duty_name
from overgang.stays.models import Stay
from overgang.web.common.forms import ServiceDateField
from overgang.web.common.views import AuthedRequest
from overgang.web.exports.respond import exported
from overgang.web.indicators import tables


class IndicatorFilter(forms.Form):
    agreement = forms.ChoiceField(label=gettext_lazy("Agreement"))
    hospital = forms.ChoiceField(label=gettext_lazy("Hospital"), required=False)
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"), required=False)
    first = ServiceDateField(
        label=gettext_lazy("From month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    last = ServiceDateField(
        label=gettext_lazy("To month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    aid_group = forms.ChoiceField(label=gettext_lazy("Aid group"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            self.add_error("first", _("The first month must not be after the last."))
        return data


def _last_day(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )


def _shown(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == SHARE:
        return f"{value * 100:.1f} %".replace(".", "," if current_language() != "en" else ".")
    return f"{value:.1f}".replace(".", "," if current_language() != "en" else ".")


def _view_of(one: Indicator, agreement_id: str, language: str) -> dict[str, Any]:
    title, text = one.definition.said(language)
    numerator, denominator = one.definition.counted(language)
    unit = one.definition.unit
    return {
        "numerator_label": numerator,
        "denominator_label": denominator,
        "key": one.key,
        "title": title,
        "text": text,
        "unit": unit,
        "cites": ", ".join(one.definition.cites_for(agreement_id)),
        "total": one.total,
        "total_shown": _shown(one.total.value, unit),
        "months": [
            {"month": month, "figures": figures, "shown": _shown(figures.value, unit)}
            for month, figures in one.months
        ],
        "parts": [
            {
                "name": duty_name(duty, language),
                "figures": figures,
                "shown": _shown(figures.value, unit),
            }
            for duty, figures in one.parts
        ],
        "chart": {
            "key": one.key,
            "title": title,
            "unit": unit,
            "labels": [f"{month:%Y-%m}" for month, _f in one.months],
            "values": [
                None
                if figures.value is None
                else round(figures.value * 100, 1)
                if unit == SHARE
                else figures.value
                for _m, figures in one.months
            ],
        },
    }


def _with_choices(
    form: IndicatorFilter, seen: dict[str, Any], hospitals: Any, municipalities: Any
) -> IndicatorFilter:
    form.fields["agreement"].choices = [(a.id, a.title) for a in seen.values()]  # type: ignore[attr-defined]
    form.fields["aid_group"].choices = [("", _("All aids")), *AidCategory.choices]  # type: ignore[attr-defined]
    form.fields["hospital"].choices = [("", _("All")), *((o.key, o.name) for o in hospitals)]  # type: ignore[attr-defined]
    form.fields["municipality"].choices = [  # type: ignore[attr-defined]
        ("", _("All")),
        *((o.key, o.name) for o in municipalities),
    ]
    return form


@login_required
def indicators(request: AuthedRequest) -> HttpResponse:
    seen = agreements_seen(request.user)
    if not seen:
        raise Http404
    asked = request.GET.get("agreement") or next(iter(seen))
    if asked not in seen:
        raise Http404
    agreement = seen[asked]
    stays = stays_seen(request.user, agreement.id)
    if stays is None:
        raise Http404
    # The hospitals and municipalities among the stays seen.
    of_stays = Stay.objects.filter(stays)
    hospitals = Organisation.objects.filter(
        kind=Kind.HOSPITAL, pk__in=of_stays.values("hospital")
    ).order_by("name")
    municipalities = Organisation.objects.filter(
        kind=Kind.MUNICIPALITY, pk__in=of_stays.values("municipality")
    ).order_by("name")
    form = _with_choices(IndicatorFilter(request.GET or None), seen, hospitals, municipalities)
    first, last = default_window(agreement)
    chosen: dict[str, Any] = {}
    if form.is_bound and not form.is_valid():
        status = 422
        found: list[Indicator] = []
    else:
        status = 200
        chosen = form.cleaned_data if form.is_bound else {}
        first = chosen.get("first") or first.replace(day=1)
        last = _last_day(chosen["last"]) if chosen.get("last") else last
        hospital = {o.key: o.pk for o in hospitals}.get(chosen.get("hospital") or "")
        municipality = {o.key: o.pk for o in municipalities}.get(chosen.get("municipality") or "")
        found = read(
            Filter(
                agreement,
                stays,
                first,
                last,
                hospital=hospital,
                municipality=municipality,
                aid_group=chosen.get("aid_group") or "",
            )
        )
    language = current_language()
    shown = [_view_of(one, agreement.id, language) for one in found]
    rows = [
        {
            "title": one["title"],
            "month": f"{m['month']:%Y-%m}",
            "numerator": m["figures"].numerator,
            "denominator": m["figures"].denominator,
            "value": m["figures"].value,
            "cites": one["cites"],
        }
        for one in shown
        for m in one["months"]
    ]
    export = exported(request, tables.INDICATORS, rows, form=form)
    if export is not None:
        return export
    if not form.is_bound:
        initial = {"agreement": agreement.id, "first": first, "last": last}
        form = _with_choices(IndicatorFilter(initial=initial), seen, hospitals, municipalities)
    context = {
        "form": form,
        "agreement": agreement,
        "indicators": shown,
        "charts": [one["chart"] for one in shown],
        "first": first,
        "last": last,
        "refreshed_at": last_refreshed(agreement.id),
    }
    return render(request, "indicators/indicators.html", context, status=status)
