from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from overgang.audit.admin_audit import AuditedAdmin
from overgang.stays.models import WaitingDayRate


@admin.register(WaitingDayRate)
class WaitingDayRateAdmin(AuditedAdmin):
    """Administrators enter the daily rate of each new year (R9); changes are in the history."""

    list_display = ["year", "rate", "set_by"]
    exclude = ["set_by"]

    def save_model(
        self, request: HttpRequest, obj: WaitingDayRate, form: Any, change: bool
    ) -> None:
        obj.set_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
