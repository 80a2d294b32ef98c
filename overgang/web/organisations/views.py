"""The organisation register: hospitals, municipalities, units and their catchment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from overgang.organisations.catchment import catchment_of
from overgang.organisations.filters import filter_organisations
from overgang.organisations.models import Organisation
from overgang.web.common.views import AuthedRequest, paginate
from overgang.web.exports.respond import exported
from overgang.web.organisations import tables
from overgang.web.organisations.forms import (
    OrganisationSearchForm,
)


@login_required
def organisation_list(request: AuthedRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    organisations = filter_organisations(
        Organisation.objects.select_related("parent"),
        q=data.get("q", ""),
        kind=data.get("kind", ""),
        country=data.get("country", ""),
    ).order_by("name", "id")
    export = exported(request, tables.ORGANISATIONS, organisations, form=form)
    if export is not None:
        return export
    context = {
        "form": form,
        "page": paginate(request, organisations, 50),
    }
    return render(request, "organisations/list.html", context)


@login_required
def organisation_detail(request: AuthedRequest, key: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), key=key)
    context = {
        "organisation": organisation,
        "ancestors": organisation.ancestors_and_self()[1:],
        "children": organisation.children.order_by("kind", "name"),
        "catchment": catchment_of(organisation),
    }
    return render(request, "organisations/detail.html", context)
