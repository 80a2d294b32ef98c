from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from overgang.audit.admin_audit import AuditedAdmin
from overgang.organisations.models import Membership, Organisation


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


class AuditedUserAdmin(AuditedAdmin, UserAdmin[User]):
    pass


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)


class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    pass


admin.site.unregister(Group)
admin.site.register(Group, AuditedGroupAdmin)
