"""Responses the pages and the API give alike, so that neither imports the other."""

from __future__ import annotations

from django.http import HttpResponse

from overgang.aids.models import UserManual


def manual_response(manual: UserManual) -> HttpResponse:
    """The manual's PDF, shown in the browser (it is printed or handed over from there)."""
    response = HttpResponse(bytes(manual.content), content_type="application/pdf")
    name = manual.filename.replace('"', "")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
