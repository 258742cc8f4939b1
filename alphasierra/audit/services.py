from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.audit.models import AuditEvent
from alphasierra.organisations.models import Organisation


def audit_record(
    *,
    action: str,
    actor: User | None,
    organisation: Organisation | None,
    subject: User | None = None,
    data: dict[str, Any] | None = None,
    included: Iterable[int] = (),
) -> AuditEvent:
    """Write one audit event, in the caller's transaction: the event exists
    exactly when the change it records was committed.

    ``included`` lists the ids of the users an event about many concerns (the
    agents of an export), written in bulk: a constant number of queries
    whatever their number."""
    event = AuditEvent.objects.create(
        action=action, actor=actor, organisation=organisation, subject=subject, data=data or {}
    )
    through = AuditEvent.included.through
    through.objects.bulk_create(
        (through(auditevent_id=event.pk, user_id=user_id) for user_id in included), batch_size=1000
    )
    return event


def audit_purge(*, now: datetime | None = None) -> int:
    """Delete events past their retention (AUDIT_RETENTION_DAYS, 12 months by default)."""
    now = now or timezone.now()
    deleted, _ = AuditEvent.objects.filter(created_at__lt=now - timedelta(days=settings.AUDIT_RETENTION_DAYS)).delete()
    return deleted


def audit_anonymise(*, subject: User) -> int:
    """Make the events about a person who is being erased say no longer whom
    they were about, nor the values they recorded (names, reasons, before and
    after of a correction); who did what, where and when stays.

    The one update made to this append-only table: the person's right to
    erasure comes before the completeness of the trail.
    """
    return AuditEvent.objects.filter(subject=subject).update(subject=None, data={})
