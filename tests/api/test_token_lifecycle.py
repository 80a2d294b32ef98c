"""A token stops working the moment its user may no longer use it: deactivated (even by a bulk
update that sends no signal), password changed, or the token revoked. A user holds a limited
number of live tokens."""

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.test import override_settings

from overgang.organisations.models import ApiToken

pytestmark = pytest.mark.django_db


def login(api_as, username: str = "oslo-frogner", password: str = "demo") -> dict:
    response = api_as().post("/auth/token", {"username": username, "password": password})
    assert response.status_code == 200
    return response.json()


def test_a_bulk_deactivated_user_s_token_is_refused_at_once(api_as, frogner_case_worker):
    api = api_as(frogner_case_worker)
    assert api.get("/organisations").status_code == 200  # the process now remembers it
    User.objects.filter(pk=frogner_case_worker.pk).update(is_active=False)
    assert api.get("/organisations").status_code == 401


def test_a_password_change_makes_the_old_token_401(api_as, frogner_case_worker):
    api = api_as(frogner_case_worker)
    assert api.get("/organisations").status_code == 200
    frogner_case_worker.set_password("a new and long passphrase")
    frogner_case_worker.save()
    assert api.get("/organisations").status_code == 401
    token = login(api_as, password="a new and long passphrase")["token"]
    listing = api_as().client.get("/api/v1/patients", headers={"Authorization": f"Bearer {token}"})
    assert listing.status_code == 200


def test_a_password_changed_by_a_bulk_update_makes_the_old_token_401(api_as, frogner_case_worker):
    api = api_as(frogner_case_worker)
    assert api.get("/organisations").status_code == 200
    User.objects.filter(pk=frogner_case_worker.pk).update(password=make_password("changed"))
    assert api.get("/organisations").status_code == 401


def test_the_token_in_use_can_be_revoked_and_is_then_401(api_as, frogner_case_worker):
    api = api_as(frogner_case_worker)
    assert api.post("/auth/token/revoke").status_code == 200
    assert api.get("/organisations").status_code == 401


def test_one_of_my_tokens_is_revoked_by_its_id(api_as, frogner_case_worker):
    first = login(api_as)
    api = api_as(frogner_case_worker)
    listed = api.get("/auth/tokens").json()
    assert first["id"] in [token["id"] for token in listed]
    assert api.post(f"/auth/tokens/{first['id']}/revoke").json() == {"revoked": first["id"]}
    gone = api_as().client.get(
        "/api/v1/organisations", headers={"Authorization": f"Bearer {first['token']}"}
    )
    assert gone.status_code == 401
    assert api.get("/organisations").status_code == 200  # the token in use still works


def test_another_user_s_token_is_not_found_and_keeps_working(
    api_as, frogner_case_worker, stovner_case_worker
):
    theirs = api_as(stovner_case_worker)
    their_id = ApiToken.objects.get(user=stovner_case_worker).pk
    mine = api_as(frogner_case_worker)
    assert their_id not in [token["id"] for token in mine.get("/auth/tokens").json()]
    assert mine.post(f"/auth/tokens/{their_id}/revoke").status_code == 404
    assert theirs.get("/organisations").status_code == 200


def test_a_token_id_that_is_no_number_is_422_naming_it(api_as, frogner_case_worker):
    response = api_as(frogner_case_worker).post("/auth/tokens/first/revoke")
    assert response.status_code == 422
    assert any("token_id" in item["loc"] for item in response.json()["detail"])


def test_revoking_the_token_in_use_without_a_token_is_422(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    response = client.post("/api/v1/auth/token/revoke", content_type="application/json")
    assert response.status_code == 422
    assert any("authorization" in item["loc"] for item in response.json()["detail"])


@override_settings(API_TOKENS_PER_USER=3)
def test_at_the_cap_a_new_token_ends_the_oldest(api_as, frogner_case_worker):
    tokens = [login(api_as)["token"] for _ in range(4)]
    assert ApiToken.objects.filter(user=frogner_case_worker).count() == 3

    def status(token: str) -> int:
        return (
            api_as()
            .client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {token}"})
            .status_code
        )

    assert [status(token) for token in tokens] == [401, 200, 200, 200]


def test_an_administrator_sees_the_tokens_in_the_admin(client, frogner_case_worker, api_as):
    api_as(frogner_case_worker)
    client.force_login(User.objects.create_superuser("root", password="x"))
    page = client.get("/admin/organisations/apitoken/")
    assert page.status_code == 200
    assert "oslo-frogner" in page.content.decode()
