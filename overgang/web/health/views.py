"""Is the process up, and can it serve? For a load balancer or an orchestrator, which ask
often and without logging in.

`/healthz` answers from the process alone: no database, no session, so a slow database
does not get a healthy process restarted. `/readyz` asks what serving needs: the database
answers, and every migration this code expects is applied (a process started before
`migrate` finished must not take requests). Neither shows anything of a patient, and the
answer names no host or table: the details go to the log.
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from overgang.unavailable import UNAVAILABLE, unreachable_because

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    problems: list[str] = []
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in pending)
            logger.warning("Not ready: migrations not applied: %s", names)
            problems.append(f"{len(pending)} migrations not applied")
    except UNAVAILABLE as error:
        logger.warning("Not ready: the database: %s", unreachable_because(error) or error)
        problems.append("the database cannot be reached")
    if problems:
        return JsonResponse({"status": "not ready", "problems": problems}, status=503)
    return JsonResponse({"status": "ready"})
