"""What a process remembers about access between requests: used while nothing changed,
forgotten the moment a user, membership, token or organisation changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from overgang.organisations import access_cache
from overgang.organisations.actions import remove_membership
from overgang.organisations.models import AccessStamp, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_memory():
    access_cache.forget_everything()
    yield
    access_cache.forget_everything()


def membership_queries(run) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return sum("organisations_membership" in q["sql"] for q in queries.captured_queries)


def test_a_second_request_uses_what_the_first_read(api_as, frogner_case_worker, frogner_patient):
    api = api_as(frogner_case_worker)
    assert membership_queries(lambda: api.get(f"/patients/{frogner_patient.pk}")) == 1
    assert membership_queries(lambda: api.get(f"/patients/{frogner_patient.pk}")) == 0


def test_a_removed_membership_ends_access_at_the_next_request(
    api_as, frogner_case_worker, frogner_patient, system
):
    api = api_as(frogner_case_worker)
    assert api.get(f"/patients/{frogner_patient.pk}").status_code == 200
    remove_membership(Membership.objects.get(user=frogner_case_worker), actor=system)
    assert api.get(f"/patients/{frogner_patient.pk}").status_code == 404


def test_a_deactivated_user_s_token_stops_working_at_once(api_as, frogner_case_worker):
    api = api_as(frogner_case_worker)
    assert api.get("/organisations").status_code == 200
    frogner_case_worker.is_active = False
    frogner_case_worker.save(update_fields=["is_active"])
    assert api.get("/organisations").status_code == 401


def test_every_change_writes_a_stamp_never_seen_before(system):
    seen = set()
    for _ in range(5):
        access_cache.new_stamp()
        seen.add(access_cache.current_stamp())
    assert len(seen) == 5


def test_without_a_stamp_nothing_is_remembered(api_as, frogner_case_worker, frogner_patient):
    api = api_as(frogner_case_worker)
    AccessStamp.objects.all().delete()
    for _ in range(2):
        assert membership_queries(lambda: api.get(f"/patients/{frogner_patient.pk}")) == 1


def test_pages_remember_memberships_too(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    client.get("/")
    assert membership_queries(lambda: client.get("/")) == 0


def test_a_login_does_not_make_every_process_forget(client, frogner_case_worker):
    from django.contrib.auth import get_user_model

    frogner_case_worker.set_password("demo")
    frogner_case_worker.save()
    stamp = access_cache.current_stamp()
    assert client.login(username="oslo-frogner", password="demo")
    assert access_cache.current_stamp() == stamp
    get_user_model().objects.get(pk=frogner_case_worker.pk).save()  # a real change
    assert access_cache.current_stamp() != stamp


# -- the register of organisations, remembered per stamp ------------------------------------


def test_the_register_is_read_once_while_nothing_changes(system, areas):
    def organisation_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            access_cache.current_register()
        return sum("organisations_organisation" in q["sql"] for q in queries.captured_queries)

    assert organisation_reads() == 1
    assert organisation_reads() == 0
    areas["levanger"].her_id = "9900999"
    areas["levanger"].save(update_fields=["her_id"])
    assert organisation_reads() == 1
    assert access_cache.current_register().by_her_id[("NO", "9900999")] == areas["levanger"]


def test_a_pinned_register_is_read_once_and_sees_a_change_made_in_its_block(system, areas):
    def stamp_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            access_cache.current_register()
        return sum("organisations_accessstamp" in q["sql"] for q in queries.captured_queries)

    with access_cache.register_pinned():
        assert stamp_reads() == 0
        areas["levanger"].her_id = "9900999"
        areas["levanger"].save(update_fields=["her_id"])
        assert access_cache.current_register().by_her_id[("NO", "9900999")] == areas["levanger"]
    assert stamp_reads() == 1
