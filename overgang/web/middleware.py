from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from overgang.organisations.permissions import memberships_of
from overgang.rules.clock import country_time_zone


class UserTimezoneMiddleware:
    """Show times in the zone of the agreements of the country the user works in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        memberships = memberships_of(request.user)
        if memberships:
            timezone.activate(country_time_zone(memberships[0].organisation.country))
        else:
            timezone.deactivate()
        return self.get_response(request)
