"""Django's admin writes models directly; this mixin makes it leave the same trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from overgang.audit.history import record_change, snapshot
from overgang.audit.models import ChangeAction

# Not copied into history: secrets, what is derived from them, and the note of a login.
NOT_RECORDED = frozenset({"id", "password", "last_login", "digest", "password_mark"})


def _fields(obj: models.Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if f.name not in NOT_RECORDED]


class AuditedAdmin(admin.ModelAdmin[Any]):
    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        assert isinstance(request.user, User)
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk), _fields(obj)) if change else {}
        super().save_model(request, obj, form, change)
        record_change(
            obj,
            actor=request.user,
            action=ChangeAction.CHANGED if change else ChangeAction.CREATED,
            before=before,
            after=snapshot(obj, _fields(obj)),
            reason="admin",
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        assert isinstance(request.user, User)
        record_change(
            obj,
            actor=request.user,
            action=ChangeAction.DELETED,
            before=snapshot(obj, _fields(obj)),
            reason="admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """The action "delete selected": one history row for each object it deletes."""
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)
