from django.db.models import QuerySet

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
