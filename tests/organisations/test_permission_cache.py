"""The permissions granted in the admin are remembered between requests (organisations/
permission_backend.py): read once while nothing changes, and every way of taking one away
takes effect at the next request."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from overgang.organisations import access_cache

pytestmark = pytest.mark.django_db

PAUSED = "/logins/paused/"  # needs axes.delete_accessattempt, which only the admin grants


@pytest.fixture(autouse=True)
def fresh_memory():
    access_cache.forget_everything()
    yield
    access_cache.forget_everything()


@pytest.fixture
def lifter() -> Permission:
    return Permission.objects.get(content_type__app_label="axes", codename="delete_accessattempt")


@pytest.fixture
def group(lifter: Permission) -> Group:
    group = Group.objects.create(name="Lifts pauses")
    group.permissions.add(lifter)
    return group


@pytest.fixture
def member(client: Client, frogner_case_worker: User, group: Group) -> Client:
    """Logged in, in the group, and seen to be let in once (so the grant is remembered)."""
    frogner_case_worker.groups.add(group)
    client.force_login(frogner_case_worker)
    assert client.get(PAUSED).status_code == 200
    return client


def permission_reads(run: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return sum("auth_permission" in q["sql"] for q in queries.captured_queries)


def test_a_second_request_reads_no_permissions(member: Client):
    assert permission_reads(lambda: member.get(PAUSED)) == 0
    assert permission_reads(lambda: member.get("/")) == 0


def test_the_menu_is_the_same_from_what_is_remembered(member: Client):
    first = member.get("/").content
    assert b'href="/logins/paused/"' in first
    assert member.get("/").content.count(b'href="/logins/paused/"') == 1


def test_a_permission_taken_from_the_group_ends_at_the_next_request(
    member: Client, group: Group, lifter: Permission
):
    group.permissions.remove(lifter)
    assert member.get(PAUSED).status_code == 403
    assert b'href="/logins/paused/"' not in member.get("/").content


def test_the_group_s_permissions_cleared(member: Client, group: Group):
    group.permissions.clear()
    assert member.get(PAUSED).status_code == 403


def test_leaving_the_group(member: Client, frogner_case_worker: User, group: Group):
    frogner_case_worker.groups.remove(group)
    assert member.get(PAUSED).status_code == 403


def test_removed_from_the_group_s_side(member: Client, frogner_case_worker: User, group: Group):
    group.user_set.remove(frogner_case_worker)
    assert member.get(PAUSED).status_code == 403


def test_the_user_s_groups_set_anew(member: Client, frogner_case_worker: User):
    frogner_case_worker.groups.set([])
    assert member.get(PAUSED).status_code == 403


def test_the_group_deleted(member: Client, group: Group):
    group.delete()
    assert member.get(PAUSED).status_code == 403


def test_the_permission_deleted(member: Client, lifter: Permission):
    lifter.delete()
    assert member.get(PAUSED).status_code == 403


def test_a_user_s_own_permission_taken_away(
    client: Client, frogner_case_worker: User, lifter: Permission
):
    frogner_case_worker.user_permissions.add(lifter)
    client.force_login(frogner_case_worker)
    assert client.get(PAUSED).status_code == 200
    frogner_case_worker.user_permissions.remove(lifter)
    assert client.get(PAUSED).status_code == 403


def test_a_granted_permission_takes_effect_at_the_next_request(
    client: Client, frogner_case_worker: User, group: Group
):
    client.force_login(frogner_case_worker)
    assert client.get(PAUSED).status_code == 403
    frogner_case_worker.groups.add(group)
    assert client.get(PAUSED).status_code == 200


def test_deactivation_is_never_remembered(member: Client, frogner_case_worker: User):
    # Without a signal, so without a new stamp: the user row of the request decides.
    User.objects.filter(pk=frogner_case_worker.pk).update(is_active=False)
    assert member.get(PAUSED).status_code != 200


def test_without_a_stamp_nothing_is_remembered(member: Client):
    from overgang.organisations.models import AccessStamp

    AccessStamp.objects.all().delete()
    for _ in range(2):
        assert permission_reads(lambda: member.get(PAUSED)) == 2
