"""The secret address of a person's calendar of confirmed activities."""

import secrets

from django.db import transaction
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.activities.models import CalendarFeed
from alphasierra.audit.services import audit_record


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """Make the person's calendar address, or a new one: the old address
    stops working at once (a copied or leaked address is ended this way)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    renewed = feed is not None
    if feed is None:
        feed = CalendarFeed(user=user)
    feed.nonce = secrets.token_urlsafe(32)
    feed.created_at = timezone.now()
    feed.full_clean()
    if renewed:
        feed.save(update_fields=["nonce", "created_at"])
    else:
        feed.save()
    audit_record(
        action="activity.calendar_renewed" if renewed else "activity.calendar_created",
        actor=user,
        organisation=None,
        subject=user,
    )
    return feed
