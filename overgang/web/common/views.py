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


def paginate(
    request: HttpRequest, items: Any, per_page: int, *, counted: tuple[int, bool] | None = None
) -> Page[Any]:
    """The page of `items` the request asks for (?page=), whose links keep the request's
    other parameters; `counted` is a count already made (capped: (count, more))."""
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
    """The input was refused: the status to answer with (422 bad input, 409 a state that
    forbids the change), and what to say at the top of the page ("" when everything that
    was wrong stands on the form's own fields)."""

    status: int
    message: str

    def shown_on(self, form: Form, field: str | None = None) -> int:
        """Say the message on the form itself (above its fields, or on `field`), for pages
        whose only place for it is the form; the status to answer with."""
        if self.message:
            form.add_error(field, self.message)
        return self.status


def attempt[T](
    write: Callable[[], T], form: Form | None = None, *, shown: bool = True
) -> T | Refused:
    """Run a writer for a page, the one way every page does it.

    - A form that refuses its own input never reaches the writer: its errors stand on its
      fields (422) and nothing changes.
    - The writer's InvalidInput lands on the form's fields (422).
    - The writer's Conflict, a state that forbids the change, comes back as a message (409).

    Where the page does not show the form again (`shown=False`: a button in a list or on
    another page) or there is no form, what was wrong comes back as one message instead.
    Anything else `write` raises (Http404, PermissionDenied) goes on as it is."""
    if form is not None and not form.is_valid():
        return Refused(422, "" if shown else _said(form))
    try:
        return write()
    except InvalidInput as error:
        if form is None or not shown:
            return Refused(422, "; ".join(error.errors.values()))
        form.add_input_errors(error)
        return Refused(422, "")
    except Conflict as error:
        return Refused(409, str(error))


def _said(form: Form) -> str:
    """A form's errors as one message, for a page that does not show the form."""
    return "; ".join(str(message) for errors in form.errors.values() for message in errors)


def run_step(
    request: AuthedRequest,
    render_page: Callable[..., HttpResponse],
    obj: Any,
    form: Form | None,
    write: Callable[[], Any],
    done: str,
    target: str,
) -> HttpResponse:
    """`attempt` for a form on an object's page: the page again with what was refused
    (`render_page(request, obj, form=, error=, status=)`), or back to the page (`target`)
    saying `done`."""
    outcome = attempt(write, form)
    if isinstance(outcome, Refused):
        return render_page(request, obj, form=form, error=outcome.message, status=outcome.status)
    messages.success(request, done)
    return redirect(target, pk=obj.pk)
