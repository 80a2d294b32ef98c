"""A provider vouches only for its own organisations and for roles Overgang knows: anything
else refuses the login with a clear message, is logged, and changes nothing."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import User

from tests.sso.conftest import log_in_at

pytestmark = pytest.mark.django_db


def refused(client, provider: str, login: str, caplog) -> str:
    users_before = User.objects.count()
    with caplog.at_level(logging.WARNING, logger="overgang.sso"):
        _, answer = log_in_at(client, provider, login)
    assert answer.status_code == 403
    assert User.objects.count() == users_before
    assert not answer.wsgi_request.user.is_authenticated
    assert any("login refused" in r.getMessage() for r in caplog.records)
    return answer.content.decode()


def test_helseid_for_oslo_cannot_grant_a_membership_at_unn(providers, helseid, client, caplog):
    helseid.knows("tove", her_id="9900090", roles=["lege"])
    page = refused(client, "helseid", "tove", caplog)
    assert "HelseID may not vouch for memberships in UNN Tromsø" in page
    assert "9900090" in caplog.text


def test_region_nordjylland_cannot_grant_a_membership_in_hjorring(
    providers, nordjylland, client, caplog
):
    nordjylland.knows("jens", sor_id="990000000000031", role="case-worker")
    page = refused(client, "rn", "jens", caplog)
    assert "Region Nordjylland may not vouch for memberships in" in page


def test_an_organisation_missing_from_the_register_is_refused(providers, helseid, client, caplog):
    helseid.knows("unni", her_id="123456789", roles=["lege"])
    page = refused(client, "helseid", "unni", caplog)
    assert "The organisation 123456789 is not in Overgang&#x27;s register." in page


def test_a_role_without_a_mapping_is_refused(providers, helseid, client, caplog):
    helseid.knows("arne", her_id="9900044", roles=["hjemmesykepleier", "overlege"])
    page = refused(client, "helseid", "arne", caplog)
    assert "Overgang does not know the role overlege." in page


def test_administrators_are_never_granted_without_a_mapping(providers, nordjylland, client, caplog):
    nordjylland.knows("lars", sor_id="990000000000017", role="admin")
    page = refused(client, "rn", "lars", caplog)
    assert "Overgang does not know the role admin." in page


def test_claims_without_an_organisation_are_refused(providers, nordjylland, client, caplog):
    nordjylland.knows("anne", role="case-worker")
    page = refused(client, "rn", "anne", caplog)
    assert "did not say which organisation you work for" in page


def test_a_refused_login_leaves_the_earlier_memberships_alone(providers, helseid, client, caplog):
    helseid.knows("kim", her_id="9900044", roles=["hjemmesykepleier"])
    log_in_at(client, "helseid", "kim")
    kim = User.objects.get(external_identities__subject="helseid-kim")
    client.logout()
    helseid.knows("kim", her_id="9900090", roles=["hjemmesykepleier"])
    refused(client, "helseid", "kim", caplog)
    assert [m.organisation.key for m in kim.memberships.all()] == ["oslo-frogner-hjemmesykepleie"]


def test_a_provider_that_cannot_be_reached_leaves_the_local_login_usable(
    settings, environment, client, make_user
):
    # Nothing listens on port 9 of this machine (discard): the provider is down.
    environment["OVERGANG_SSO_HELSEID_ISSUER"] = "http://127.0.0.1:9"
    from overgang.web.sso.config import providers_from_env

    settings.SSO_PROVIDERS = providers_from_env(environment)
    answer = client.get("/sso/helseid/login/")
    assert answer.status_code == 502
    page = answer.content.decode()
    assert "HelseID cannot be reached now." in page
    assert 'action="/login/"' in page
    make_user("beredskap", password="break-glass-pw")
    login = client.post("/login/", {"username": "beredskap", "password": "break-glass-pw"})
    assert login.status_code == 302


def test_a_user_blocked_by_an_administrator_stays_blocked_whatever_the_provider_says(
    providers, helseid, client, caplog
):
    helseid.knows("kim", her_id="9900044", roles=["hjemmesykepleier"])
    log_in_at(client, "helseid", "kim")
    client.logout()
    User.objects.filter(external_identities__subject="helseid-kim").update(is_active=False)
    helseid.knows("kim", her_id="9900042", roles=["saksbehandler"])
    with caplog.at_level(logging.WARNING, logger="overgang.sso"):
        _, answer = log_in_at(client, "helseid", "kim")
    assert answer.status_code == 403
    assert "Your user is blocked in Overgang." in answer.content.decode()
    kim = User.objects.get(external_identities__subject="helseid-kim")
    assert [m.organisation.key for m in kim.memberships.all()] == ["oslo-frogner-hjemmesykepleie"]
