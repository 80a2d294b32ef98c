"""Logging in through an organisation's identity provider over OpenID Connect, and out again.

The flow is authlib's: the authorization code flow with PKCE, the state and the nonce kept in
the session and checked on return, the ID token's signature verified against the provider's
keys (JWKS), its issuer, audience, expiry and nonce checked. What is left here is what
Overgang decides: which organisations and roles the claims may grant (claims.py), and the user
they belong to (organisations.vouched)."""

from __future__ import annotations

import logging
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, login, logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from joserfc.errors import JoseError

from overgang.audit.history import system_actor
from overgang.organisations.models import ExternalIdentity
from overgang.organisations.vouched import sign_in_vouched
from overgang.web.sso.claims import Refused, vouched_from_claims
from overgang.web.sso.clients import client_for, provider_named, providers
from overgang.web.sso.config import Provider

log = logging.getLogger("overgang.sso")

# What the session remembers of a login through a provider, for logging out there too.
SESSION_PROVIDER = "sso_provider"
SESSION_ID_TOKEN = "sso_id_token"
SESSION_NEXT = "sso_next"
# Seconds of clock difference allowed between the provider and this server.
LEEWAY = 60


class Login(LoginView):
    """The local login (the demo, and administrators' break-glass access), with a button for
    each configured identity provider."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_providers"] = providers()
        return context


@require_GET
def start(request: HttpRequest, name: str) -> HttpResponse:
    provider = provider_named(name)
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        request.session[SESSION_NEXT] = next_url
    else:
        request.session.pop(SESSION_NEXT, None)
    callback = request.build_absolute_uri(reverse("sso-callback", args=[provider.name]))
    try:
        response: HttpResponse = client_for(provider).authorize_redirect(request, callback)
    except (OAuthError, requests.RequestException) as error:
        log.warning("sso %s: cannot start a login: %s", provider.name, error)
        message = _("%(provider)s cannot be reached now.") % {"provider": provider.label}
        return _refused(request, message, status=502)
    return response


@require_GET
def callback(request: HttpRequest, name: str) -> HttpResponse:
    provider = provider_named(name)
    try:
        claims, id_token = _verified_claims(request, provider)
        vouched = vouched_from_claims(provider, claims)
    except Refused as refusal:
        log.warning("sso %s: login refused: %s", provider.name, refusal.detail)
        return _refused(request, refusal.message, status=403)
    if ExternalIdentity.objects.filter(
        provider=provider.name, subject=vouched.subject, user__is_active=False
    ).exists():
        # Blocked by an administrator: the provider's word does not lift that.
        log.warning("sso %s: login refused: %s is blocked", provider.name, vouched.subject)
        return _refused(request, _("Your user is blocked in Overgang."), status=403)
    user = sign_in_vouched(vouched, actor=system_actor())
    next_url = request.session.pop(SESSION_NEXT, "") or resolve_url(settings.LOGIN_REDIRECT_URL)
    login(request, user, backend="overgang.organisations.permission_backend.StampedModelBackend")
    # After login(), which gives the session a new key: what logging out needs.
    request.session[SESSION_PROVIDER] = provider.name
    request.session[SESSION_ID_TOKEN] = id_token
    log.info("sso %s: %s logged in", provider.name, user)
    return HttpResponseRedirect(next_url)


def _verified_claims(request: HttpRequest, provider: Provider) -> tuple[dict[str, Any], str]:
    """The ID token's claims (and the token itself, for logging out), once authlib has
    checked state, code, signature, issuer, audience, expiry and nonce; anything wrong is a
    Refused."""
    client = client_for(provider)
    try:
        token = client.authorize_access_token(
            request,
            claims_options={"iss": {"essential": True, "values": [provider.issuer]}},
            leeway=LEEWAY,
        )
    except (OAuthError, JoseError, requests.RequestException) as error:
        raise Refused(
            _("The login through %(provider)s could not be completed. Try again.")
            % {"provider": provider.label},
            f"{type(error).__name__}: {error}",
        ) from None
    claims = token.get("userinfo")
    if not claims:
        raise Refused(
            _("The login through %(provider)s could not be completed. Try again.")
            % {"provider": provider.label},
            "the token response had no ID token",
        )
    return dict(claims), str(token.get("id_token", ""))


def _refused(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(
        request,
        "registration/login.html",
        {"sso_providers": providers(), "sso_error": message, "next": ""},
        status=status,
    )


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    """End the session here, and at the provider too when the login came through one that
    offers RP-initiated logout."""
    name = request.session.get(SESSION_PROVIDER)
    id_token = request.session.get(SESSION_ID_TOKEN, "")
    logout(request)
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    provider = next((p for p in providers() if p.name == name), None)
    if provider is None:
        return redirect(after)
    client = client_for(provider)
    try:
        end_session = client.load_server_metadata().get("end_session_endpoint")
    except (OAuthError, requests.RequestException) as error:
        log.warning("sso %s: no logout at the provider: %s", provider.name, error)
        end_session = None
    if not end_session:
        return redirect(after)
    response: HttpResponse = client.logout_redirect(
        request,
        post_logout_redirect_uri=request.build_absolute_uri(after),
        id_token_hint=id_token or None,
    )
    return response
