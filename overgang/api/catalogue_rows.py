"""The catalogue's lists as rows of values (see overgang.api.rows): an aid type's
consumables and manual, a consumable's aid types, each from one query for the whole page,
and the names in the reader's language chosen once a page rather than once a row."""

from __future__ import annotations

from operator import itemgetter

from django.db.models import QuerySet

from overgang.aids import manual_keepers
from overgang.aids.models import AidType, ConsumableType, UserManual
from overgang.api.rows import Row, grouped, value_rows
from overgang.i18n import current_language

AID_TYPE_COLUMNS = {
    **{name: name for name in ("id", "slug", "iso9999", "category", "life_sustaining")},
    **{name: name for name in ("electrical_check", "multi_patient", "staff_training", "parts")},
}
CONSUMABLE_COLUMNS = {"id": "id", "slug": "slug", "pharmacy": "pharmacy"}
# ManualOut's fields, and the type it is of.
MANUAL_COLUMNS = {
    **{name: name for name in ("id", "title", "filename", "size", "sha256", "uploaded_at")},
    **{"agreement": "agreement", "keeper": "keeper__key", "uploaded_by": "uploaded_by__username"},
    **{"reason": "reason", "aid_type_id": "aid_type_id"},
}


def _in_language(columns: dict[str, str], *stems: str) -> dict[str, str]:
    """`columns` with each of `stems` (name, unit) read in the reader's language and in
    English, which stands in where it is empty (as `Named.name` and `unit` do)."""
    language = current_language("nb")
    for stem in stems:
        columns[stem] = f"{stem}_{language}"
        if language != "en":
            columns[f"{stem}_en"] = f"{stem}_en"
    return columns


def _fall_back(rows: list[Row], *stems: str) -> None:
    for row in rows:
        for stem in stems:
            row[stem] = row[stem] or row.get(f"{stem}_en", "")


def aid_type_rows(found: QuerySet[AidType], agreement: str) -> list[Row]:
    """AidTypeOut's rows, with the manual handed over under `agreement`."""
    rows = value_rows(found, _in_language(dict(AID_TYPE_COLUMNS), "name"))
    _fall_back(rows, "name")
    ids = [row["id"] for row in rows]
    if not ids:
        return rows
    links = ConsumableType.linked_to.through.objects.filter(aidtype_id__in=ids)
    consumables = grouped(
        links.order_by("consumabletype__slug").values_list("aidtype_id", "consumabletype__slug")
    )
    # The type's own manuals under the agreement and the common ones, newest first.
    manuals = grouped(
        (manual["aid_type_id"], manual)
        for manual in value_rows(
            UserManual.objects.filter(aid_type_id__in=ids, agreement__in={agreement, ""}).order_by(
                "-uploaded_at", "-id"
            ),
            MANUAL_COLUMNS,
        )
    )
    for row in rows:
        row["consumables"] = consumables.get(row["id"], [])
        row["manual"] = manual_keepers.in_force(
            manuals.get(row["id"], []), agreement, agreement_of=itemgetter("agreement")
        )
    return rows


def consumable_rows(found: QuerySet[ConsumableType]) -> list[Row]:
    """ConsumableOut's rows."""
    rows = value_rows(found, _in_language(dict(CONSUMABLE_COLUMNS), "name", "unit"))
    _fall_back(rows, "name", "unit")
    ids = [row["id"] for row in rows]
    if not ids:
        return rows
    links = ConsumableType.linked_to.through.objects.filter(consumabletype_id__in=ids)
    linked = grouped(
        links.order_by("aidtype__slug").values_list("consumabletype_id", "aidtype__slug")
    )
    for row in rows:
        row["linked_to"] = linked.get(row["id"], [])
    return rows
