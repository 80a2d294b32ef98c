from django.contrib import admin

from overgang.aids.models import Device
from overgang.audit.admin_audit import AuditedAdmin


@admin.register(Device)
class DeviceAdmin(AuditedAdmin):
    """Where an administrator corrects a device's serial, type, owner or location; the
    changes are in the history. The status changes only through the device pages, which
    keep the device's own history of its statuses."""

    list_display = ["serial", "aid_type", "owner", "status", "location"]
    list_filter = ["status", "aid_type"]
    search_fields = ["serial", "location"]
    raw_id_fields = ["owner"]
    readonly_fields = ["status", "created_at"]
