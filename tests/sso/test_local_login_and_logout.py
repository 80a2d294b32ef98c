"""Local passwords stay for the demo and for administrators' break-glass access; logging out
ends the session here, and at the provider when the login came through it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User

from overgang.organisations.actions import create_user
from tests.sso.conftest import log_in_at

pytestmark = pytest.mark.django_db


def test_the_login_page_offers_each_provider_and_the_local_login(providers, client):
    page = client.get("/login/?next=/patients/").content.decode()
    assert "Log in with HelseID" in page
    assert 'href="/sso/helseid/login/?next=/patients/"' in page
    assert "Log in with Region Nordjylland" in page
    assert 'name="password"' in page


def test_without_providers_the_login_page_has_only_the_local_login(settings, client):
    settings.SSO_PROVIDERS = ()
    page = client.get("/login/").content.decode()
    assert "Log in with" not in page
    assert 'name="password"' in page


def test_break_glass_administrator_logs_in_with_a_password_while_providers_are_set(
    providers, client, system
):
    create_user(actor=system, username="beredskap", password="break-glass-pw", is_superuser=True)
    answer = client.post("/login/", {"username": "beredskap", "password": "break-glass-pw"})
    assert answer.status_code == 302
    assert client.get("/").wsgi_request.user.username == "beredskap"


def test_a_user_from_a_provider_cannot_log_in_with_a_password(providers, helseid, client):
    helseid.knows("eva", her_id="9900044", roles=["hjemmesykepleier"])
    log_in_at(client, "helseid", "eva")
    eva = User.objects.get(external_identities__subject="helseid-eva")
    client.logout()
    answer = client.post("/login/", {"username": eva.username, "password": ""})
    assert answer.status_code == 200
    assert not answer.wsgi_request.user.is_authenticated


def test_logging_out_after_a_provider_login_ends_the_session_at_the_provider_too(
    providers, helseid, client
):
    helseid.knows("eva", her_id="9900044", roles=["hjemmesykepleier"])
    log_in_at(client, "helseid", "eva")
    answer = client.post("/logout/")
    assert answer.status_code == 302
    end_session = urlsplit(answer["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}" == helseid.issuer
    assert end_session.path == "/logout"
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert query["id_token_hint"][0].count(".") == 2
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_logging_out_a_local_user_goes_back_to_the_login_page(providers, client, make_user):
    make_user("lokal")
    client.login(username="lokal", password="demo")
    answer = client.post("/logout/")
    assert answer["Location"] == "/login/"
    assert not client.get("/").wsgi_request.user.is_authenticated
