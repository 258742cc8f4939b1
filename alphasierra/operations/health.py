"""Readiness: whether an app server can serve, as the load balancer asks it.

Each check answers ``ok``, ``degraded`` (the portal serves, but something
waits: the mail relay or the workers are behind) or ``failing`` (it cannot
serve: the load balancer must send its requests elsewhere). What went wrong is
logged here, on the server; the answer says only which check, never the
error's text, a host name or a version.
"""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from alphasierra.mail.selectors import outbox_oldest_pending
from alphasierra.operations.selectors import task_queue

logger = logging.getLogger("alphasierra.operations")

OK = "ok"
DEGRADED = "degraded"
FAILING = "failing"

# Loading the migration graph reads every migration file: once it has found
# nothing to apply, this process does not look again (a release's migrations
# are applied before its app servers start, never while they run).
_migrations_applied = False


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return OK


def check_cache() -> str:
    # A key of its own for each probe: the app servers share the cache and
    # probe at the same moments.
    key = f"operations:ready:{secrets.token_hex(8)}"
    cache.set(key, OK, timeout=10)
    if cache.get(key) != OK:
        logger.error("Readiness: the cache did not give back what was just written to it")
        return FAILING
    return OK


def check_migrations() -> str:
    global _migrations_applied
    if _migrations_applied:
        return OK
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        migration, _backwards = plan[0]
        logger.error("Readiness: %s migrations not applied, the first %s", len(plan), migration)
        return FAILING
    _migrations_applied = True
    return OK


def check_outbox() -> str:
    return _waiting("e-mail of the outbox", outbox_oldest_pending())


def check_tasks() -> str:
    return _waiting("task ready for a worker", task_queue().oldest_ready)


def _waiting(what: str, since: datetime | None) -> str:
    if since is None:
        return OK
    waited = timezone.now() - since
    if waited <= timedelta(minutes=settings.HEALTH_QUEUE_DELAY):
        return OK
    logger.warning("Readiness: the oldest %s has waited %s minutes", what, int(waited.total_seconds() // 60))
    return DEGRADED


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "migrations": check_migrations,
    "outbox": check_outbox,
    "tasks": check_tasks,
}
# Not tried once the database is out of reach: each would wait for it again.
ON_THE_DATABASE = frozenset({"migrations", "outbox", "tasks"})


@dataclass(frozen=True)
class Readiness:
    status: str
    checks: dict[str, str]


def readiness() -> Readiness:
    checks: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name in ON_THE_DATABASE and checks["database"] == FAILING:
            checks[name] = FAILING
            continue
        try:
            checks[name] = check()
        # Whatever the failure (refused, timed out, a bad answer), this server
        # must not get requests; the traceback goes to the log only.
        except Exception:
            logger.exception("Readiness: the %s check failed", name)
            checks[name] = FAILING
    found = set(checks.values())
    status = FAILING if FAILING in found else DEGRADED if DEGRADED in found else OK
    return Readiness(status=status, checks=checks)
