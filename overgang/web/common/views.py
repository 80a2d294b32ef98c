"""What every page shares: the request a logged-in page sees, and paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django_htmx.middleware import HtmxDetails

from overgang.errors import Conflict, InvalidInput


class AuthedRequest(HttpRequest):
    """What a page behind login_required sees (django-htmx adds `htmx`)."""

    user: User
    htmx: HtmxDetails


class CountedPaginator(Paginator):
    """A paginator told its count (a capped one: `more` says there are more) instead of
    counting everything itself."""

    def __init__(self, object_list: Any, per_page: int, *, count: int, more: bool) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count
        self.more = more

    @cached_property
    def count(self) -> int:
        return self.known_count

    def page(self, number: Any) -> Page:
        """A full page also at the end of a capped count: its rows are there."""
        if not self.more:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return Page(self.object_list[bottom : bottom + self.per_page], number, self)


def _page(
    request: HttpRequest, items: Any, per_page: int, *, counted: tuple[int, bool] | None = None
) -> Page:
    paginator = (
        Paginator(items, per_page)
        if counted is None
        else CountedPaginator(items, per_page, count=counted[0], more=counted[1])
    )
    page = paginator.get_page(request.GET.get("page"))
    # The pager's links keep the search and the sort order.
    query = request.GET.copy()
    query.pop("page", None)
    page.query = query.urlencode()  # type: ignore[attr-defined]
    return page


def _on_page(
    request: AuthedRequest,
    render_page: Callable[..., HttpResponse],
    obj: Any,
    form: Any,
    write: Callable[[], Any],
    done: str,
    target: str,
) -> HttpResponse:
    """Run a writer for a form: its errors on the form (422), a state that forbids it as a
    message (409), or back to the page with `done`."""
    try:
        write()
    except InvalidInput as error:
        form.add_input_errors(error)
        return render_page(request, obj, form=form, status=422)
    except Conflict as error:
        return render_page(request, obj, form=form, error=str(error), status=409)
    messages.success(request, done)
    return redirect(target, pk=obj.pk)
