"""The catalogue: aid types and consumables follow the rules' data files; user manuals are
uploaded by the units (U7: a user manual follows every aid)."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from overgang.aids import manual_pdf
from overgang.aids.manual_keepers import Desk, desk_for
from overgang.aids.models import AidCategory, AidType, ConsumableType, UserManual
from overgang.audit.history import is_system, record_change
from overgang.audit.models import ChangeAction
from overgang.errors import InvalidInput
from overgang.rules.registry import aid_types, consumable_types

MANUAL_MAX_BYTES = manual_pdf.MAX_BYTES


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


def current_manual(aid_type: AidType, agreement: str = "") -> UserManual | None:
    """The manual handed over with the type under the agreement (without its bytes): the
    newest its keepers uploaded, else the newest common one; None if there is none."""
    newest = UserManual.objects.defer("content").order_by("-uploaded_at", "-id")
    own = newest.filter(aid_type=aid_type, agreement=agreement).first() if agreement else None
    return own or newest.filter(aid_type=aid_type, agreement="").first()


def upload_manual(
    aid_type: AidType,
    *,
    actor: User,
    title: str,
    filename: str,
    content: bytes,
    agreement: str = "",
    reason: str = "",
) -> UserManual:
    """A new user manual for the type under the agreement (empty: the common one); it is
    handed over from now on. The earlier ones are kept: a loan shows which manual went with
    it, and the type's page shows who replaced which, when and why.

    Only the agreement's keepers upload it (overgang.aids.manual_keepers), the system and
    superusers also the common one: `desk_for` raises OutsideScope or NotTheKeeper.
    """
    desk = Desk(agreement, None) if is_system(actor) else desk_for(actor, aid_type, agreement)
    in_force = current_manual(aid_type, desk.agreement)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    reason = (reason or "").strip()
    if not title:
        errors["title"] = _("Give the manual a title, for example the model and version.")
    if in_force is not None and not reason:
        errors["reason"] = _(
            "Say why this manual replaces “%(title)s”: everyone who hands the aid over sees it."
        ) % {"title": in_force.title}
    if wrong := manual_pdf.problem(content):
        errors["file"] = wrong
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        manual = UserManual.objects.create(
            aid_type=aid_type,
            agreement=desk.agreement,
            keeper=desk.unit,
            reason=reason,
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
                "agreement": manual.agreement,
                "keeper": str(desk.unit) if desk.unit else "",
                "title": manual.title,
                "filename": manual.filename,
                "size": manual.size,
                "sha256": manual.sha256,
                "replaces": in_force.pk if in_force else None,
            },
            reason=reason,
        )
    return manual
