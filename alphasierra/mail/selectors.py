from django.db.models import QuerySet

from alphasierra.mail.models import OutboxMessage


def outbox_recent(*, limit: int = 200) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.select_related("organisation").order_by("-created_at", "-id")[:limit]
