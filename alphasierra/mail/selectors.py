from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q, QuerySet

from alphasierra.accounts.models import User
from alphasierra.mail.models import OutboxMessage


def outbox_recent(*, limit: int = 200) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.select_related("organisation").order_by("-created_at", "-id")[:limit]


def recipient_name(*, email: str, user: User | None = None) -> str:
    """The civilité and name to greet the recipient by (« Madame Alice Martin »):
    those of the agent record of the account (``user``, else the one the address
    belongs to); empty when the portal knows no name for them."""
    if user is None or not user.pk:
        user = User.objects.with_email(email).first()
    # The agent record is reached through the account: the mail app stands below the agents app.
    agent = getattr(user, "agent", None) if user is not None else None
    return str(agent.full_name) if agent is not None else ""


@dataclass(frozen=True)
class OutboxFigures:
    by_status: dict[str, int]
    # Still to be sent, after at least one failed attempt (the mail server
    # refused it, or could not be reached).
    retrying: int
    oldest_pending: datetime | None


def outbox_figures() -> OutboxFigures:
    """The outbox at a glance, in two queries whatever its size: the count by
    status reads the status index alone (the table holds every message of the
    last MAIL_RETENTION_DAYS, with its body), the rest reads the pending ones."""
    by_status = dict.fromkeys(OutboxMessage.Status.values, 0)
    for row in OutboxMessage.objects.values("status").annotate(n=Count("*")).order_by():
        by_status[row["status"]] = row["n"]
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).aggregate(
        retrying=Count("pk", filter=~Q(last_error="")), oldest=Min("created_at")
    )
    return OutboxFigures(by_status=by_status, retrying=pending["retrying"], oldest_pending=pending["oldest"])


def outbox_oldest_pending() -> datetime | None:
    """When the oldest message still owed was written (the pending ones only,
    through the status index)."""
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
    return pending.aggregate(oldest=Min("created_at"))["oldest"]
