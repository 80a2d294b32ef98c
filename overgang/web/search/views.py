"""The header's search: a page of results grouped by kind, and, while typing, suggestions
(the same search, fewer of each kind, as an htmx fragment). Both log the patients they show."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from overgang.web.common.views import AuthedRequest
from overgang.web.search.forms import SearchForm
from overgang.web.search.found import find, log_shown

SUGGESTED = 5  # of each kind, under the box
LISTED = 25  # of each kind, on the results page
SUGGESTIONS_TARGET = "header-suggestions"


@login_required
def search(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("patients.view_patient"):
        raise PermissionDenied
    suggesting = bool(request.htmx) and request.htmx.target == SUGGESTIONS_TARGET
    asked = "q" in request.GET
    form = SearchForm(request.GET if asked else None)
    found = None
    if form.is_valid():
        found = find(
            request.user, form.cleaned_data["q"], limit=SUGGESTED if suggesting else LISTED
        )
        log_shown(request.user, found, what=request.get_full_path())
    context = {"form": form, "found": found, "text": request.GET.get("q", "").strip()}
    if suggesting:
        # htmx swaps only a 2xx answer: a problem is said in the fragment, with 200.
        return render(request, "search/_suggestions.html", context)
    status = 422 if form.errors else 200
    return render(request, "search/results.html", context, status=status)
