from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from overgang.audit.channel import channel


class ChannelMiddleware:
    """Marks everything a request changes or reads as coming from the API or a page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = "api" if request.path.startswith("/api/") else "page"
        with channel(f"{name}:{request.method} {request.path}"):
            return self.get_response(request)
