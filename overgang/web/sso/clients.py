"""One authlib client per configured provider, made when first needed and kept: it remembers
the provider's discovery document and keys between requests."""

from __future__ import annotations

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.http import Http404

from overgang.web.sso.config import Provider

# Seconds to wait for the provider's token endpoint, discovery document and keys.
TIMEOUT = 10

_clients: dict[Provider, DjangoOAuth2App] = {}


def providers() -> tuple[Provider, ...]:
    configured: tuple[Provider, ...] = settings.SSO_PROVIDERS
    return configured


def provider_named(name: str) -> Provider:
    for provider in providers():
        if provider.name == name:
            return provider
    raise Http404


def client_for(provider: Provider) -> DjangoOAuth2App:
    if provider not in _clients:
        client = OAuth().register(
            provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.discovery_url,
            client_kwargs={
                "scope": provider.scopes,
                # PKCE: a stolen code is useless without the verifier kept in the session.
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "client_secret_basic",
                "default_timeout": TIMEOUT,
            },
        )
        assert isinstance(client, DjangoOAuth2App)
        _clients[provider] = client
    return _clients[provider]
