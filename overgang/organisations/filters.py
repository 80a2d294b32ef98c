"""One filter for the organisation directory: the page and the API use the same."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from overgang.organisations.models import Kind, Organisation


def filter_organisations(
    organisations: QuerySet[Organisation], *, q: str = "", kind: str = "", country: str = ""
) -> QuerySet[Organisation]:
    """By words in the name, by official number or HER-/SOR-id, by kind and by country."""
    for word in q.split():
        organisations = organisations.filter(
            Q(name__icontains=word)
            | Q(number=word)
            | Q(her_id=word)
            | Q(sor_id=word)
            | Q(parent__name__icontains=word)
        )
    if kind in Kind.values:
        organisations = organisations.filter(kind=kind)
    if country:
        organisations = organisations.filter(country=country)
    return organisations
