"""The page shown when a page fails (500): branded, translated, with the menu; or, when the
database cannot be reached, the 503 of overgang.unavailable (JSON under /api/).

It is drawn after something has already gone wrong, perhaps in the database or in a template,
so it asks for as little as it can: no data of the failed page, and if even the menu cannot
be drawn (it reads the user and their permissions), the same page without the request.
"""

from __future__ import annotations

import logging
import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token

from overgang import unavailable

TEMPLATE = "500.html"

logger = logging.getLogger(__name__)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the error, which is still the one in flight here.
    if unavailable.is_unavailable(sys.exception()):
        return unavailable.response_for(request)
    try:
        return HttpResponseServerError(loader.render_to_string(TEMPLATE, request=request))
    except Exception:
        logger.exception("The error page could not be drawn with its menu")
    try:
        # Without the request: no user, no menu, no database.
        return HttpResponseServerError(loader.render_to_string(TEMPLATE))
    except Exception:
        logger.exception("The error page could not be drawn")
    title = escape(gettext("Something went wrong"))
    return HttpResponseServerError(
        f"<!doctype html><title>{title} · Overgang</title><h1>Overgang</h1><p>{title}</p>"
    )
