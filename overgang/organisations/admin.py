from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest

from overgang.audit.admin_audit import AuditedAdmin
from overgang.organisations.models import ApiToken, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "parent", "number", "her_id", "sor_id", "phone"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "key", "number", "her_id", "sor_id"]
    raw_id_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "role", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name"]
    raw_id_fields = ["user", "organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """The API tokens that exist, to see who holds which and to revoke them (delete). A token
    is issued only by a login (POST /api/v1/auth/token) or `overgang integration token`: its
    value is shown once, to whoever asked for it."""

    list_display = ["user", "created_at", "expires_at", "last_used_at"]
    list_filter = ["expires_at"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "created_at", "expires_at", "last_used_at"]
    fields = tuple(readonly_fields)
    ordering = ["-created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AccessAttempt)
class LoginFailuresAdmin(AuditedAdmin):
    """Wrong passwords counted by the login throttle (overgang/organisations/logins.py), one
    row per account, address and browser. Deleting the rows of an account or an address
    lifts its pause at once."""

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "path_info"]
    search_fields = ["username", "ip_address"]
    list_filter = ["path_info"]
    ordering = ["-attempt_time"]
    readonly_fields = [
        "username",
        "ip_address",
        "user_agent",
        "failures_since_start",
        "attempt_time",
        "path_info",
    ]
    fields = tuple(readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AuditedUserAdmin(AuditedAdmin, UserAdmin[User]):
    pass


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)


class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    pass


admin.site.unregister(Group)
admin.site.register(Group, AuditedGroupAdmin)
