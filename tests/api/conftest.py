import pytest
from django.test import Client

from overgang.organisations.tokens import issue_token


class Api:
    """A JSON client that speaks as one user, with a bearer token."""

    def __init__(self, client: Client, token: str | None) -> None:
        self.client = client
        # Messages follow Accept-Language (default Norwegian); these tests read English.
        self.headers = {"Accept-Language": "en"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: dict | None = None):
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as(client):
    def make(user=None) -> Api:
        return Api(client, issue_token(user).token if user is not None else None)

    return make
