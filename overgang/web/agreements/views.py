"""The case catalogue of an agreement (N1): every case it decides, a row each, with who
carries each duty and where the agreement says so. For the people who own the agreement:
its region's users, its network group and the superuser; 404 for everyone else."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from overgang.i18n import current_language
from overgang.organisations.catalogue import readable, today_of, version_on, versions
from overgang.rules.catalogue import CATEGORIES, CatalogueCase, catalogue
from overgang.rules.explain import DUTY_NAMES, PARTY_NAMES
from overgang.rules.registry import Agreement, aid_types
from overgang.rules.spec import DUTIES, PARTIES
from overgang.rules.words import CATEGORY_NAMES
from overgang.web.agreements.pdf import catalogue_pdf
from overgang.web.common.citations import cite_links
from overgang.web.common.forms import Form
from overgang.web.exports.respond import exported
from overgang.web.exports.table import Column, Table
from overgang.web.rules.forms import PHASES, PURPOSES

SORTS = ("aid", "-aid", "situation", "-situation", "undecided")


@dataclass(frozen=True)
class Row:
    """A catalogue row as the reader sees it, in their language."""

    case: CatalogueCase
    aid: str
    situation: str
    cells: tuple[dict[str, Any], ...]  # per duty: party (name or None) and citation links
    parts: tuple[tuple[str, str], ...] = ()  # the situation's conditions, one by one


class CatalogueForm(Form):
    """The filters, all GET parameters: the page works the same without script."""

    date = forms.DateField(
        label=_("In force on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("Kind of aid"), required=False)
    aid_type = forms.ChoiceField(label=_("Aid"), required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", "—"), *PURPOSES], required=False)
    residence = forms.ChoiceField(
        label=_("Lives"),
        choices=[("", "—"), ("home", _("at home")), ("institution", _("in an institution"))],
        required=False,
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=[("", "—"), *PHASES], required=False)
    duty = forms.ChoiceField(label=_("Task"), required=False)
    party = forms.ChoiceField(label=_("Who"), required=False)
    sort = forms.ChoiceField(
        choices=[(key, key) for key in SORTS], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = current_language()
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((c, CATEGORY_NAMES[language][c]) for c in CATEGORIES),
        ]
        self.fields["aid_type"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *sorted(
                (
                    (slug, kind.names.get(language, kind.names["en"]))
                    for slug, kind in aid_types().items()
                ),
                key=lambda item: item[1],
            ),
        ]
        self.fields["duty"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((d, DUTY_NAMES[language][d]) for d in DUTIES),
        ]
        self.fields["party"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((p, PARTY_NAMES[language][p]) for p in PARTIES),
            ("none", _("not decided")),
        ]


def _narrowed(case: CatalogueCase, field: str, value: str) -> bool:
    values = case.values(field)
    return values is None or value in values


def _keep(row: Row, data: dict[str, Any], language: str) -> bool:
    case = row.case
    if data.get("category") and case.category != data["category"]:
        return False
    if data.get("aid_type") and data["aid_type"] not in case.aid_types:
        return False
    for key, field in (
        ("purpose", "need.purpose"),
        ("residence", "patient.residence"),
        ("phase", "need.phase"),
    ):
        if data.get(key) and not _narrowed(case, field, data[key]):
            return False
    return _answers_match(case, data.get("duty"), data.get("party")) and _says(
        row, data.get("q") or "", language
    )


def _answers_match(case: CatalogueCase, duty: str | None, party: str | None) -> bool:
    """Does the row give the duty (any duty where none is chosen) to the party?"""
    answers = [case.duty(duty)] if duty else [answer for _, answer in case.duties]
    if party == "none":
        return any(answer is None for answer in answers)
    if party:
        return any(answer is not None and answer.party == party for answer in answers)
    return not duty or answers[0] is not None


def _says(row: Row, words: str, language: str) -> bool:
    """Does the row's aid or situation hold every word searched for (case folded)?"""
    if not words:
        return True
    names = " ".join(aid_types()[slug].names.get(language, "") for slug in row.case.aid_types)
    text = f"{row.aid} {row.situation} {names}".casefold()
    return all(word in text for word in words.casefold().split())


