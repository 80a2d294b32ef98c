"""The API keeps its OpenAPI document under generated input (issue 16, finding 6).

Schemathesis reads /api/v1/openapi.json and sends every operation requests drawn from its
schema, in process through the WSGI app, as demo users of three areas and as nobody. Every
answer must be no server error, have a status the operation declares, the declared content
type, and a body that fits the declared schema of that status. The run is bounded (a fixed
number of examples per operation, a fixed seed) so that `make test` stays within minutes
and a failure found once is found again.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi import checks as openapi_checks

from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.demo.management.commands.demo import Command as Demo
from overgang.organisations.tokens import issue_token

# Examples per operation and caller: 93 operations x 4 callers x this, within minutes.
EXAMPLES = 8
SEED = 2026

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {"mode": "all", "deterministic": True},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
]

# A case worker in Norway and one in Denmark, a hospital unit that lends, and the superuser.
CALLERS = ("levanger-case", "aalborg-case", "ous-bhm", "admin", None)


@pytest.fixture(scope="module")
def tokens(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """The demo installation with a token for each caller, rolled back after the module."""
    from django.contrib.auth.models import User

    with django_db_blocker.unblock(), transaction.atomic():
        with channel("command:demo"):
            Demo(stdout=io.StringIO()).load(actor=system_actor(), seed=SEED)
        yield {
            name: issue_token(User.objects.get(username=name)).token
            for name in CALLERS
            if name is not None
        }
        transaction.set_rollback(True)


@pytest.mark.parametrize("caller", CALLERS)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_keeps_its_document(case: Any, caller: str | None, tokens, db) -> None:
    headers = {"Authorization": f"Bearer {tokens[caller]}"} if caller else {}
    case.call_and_validate(headers=headers, checks=CHECKS)
