"""GET /metrics for Prometheus. No login, no session, no read log: it shows counts and
ages, nothing of a patient. Anyone the access rule does not know gets the site's 404, as
for an address that does not exist: the page does not admit that it is there."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from overgang.web.metrics import scrape
from overgang.web.metrics.access import may_read_metrics


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not may_read_metrics(request):
        raise Http404
    return HttpResponse(scrape.exposition(), content_type=CONTENT_TYPE_LATEST)