def _rows(agreement: Agreement, language: str) -> list[Row]:
    rows = []
    for case in catalogue(agreement):
        cells = []
        for duty, answer in case.duties:
            cells.append(
                {
                    "duty": DUTY_NAMES[language][duty],
                    "party": PARTY_NAMES[language][answer.party] if answer else None,
                    "links": cite_links(answer.cites) if answer else [],
                }
            )
        rows.append(
            Row(
                case=case,
                aid=case.aid_title[language],
                situation=case.situation_title[language],
                cells=tuple(cells),
                parts=case.situation_parts.get(language, ()),
            )
        )
    return rows


def _sorted(rows: list[Row], sort: str) -> list[Row]:
    if sort == "-aid":
        return list(reversed(rows))
    if sort in ("situation", "-situation"):
        return sorted(rows, key=lambda r: r.situation.casefold(), reverse=sort == "-situation")
    if sort == "undecided":
        return sorted(rows, key=lambda r: r.case.decides)
    return rows


def _groups(rows: list[Row]) -> list[dict[str, Any]]:
    """Consecutive rows of one kind of aid, under its name."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        if groups and groups[-1]["aid"] == row.aid:
            groups[-1]["rows"].append(row)
        else:
            groups.append({"aid": row.aid, "rows": [row]})
    return groups


def _party_text(cell: dict[str, Any]) -> str:
    if cell["party"] is None:
        return ""
    cites = ", ".join(link["cite"] for link in cell["links"])
    return f"{cell['party']} ({cites})" if cites else str(cell["party"])


def _duty_cell(index: int) -> Callable[[Row], str]:
    return lambda row: _party_text(row.cells[index])


def table_of(language: str) -> Table:
    columns = [
        Column(_("Kind of aid"), lambda row: row.aid),
        Column(_("Situation"), lambda row: row.situation),
    ]
    for index, duty in enumerate(DUTIES):
        columns.append(Column(DUTY_NAMES[language][duty], _duty_cell(index)))
    return Table(name="case-catalogue", title=_("Case catalogue"), columns=tuple(columns))


@login_required
def catalogue_index(request: HttpRequest) -> HttpResponse:
    """The catalogues the reader may read: straight to it where there is one."""
    keys = readable(request.user)
    if not keys:
        raise Http404
    if len(keys) == 1:
        return redirect("case-catalogue", key=keys[0])
    latest = {a.id: a for key in keys for a in versions(key)}
    return render(request, "agreements/index.html", {"agreements": list(latest.values())})


@login_required
def catalogue_page(request: HttpRequest, key: str) -> HttpResponse:
    if key not in readable(request.user):
        raise Http404
    language = current_language()
    form = CatalogueForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data: dict[str, Any] = form.cleaned_data if form.is_bound and valid else {}
    day: datetime.date | None = data.get("date") or today_of(key)
    agreement = version_on(key, day) if day is not None else None
    if agreement is None and valid:
        form.add_error("date", _("No version of the agreement is in force on that date."))
        valid = False
    if not valid or agreement is None:
        # The newest version is shown beside the form's error; nothing is filtered.
        agreement = versions(key)[-1]
        data = {}
    rows = [row for row in _rows(agreement, language) if _keep(row, data, language)]
    rows = _sorted(rows, data.get("sort") or "aid")
    if valid:
        if request.GET.get("format") == "pdf":
            return _pdf_response(agreement, rows, language, form)
        export = exported(request, table_of(language), rows, form=form)
        if export is not None:
            return export
    query = request.GET.copy()
    query.pop("sort", None)
    context = {
        "agreement": agreement,
        "versions": versions(key),
        "form": form,
        "groups": _groups(rows),
        "count": len(rows),
        "total": len(catalogue(agreement)),
        "duties": [DUTY_NAMES[language][d] for d in DUTIES],
        "sort": data.get("sort") or "aid",
        "filtered": any(
            data.get(name)
            for name in (
                "category",
                "aid_type",
                "purpose",
                "residence",
                "phase",
                "duty",
                "party",
                "date",
            )
        )
        or not valid,
        "query": query.urlencode(),
        "pdf_query": _with(request, format="pdf"),
    }
    return render(request, "agreements/catalogue.html", context, status=200 if valid else 422)


def _with(request: HttpRequest, **params: str) -> str:
    query = request.GET.copy()
    for name, value in params.items():
        query[name] = value
    return query.urlencode()


def _pdf_response(
    agreement: Agreement, rows: list[Row], language: str, form: CatalogueForm
) -> HttpResponse:
    content = catalogue_pdf(agreement, rows, language)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"case-catalogue-{agreement.id}-{agreement.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    patch_cache_control(response, private=True, no_store=True)
    return response
