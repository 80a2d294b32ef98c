"""Providers are configured from the environment; a bad value stops start-up and names the
variable, so that a half-configured provider never vouches for anyone."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from overgang.web.sso.checks import roles_are_the_apps
from overgang.web.sso.config import providers_from_env

BASE = {
    "OVERGANG_SSO_PROVIDERS": "helseid",
    "OVERGANG_SSO_HELSEID_ISSUER": "https://helseid-sts.example/",
    "OVERGANG_SSO_HELSEID_CLIENT_ID": "overgang",
    "OVERGANG_SSO_HELSEID_CLIENT_SECRET": "s",
    "OVERGANG_SSO_HELSEID_VOUCHES_FOR": "ous",
}


def test_defaults_of_a_provider():
    (provider,) = providers_from_env(BASE)
    assert provider.issuer == "https://helseid-sts.example"
    assert provider.discovery_url == "https://helseid-sts.example/.well-known/openid-configuration"
    assert (provider.scopes, provider.organisation_id) == ("openid profile", "her_id")
    assert providers_from_env({}) == ()


def test_the_client_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    env = {k: v for k, v in BASE.items() if not k.endswith("SECRET")}
    (provider,) = providers_from_env(
        {**env, "OVERGANG_SSO_HELSEID_CLIENT_SECRET_FILE": str(secret)}
    )
    assert provider.client_secret == "from-a-file"


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("OVERGANG_SSO_HELSEID_ISSUER", "http://helseid-sts.example", "ISSUER"),
        ("OVERGANG_SSO_HELSEID_VOUCHES_FOR", "", "VOUCHES_FOR"),
        ("OVERGANG_SSO_HELSEID_CLIENT_ID", "", "CLIENT_ID"),
        ("OVERGANG_SSO_HELSEID_CLIENT_SECRET", "", "CLIENT_SECRET"),
        ("OVERGANG_SSO_HELSEID_ORGANISATION_ID", "orgnr", "ORGANISATION_ID"),
        ("OVERGANG_SSO_HELSEID_SCOPES", "profile", "SCOPES"),
        ("OVERGANG_SSO_HELSEID_ROLES", "lege", "ROLES"),
        ("OVERGANG_SSO_PROVIDERS", "HelseID!", "PROVIDERS"),
    ],
)
def test_a_bad_value_stops_start_up_and_names_the_variable(variable, value, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        providers_from_env({**BASE, variable: value})


def test_a_role_mapping_to_no_role_of_the_app_fails_the_start_up_check(settings):
    settings.SSO_PROVIDERS = providers_from_env(
        {**BASE, "OVERGANG_SSO_HELSEID_ROLES": "lege=doctor"}
    )
    (error,) = roles_are_the_apps(None)
    assert "lege=doctor" in error.msg
