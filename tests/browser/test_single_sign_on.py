"""A home nurse in Frogner logs in with HelseID in Chromium, and out again at both ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from overgang.organisations.models import Membership
from overgang.web.sso.config import providers_from_env
from tests.sso.provider import Client, OpenIDProvider

SECRET = "not-a-real-secret-only-for-tests"


@pytest.fixture
def helseid(live_server, settings, areas) -> Iterator[OpenIDProvider]:
    op = OpenIDProvider("helseid").start()
    op.register(Client("overgang", SECRET, (f"{live_server.url}/sso/helseid/callback/",)))
    settings.SSO_PROVIDERS = providers_from_env(
        {
            "OVERGANG_SSO_PROVIDERS": "helseid",
            "OVERGANG_SSO_HELSEID_LABEL": "HelseID",
            "OVERGANG_SSO_HELSEID_ISSUER": op.issuer,
            "OVERGANG_SSO_HELSEID_CLIENT_ID": "overgang",
            "OVERGANG_SSO_HELSEID_CLIENT_SECRET": SECRET,
            "OVERGANG_SSO_HELSEID_ORGANISATION_CLAIM": "her_id",
            "OVERGANG_SSO_HELSEID_ROLE_CLAIM": "roles",
            "OVERGANG_SSO_HELSEID_ROLES": "hjemmesykepleier=home-nurse",
            "OVERGANG_SSO_HELSEID_VOUCHES_FOR": "oslo",
        }
    )
    yield op
    op.stop()


@pytest.mark.locale("nb-NO")
def test_a_home_nurse_logs_in_with_helseid_and_out_again(page: Page, live_server, helseid):
    helseid.knows(
        "kari",
        given_name="Kari",
        family_name="Nordmann",
        her_id="9900044",
        roles=["hjemmesykepleier"],
    )
    page.goto("/login/")
    page.get_by_role("link", name="Logg inn med HelseID").click()
    # At the provider: its own login form.
    assert page.url.startswith(f"{helseid.issuer}/authorize")
    page.locator("input[name=login]").fill("kari")
    with page.expect_navigation(url=f"{live_server.url}/"):
        page.locator("button").click()
    expect(page.locator("header .who")).to_have_text("Kari Nordmann")
    assert Membership.objects.get(user__first_name="Kari").organisation.key == (
        "oslo-frogner-hjemmesykepleie"
    )

    with page.expect_navigation(url=f"{live_server.url}/login/"):
        page.get_by_role("button", name="Logg ut").click()
    assert len(helseid.logouts) == 1
    page.goto("/")
    assert page.url.startswith(f"{live_server.url}/login/")
