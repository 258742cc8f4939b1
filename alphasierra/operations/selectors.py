"""What the operations app reads that no app of the portal owns: the task
queue of django-tasks-db."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django_tasks_db.models import DBTaskResult, get_date_max


@dataclass(frozen=True)
class TaskQueue:
    ready: int
    # Since when the task that has waited longest for a worker could have run.
    oldest_ready: datetime | None


def task_queue() -> TaskQueue:
    """The tasks a worker could take now, in one query (the queue's partial
    index on the ready ones). A task is ready from its enqueueing, or from the
    time it was asked to run after (django-tasks-db stores "no such time" as
    the year 9999)."""
    ready_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    row = DBTaskResult.objects.ready().aggregate(ready=Count("pk"), oldest=Min(ready_since))
    return TaskQueue(ready=row["ready"], oldest_ready=row["oldest"])
