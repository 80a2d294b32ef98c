"""Paging the API's lists: `limit` and `offset` query parameters on every list that answers a
plain JSON array (docs/contracts/api.md, "Paging").

One rule for all: `limit` from 1 to the list's largest page, which is 100, or the list's own
cap where it already had a larger one (the stays and the directory 500, the deadlines 200,
the access log 1000); without `limit` a list answers what it answered before paging existed
(its cap, or every row). `offset` from 0. The bounds are declared in the schema, so that the
OpenAPI document states them and a bad value is a 422 naming the field before any query.

Each list keeps a total order (its id last) so that consecutive pages neither overlap nor
skip, and is sliced before it is evaluated: the database reads the page, and the read log
(`read_list`) logs the patients of the page only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, overload

from django.db.models import Model, QuerySet
from ninja import Field, Schema

from overgang.api.inputs import BIGINT_MAX

# The largest page of a list that had no cap of its own.
LARGEST_PAGE = 100

OFFSET_DESCRIPTION = "How many rows of the list to skip before the page."


def _limit_description(cap: int | None) -> str:
    before = f"the first {cap}" if cap is not None else "every row"
    return f"How many rows to answer at most; without it, {before}."


class Page(Schema):
    """A list without a cap of its own: pages of 1 to 100 rows; every row without `limit`."""

    limit: Annotated[int, Field(ge=1, le=LARGEST_PAGE)] | None = Field(
        None, description=_limit_description(None)
    )
    offset: Annotated[int, Field(ge=0, le=BIGINT_MAX)] = Field(0, description=OFFSET_DESCRIPTION)


class PageOf200(Page):
    """The deadlines' worklist, capped at 200 before paging."""

    limit: Annotated[int, Field(ge=1, le=200)] = Field(200, description=_limit_description(200))


class PageOf500(Page):
    """The stays and the directory of organisations, capped at 500 before paging."""

    limit: Annotated[int, Field(ge=1, le=500)] = Field(500, description=_limit_description(500))


class PageOf1000(Page):
    """The access log of a patient, capped at 1000 reads before paging."""

    limit: Annotated[int, Field(ge=1, le=1000)] = Field(1000, description=_limit_description(1000))


@overload
def page[M: Model](rows: QuerySet[M], params: Page) -> QuerySet[M]: ...


@overload
def page[T](rows: Sequence[T], params: Page) -> Sequence[T]: ...


def page(rows: Any, params: Page) -> Any:
    """The rows of the page `params` asks for: a queryset stays unevaluated (the database
    reads only the page); a list computed in Python (a worklist built row by row) is cut."""
    end = None if params.limit is None else params.offset + params.limit
    return rows[params.offset : end]
