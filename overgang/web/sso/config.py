"""Identity providers for single sign-on, read from the environment (docs/security.md).

OVERGANG_SSO_PROVIDERS names them (comma-separated); each name's settings follow as
OVERGANG_SSO_<NAME>_<SETTING>. A bad or missing value stops start-up with a message that
names the variable: a provider half configured must never end up vouching for anyone.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

PREFIX = "OVERGANG_SSO_"
# What a claim may name an organisation by: the register's fields.
ORGANISATION_IDS = ("her_id", "sor_id", "number")
NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Provider:
    name: str  # in the addresses: /sso/<name>/login/
    label: str  # on the button: "Log in with <label>"
    issuer: str
    discovery_url: str
    client_id: str
    client_secret: str
    scopes: str
    organisation_claim: str
    organisation_id: str  # one of ORGANISATION_IDS
    role_claim: str
    # Claim value → the app's role. Empty: the claim carries the app's own role values
    # (web/sso/claims.py; administrators and integration accounts never by default).
    roles: tuple[tuple[str, str], ...]
    vouches_for: tuple[str, ...]  # organisation keys: these and everything under them


def providers_from_env(environ: Mapping[str, str]) -> tuple[Provider, ...]:
    names = [n.strip() for n in environ.get(f"{PREFIX}PROVIDERS", "").split(",") if n.strip()]
    providers = tuple(_provider(name, environ) for name in names)
    if len({p.name for p in providers}) != len(providers):
        raise ImproperlyConfigured(f"{PREFIX}PROVIDERS names a provider twice.")
    return providers


def _provider(name: str, environ: Mapping[str, str]) -> Provider:
    if not NAME.match(name):
        raise ImproperlyConfigured(
            f"{PREFIX}PROVIDERS: {name!r} is not a provider name (lower-case letters, digits, -)."
        )
    key = f"{PREFIX}{name.upper().replace('-', '_')}_"

    def get(setting: str, default: str | None = None) -> str:
        value = environ.get(key + setting, "").strip() or default
        if value is None:
            raise ImproperlyConfigured(f"{key}{setting} is required for the provider {name!r}.")
        return value

    issuer = _secure_url(key + "ISSUER", get("ISSUER").rstrip("/"))
    organisation_id = get("ORGANISATION_ID", "her_id")
    if organisation_id not in ORGANISATION_IDS:
        raise ImproperlyConfigured(
            f"{key}ORGANISATION_ID={organisation_id!r}: use one of {', '.join(ORGANISATION_IDS)}."
        )
    vouches_for = tuple(k.strip() for k in get("VOUCHES_FOR").split(",") if k.strip())
    if not vouches_for:
        raise ImproperlyConfigured(f"{key}VOUCHES_FOR names no organisation.")
    return Provider(
        name=name,
        label=get("LABEL", name),
        issuer=issuer,
        discovery_url=_secure_url(
            key + "DISCOVERY_URL",
            get("DISCOVERY_URL", f"{issuer}/.well-known/openid-configuration"),
        ),
        client_id=get("CLIENT_ID"),
        client_secret=_secret(key, environ),
        scopes=_scopes(key, get("SCOPES", "openid profile")),
        organisation_claim=get("ORGANISATION_CLAIM", "organisation"),
        organisation_id=organisation_id,
        role_claim=get("ROLE_CLAIM", "role"),
        roles=_roles(key, get("ROLES", "")),
        vouches_for=vouches_for,
    )


def _secure_url(variable: str, url: str) -> str:
    """Tokens travel only over https; plain http only to this machine (a local test provider)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return url
    raise ImproperlyConfigured(f"{variable}={url!r} must be an https:// address.")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _secret(key: str, environ: Mapping[str, str]) -> str:
    """The client secret, from the environment or (better) from a file only the app reads."""
    if path := environ.get(key + "CLIENT_SECRET_FILE", "").strip():
        try:
            secret = Path(path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{key}CLIENT_SECRET_FILE: {error.strerror}.") from None
    else:
        secret = environ.get(key + "CLIENT_SECRET", "").strip()
    if not secret:
        raise ImproperlyConfigured(f"{key}CLIENT_SECRET or {key}CLIENT_SECRET_FILE is required.")
    return secret


def _scopes(key: str, scopes: str) -> str:
    if "openid" not in scopes.split():
        raise ImproperlyConfigured(f"{key}SCOPES={scopes!r} must include openid.")
    return scopes


def _roles(key: str, raw: str) -> tuple[tuple[str, str], ...]:
    """'lege=clinician,sykepleier=home-nurse' → pairs. That each role is one of the app's is
    checked when the app starts (web/sso/checks.py): the models cannot load in settings."""
    pairs = []
    for item in (i.strip() for i in raw.split(",") if i.strip()):
        value, _, role = item.partition("=")
        if not value.strip() or not role.strip():
            raise ImproperlyConfigured(f"{key}ROLES: {item!r} is not claim-value=role.")
        pairs.append((value.strip(), role.strip()))
    return tuple(pairs)
