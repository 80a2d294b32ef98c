import datetime

import pytest
from django.utils import timezone

from overgang.organisations.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_correct_password_gives_a_token_that_opens_the_api(api_as, frogner_case_worker):
    response = api_as().post("/auth/token", {"username": "oslo-frogner", "password": "demo"})
    assert response.status_code == 200
    token = response.json()["token"]
    listing = api_as().client.get("/api/v1/patients", headers={"Authorization": f"Bearer {token}"})
    assert listing.status_code == 200


def test_the_token_is_stored_only_as_a_hash(api_as, frogner_case_worker):
    token = api_as().post("/auth/token", {"username": "oslo-frogner", "password": "demo"})
    stored = ApiToken.objects.get()
    assert token.json()["token"] not in stored.digest
    assert len(stored.digest) == 64


def test_a_wrong_password_is_401(api_as, frogner_case_worker):
    response = api_as().post("/auth/token", {"username": "oslo-frogner", "password": "nope"})
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_a_missing_field_is_422_naming_it(api_as):
    response = api_as().post("/auth/token", {"username": "oslo-frogner"})
    assert response.status_code == 422
    assert any("password" in item["loc"] for item in response.json()["detail"])


def test_an_expired_token_is_refused(api_as, frogner_case_worker):
    api = api_as(frogner_case_worker)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api.get("/patients").status_code == 401


def test_no_token_is_401(api_as):
    assert api_as().get("/patients").status_code == 401
