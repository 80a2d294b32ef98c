"""The catalogue: aid types and consumables follow the rules' data files; user manuals are
uploaded by the units (U7: a user manual follows every aid)."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from overgang.aids.models import AidCategory, AidType, ConsumableType, UserManual
from overgang.audit.history import record_change
from overgang.audit.models import ChangeAction
from overgang.errors import InvalidInput
from overgang.rules.registry import aid_types, consumable_types

MANUAL_MAX_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def sync_catalogue() -> int:
    """Create or update the aid types and consumables from the rules' catalogue
    (overgang/rules/aids.toml and consumables.toml). Returns the number of aid types."""
    known = aid_types()
    for slug, kind in known.items():
        AidType.objects.update_or_create(
            slug=slug,
            defaults={
                "iso9999": kind.iso9999,
                "category": kind.category,
                "life_sustaining": kind.life_sustaining,
                "electrical_check": kind.electrical_check,
                "multi_patient": kind.category == AidCategory.SHARED_EQUIPMENT,
                "staff_training": kind.staff_unfamiliar,
                "parts": list(kind.therapy),
                "name_nb": kind.names["nb"],
                "name_da": kind.names["da"],
                "name_en": kind.names["en"],
            },
        )
    by_slug = {t.slug: t for t in AidType.objects.filter(slug__in=known)}
    for slug, supply in consumable_types().items():
        consumable, _created = ConsumableType.objects.update_or_create(
            slug=slug,
            defaults={
                "pharmacy": supply.pharmacy,
                **{f"name_{lang}": supply.names[lang] for lang in ("nb", "da", "en")},
                **{f"unit_{lang}": supply.units[lang] for lang in ("nb", "da", "en")},
            },
        )
        consumable.linked_to.set([by_slug[t] for t in supply.linked_to])
    return len(known)


def current_manual(aid_type: AidType) -> UserManual | None:
    """The newest manual of the type (without its bytes), or None if there is none."""
    return (
        UserManual.objects.filter(aid_type=aid_type)
        .defer("content")
        .order_by("-uploaded_at", "-id")
        .first()
    )


def upload_manual(
    aid_type: AidType, *, actor: User, title: str, filename: str, content: bytes
) -> UserManual:
    """A new user manual for the type; it becomes the one handed over from now on. The
    earlier ones are kept: a loan shows which manual went with it."""
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the manual a title, for example the model and version.")
    if not content:
        errors["file"] = _("Choose the manual's file (PDF).")
    elif len(content) > MANUAL_MAX_BYTES:
        errors["file"] = _("The file is larger than 20 MB.")
    elif not content.startswith(PDF_MAGIC):
        errors["file"] = _("The manual must be a PDF file.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        manual = UserManual.objects.create(
            aid_type=aid_type,
            title=title,
            filename=(filename or f"{aid_type.slug}.pdf").strip()[:200],
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
        )
        record_change(
            manual,
            actor=actor,
            action=ChangeAction.CREATED,
            after={
                "aid_type": aid_type.slug,
                "title": manual.title,
                "filename": manual.filename,
                "size": manual.size,
                "sha256": manual.sha256,
            },
        )
    return manual
