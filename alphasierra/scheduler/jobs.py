"""Running the periodic jobs listed in ``settings.PERIODIC_JOBS``."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobOutcome:
    name: str
    result: object = None
    error: str = ""


def jobs_for(schedule: str) -> list[tuple[str, Callable[[], object]]]:
    return [(path, import_string(path)) for path in settings.PERIODIC_JOBS[schedule]]


def jobs_run(schedule: str) -> list[JobOutcome]:
    """Run every job of a schedule once; one failing job does not stop the others."""
    outcomes = []
    for name, job in jobs_for(schedule):
        try:
            result = job()
        # A periodic job must not take the others down with it; the error is
        # logged and shown, and the job runs again at the next tick.
        except Exception as error:
            logger.exception("Periodic job %s failed", name)
            outcomes.append(JobOutcome(name=name, error=f"{type(error).__name__}: {error}"))
        else:
            outcomes.append(JobOutcome(name=name, result=result))
    return outcomes


def task_results_prune() -> None:
    """Delete finished task results older than two weeks (django-tasks-db keeps them all)."""
    call_command("prune_db_task_results", min_age_days=14, verbosity=0)


def sessions_purge_expired() -> None:
    """Delete expired sessions: Django never does by itself, and a session can
    hold an address typed on the sign-up form."""
    call_command("clearsessions", verbosity=0)
