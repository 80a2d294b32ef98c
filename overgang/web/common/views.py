"""What every page shares: the request a logged-in page sees, paging, finding an object
within what the user may see, and running a writer with its refusals shown on the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django_htmx.middleware import HtmxDetails

from overgang.errors import Conflict, InvalidInput
from overgang.web.common.forms import Form


class AuthedRequest(HttpRequest):
    """What a page behind login_required sees (django-htmx adds `htmx`)."""

    user: User
    htmx: HtmxDetails


class CountedPaginator(Paginator[Any]):
    """A paginator told its count (a capped one: `more` says there are more) instead of
    counting everything itself."""

    def __init__(self, object_list: Any, per_page: int, *, count: int, more: bool) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count
        self.more = more

    @cached_property
    def count(self) -> int:
        return self.known_count

    def page(self, number: Any) -> Page[Any]:
        """A full page also at the end of a capped count: its rows are there."""
        if not self.more:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return Page(self.object_list[bottom : bottom + self.per_page], number, self)


def _page(
    request: HttpRequest, items: Any, per_page: int, *, counted: tuple[int, bool] | None = None
) -> Page[Any]:
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


def scoped_or_404[M: Model](queryset: QuerySet[M], **lookup: Any) -> M:
    """The object `lookup` names within a queryset already restricted to what the user may
    see; 404 when it is not there, so that what exists and what is hidden look the same."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Refused:
    """A writer said no: the status to answer with, and what to say at the top of the page
    ("" when the errors stand on the form's fields)."""

    status: int
    message: str


def attempt[T](write: Callable[[], T], form: Form | None = None) -> T | Refused:
    """Run a writer. Bad input lands on the form's fields (422; without a form, as one
    message); a state that forbids the change comes back as a message (409)."""
    try:
        return write()
    except InvalidInput as error:
        if form is None:
            return Refused(422, "; ".join(error.errors.values()))
        form.add_input_errors(error)
        return Refused(422, "")
    except Conflict as error:
        return Refused(409, str(error))


def run_step(
    request: AuthedRequest,
    render_page: Callable[..., HttpResponse],
    obj: Any,
    form: Form | None,
    write: Callable[[], Any],
    done: str,
    target: str,
) -> HttpResponse:
    """Run a writer for a form on an object's page: the page again with what was refused,
    or back to the page (`target`) saying `done`."""
    outcome = attempt(write, form)
    if isinstance(outcome, Refused):
        return render_page(request, obj, form=form, error=outcome.message, status=outcome.status)
    messages.success(request, done)
    return redirect(target, pk=obj.pk)
