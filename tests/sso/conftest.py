"""Two identity providers of their own for the single sign-on tests, started once: HelseID's
stand-in for Oslo (organisations by HER-id) and Region Nordjylland's (by SOR-id).

The app is configured for them the way an operator would: from OVERGANG_SSO_* variables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test.client import Client as DjangoClient

from overgang.web.sso.config import providers_from_env
from tests.sso.provider import Client, OpenIDProvider

SECRET = "not-a-real-secret-only-for-tests"


@pytest.fixture(scope="session")
def helseid() -> Iterator[OpenIDProvider]:
    op = OpenIDProvider("helseid").start()
    op.register(Client("overgang", SECRET, ("http://testserver/sso/helseid/callback/",)))
    # A second application at the same provider: its tokens must not open Overgang.
    op.register(Client("journal", SECRET, ("http://testserver/sso/helseid/callback/",)))
    yield op
    op.stop()


@pytest.fixture(scope="session")
def nordjylland() -> Iterator[OpenIDProvider]:
    op = OpenIDProvider("rn").start()
    op.register(Client("overgang-rn", SECRET, ("http://testserver/sso/rn/callback/",)))
    yield op
    op.stop()


@pytest.fixture
def client() -> DjangoClient:
    """Pages in English, where the assertions read them; test_in_their_language.py asks for
    nb and da."""
    return DjangoClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def environment(helseid, nordjylland) -> dict[str, str]:
    return {
        "OVERGANG_SSO_PROVIDERS": "helseid,rn",
        "OVERGANG_SSO_HELSEID_LABEL": "HelseID",
        "OVERGANG_SSO_HELSEID_ISSUER": helseid.issuer,
        "OVERGANG_SSO_HELSEID_CLIENT_ID": "overgang",
        "OVERGANG_SSO_HELSEID_CLIENT_SECRET": SECRET,
        "OVERGANG_SSO_HELSEID_ORGANISATION_CLAIM": "her_id",
        "OVERGANG_SSO_HELSEID_ORGANISATION_ID": "her_id",
        "OVERGANG_SSO_HELSEID_ROLE_CLAIM": "roles",
        "OVERGANG_SSO_HELSEID_ROLES": "lege=clinician,saksbehandler=case-worker,"
        "hjemmesykepleier=home-nurse",
        "OVERGANG_SSO_HELSEID_VOUCHES_FOR": "ous,oslo",
        "OVERGANG_SSO_RN_LABEL": "Region Nordjylland",
        "OVERGANG_SSO_RN_ISSUER": nordjylland.issuer,
        "OVERGANG_SSO_RN_CLIENT_ID": "overgang-rn",
        "OVERGANG_SSO_RN_CLIENT_SECRET": SECRET,
        "OVERGANG_SSO_RN_ORGANISATION_CLAIM": "sor_id",
        "OVERGANG_SSO_RN_ORGANISATION_ID": "sor_id",
        "OVERGANG_SSO_RN_VOUCHES_FOR": "rn,aalborg",
    }


@pytest.fixture
def providers(settings, environment, areas):
    settings.SSO_PROVIDERS = providers_from_env(environment)
    return settings.SSO_PROVIDERS


def log_in_at(
    client: DjangoClient, provider: str, login: str, *, next_url: str = ""
) -> tuple[str, Any]:
    """Follow a login through the provider as a browser would: the app sends the browser to
    the provider, the person logs in there, the provider sends it back with a code.
    Returns the address it was sent back to (to replay it) and the app's answer."""
    start = client.get(f"/sso/{provider}/login/", {"next": next_url} if next_url else {})
    assert start.status_code == 302, start.content
    authorize = start["Location"]
    browser = requests.Session()
    form = browser.get(authorize, timeout=10)
    assert form.status_code == 200, form.text
    back = browser.post(authorize, data={"login": login}, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    callback = back.headers["Location"]
    parts = urlsplit(callback)
    assert parts.netloc == "testserver", callback
    return callback, client.get(f"{parts.path}?{parts.query}")
