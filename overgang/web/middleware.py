import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from overgang.organisations.permissions import memberships_of

ZONES = {"NO": zoneinfo.ZoneInfo("Europe/Oslo"), "DK": zoneinfo.ZoneInfo("Europe/Copenhagen")}


class UserTimezoneMiddleware:
    """Show times in the zone of the country the user works in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        memberships = memberships_of(request.user)
        if memberships:
            timezone.activate(ZONES[memberships[0].organisation.country])
        else:
            timezone.deactivate()
        return self.get_response(request)
