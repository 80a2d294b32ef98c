"""A start-up check of the single sign-on settings that needs the models (config.py cannot)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

from overgang.organisations.models import Role


def roles_are_the_apps(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(
            f"{provider.name}: the role mapping {value}={role} names no role of Overgang.",
            hint=f"Use one of {', '.join(Role.values)}.",
            id="overgang.sso.E001",
        )
        for provider in settings.SSO_PROVIDERS
        for value, role in provider.roles
        if role not in Role.values
    ]
