"""What authlib checks for the app, configured so: the state (a replayed or foreign callback),
the audience of the ID token, its signature against the provider's keys."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.sso.conftest import log_in_at

pytestmark = pytest.mark.django_db

FAILED = "The login through HelseID could not be completed. Try again."


def replay(client, callback: str):
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


def test_a_replayed_callback_does_not_log_in_again(providers, helseid, client):
    helseid.knows("eva", her_id="9900044", roles=["hjemmesykepleier"])
    callback, answer = log_in_at(client, "helseid", "eva")
    assert answer.status_code == 302
    client.logout()
    again = replay(client, callback)
    assert again.status_code == 403
    assert FAILED in again.content.decode()
    assert not again.wsgi_request.user.is_authenticated


def test_a_callback_from_another_browser_does_not_log_in(providers, helseid, client):
    """Login CSRF: the code and state were issued to another session than this one."""
    helseid.knows("eva", her_id="9900044", roles=["hjemmesykepleier"])
    start = client.get("/sso/helseid/login/")
    state = dict(p.split("=", 1) for p in urlsplit(start["Location"]).query.split("&"))["state"]
    stranger = Client()
    answer = stranger.get(f"/sso/helseid/callback/?code=anything&state={state}")
    assert answer.status_code == 403
    assert not answer.wsgi_request.user.is_authenticated


def test_an_id_token_for_another_audience_is_refused(providers, helseid, client):
    helseid.knows("eva", her_id="9900044", roles=["hjemmesykepleier"])
    helseid.audience = "journal"
    try:
        _, answer = log_in_at(client, "helseid", "eva")
    finally:
        helseid.audience = None
    assert answer.status_code == 403
    assert FAILED in answer.content.decode()
    assert not User.objects.filter(external_identities__provider="helseid").exists()


def test_an_id_token_signed_with_another_key_is_refused(providers, helseid, client):
    from joserfc.jwk import RSAKey

    helseid.knows("eva", her_id="9900044", roles=["hjemmesykepleier"])
    # Same key id, other key: as if someone forged tokens in the provider's name.
    helseid.forged_key = RSAKey.generate_key(2048, parameters={"kid": helseid.key.kid})
    try:
        _, answer = log_in_at(client, "helseid", "eva")
    finally:
        helseid.forged_key = None
    assert answer.status_code == 403
    assert not User.objects.filter(external_identities__provider="helseid").exists()
