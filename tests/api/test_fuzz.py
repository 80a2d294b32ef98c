"""The API keeps its OpenAPI document under generated input (issue 16, finding 6).

Schemathesis reads /api/v1/openapi.json and sends every operation requests drawn from its
schema (valid ones and deliberately invalid ones), in process through the WSGI app, as demo
users of three areas and the superuser, and as nobody. Every answer must be no server
error, have a status the operation declares, the declared content type and headers, and a
body that fits the schema declared for that status. The run is bounded (a fixed number of
examples per operation and caller, a fixed seed, no shrinking database) so that `make test`
stays within minutes and a failure found once is found again; no operation is skipped.

Run it alone: `.venv/bin/pytest tests/api/test_fuzz.py` (docs/contracts/api.md).
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi import checks as openapi_checks

from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.demo.management.commands.demo import Command as Demo
from overgang.organisations.tokens import issue_token

# Examples per operation and caller: 93 operations x 5 callers x 8, a few minutes.
EXAMPLES = 8
SEED = 2026

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {"mode": "all", "deterministic": True},
        # Examples and fuzzing; the coverage phase alone would send thousands of requests.
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

# A case worker in Norway and one in Denmark, a hospital unit that lends, the superuser, and
# a request without a token.
CALLERS = ("levanger-case", "aalborg-case", "ous-bhm", "admin", None)

# What was sent, by operation and by the status of the answer, for the summary line.
OPERATIONS: set[str] = set()
ANSWERS: Counter[int] = Counter()


@pytest.fixture(scope="module")
def tokens(
    django_db_setup: None, django_db_blocker: Any, pytestconfig: pytest.Config
) -> Iterator[dict[str, str]]:
    """The demo installation with a token for each caller, rolled back after the module.

    The requests go through Django's own WSGI handler inside this transaction: as Django's
    test client does, the connection is not closed at each request's end (with a pool, or
    CONN_MAX_AGE=0, it would be: the transaction and its demo data gone)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield from _demo_with_tokens(django_db_blocker, pytestconfig)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _demo_with_tokens(
    django_db_blocker: Any, pytestconfig: pytest.Config
) -> Iterator[dict[str, str]]:
    with django_db_blocker.unblock(), transaction.atomic():
        with channel("command:demo"):
            Demo(stdout=io.StringIO()).load(actor=system_actor(), seed=SEED)
        yield {
            name: issue_token(User.objects.get(username=name)).token
            for name in CALLERS
            if name is not None
        }
        transaction.set_rollback(True)
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and ANSWERS:
        by_status = ", ".join(f"{status}: {n}" for status, n in sorted(ANSWERS.items()))
        # A fixture's teardown is captured like the test's: say it past the capture.
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nschemathesis: {len(OPERATIONS)} operations, "
                f"{sum(ANSWERS.values())} requests, by status {by_status}"
            )


@pytest.mark.parametrize("caller", CALLERS)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    # The demo data is set up once for the module, not per example.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
def test_the_api_keeps_its_document(case: Any, caller: str | None, tokens, db) -> None:
    headers = {"Authorization": f"Bearer {tokens[caller]}"} if caller else {}
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    OPERATIONS.add(case.operation.label)
    ANSWERS[response.status_code] += 1
