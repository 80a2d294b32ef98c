import pytest

from overgang.audit.models import ChangeRecord
from overgang.organisations.models import Membership

pytestmark = pytest.mark.django_db


def test_a_membership_added_in_the_admin_is_recorded(client, system, areas, make_user):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", password="x")
    newcomer = make_user("newcomer")
    client.force_login(admin)
    response = client.post(
        "/admin/organisations/membership/add/",
        {"user": newcomer.pk, "organisation": areas["oslo-frogner"].pk, "role": "case-worker"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=newcomer)
    change = ChangeRecord.objects.get(model="organisations.membership", object_id=membership.pk)
    assert change.actor == admin
    assert change.changes["role"] == [None, "case-worker"]
    assert change.channel.startswith("page:POST /admin/")


def _delete_selected(client, url: str, pks: list[int]):
    return client.post(
        url,
        {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
    )


def test_memberships_deleted_together_in_the_admin_are_each_recorded(
    client, system, areas, make_user
):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", password="x")
    first, second = (
        make_user("first", ("oslo-frogner-bestiller", "case-worker")),
        make_user("second", ("oslo-stovner-bestiller", "case-worker")),
    )
    ids = list(Membership.objects.filter(user__in=[first, second]).values_list("pk", flat=True))
    assert len(ids) == 2
    client.force_login(admin)
    response = _delete_selected(client, "/admin/organisations/membership/", ids)
    assert response.status_code == 302
    assert not Membership.objects.filter(pk__in=ids).exists()
    deleted = ChangeRecord.objects.filter(model="organisations.membership", action="deleted")
    assert sorted(int(change.object_id) for change in deleted) == sorted(ids)
    assert {change.actor for change in deleted} == {admin}
    assert all(change.changes["role"][1] is None for change in deleted)


def test_every_model_in_the_admin_leaves_a_trail():
    from django.contrib import admin

    from overgang.audit.admin_audit import AuditedAdmin

    untracked = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        # The task queue's own results are its bookkeeping, not the project's records.
        if not isinstance(model_admin, AuditedAdmin)
        and model._meta.app_label != "django_tasks_database"
    ]
    assert untracked == []
