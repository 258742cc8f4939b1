"""The daily jobs of the activities: activities over become past; households
with a confirmed place are reminded a few days before the start."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from alphasierra.activities.models import Activity, Participant
from alphasierra.activities.services.publishing import LIVE_REGISTRATION, audit_activity
from alphasierra.mail.services import message_queue
from alphasierra.organisations.generations import public_pages_changed
from alphasierra.organisations.links import site_url

# Households are reminded this many days before the start.
REMIND_DAYS_BEFORE = 3
OPEN = (Activity.State.PUBLISHED, Activity.State.CLOSED)


def activities_end_past(*, now: datetime | None = None) -> int:
    """The daily job: activities that are over become past. Returns how many."""
    now = now or timezone.now()
    ended = 0
    for activity_id in Activity.objects.filter(state__in=OPEN, ends_at__lt=now).values_list("pk", flat=True):
        with transaction.atomic():
            # One at a time, under its lock: a manager cancelling it meanwhile wins or waits.
            locked = Activity.objects.select_for_update().select_related("organisation")
            activity = locked.filter(pk=activity_id, state__in=OPEN).first()
            if activity is None:
                continue
            activity.state = Activity.State.PAST
            activity.save(update_fields=["state"])
            audit_activity("activity.ended", activity, None)
            # From « Activités » to « Activités passées ».
            public_pages_changed(activity.organisation)
            ended += 1
    return ended


def activities_remind(*, now: datetime | None = None) -> int:
    """The daily job: a few days before the start, each household with a
    confirmed place is reminded where and when, once. Returns the e-mails queued."""
    now = now or timezone.now()
    queued = 0
    due = Activity.objects.filter(
        state__in=OPEN,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=REMIND_DAYS_BEFORE),
    ).select_related("organisation")
    for activity in due:
        with transaction.atomic():
            registrations = (
                activity.registrations.filter(
                    participants__state=Participant.State.CONFIRMED, state__in=LIVE_REGISTRATION
                )
                .distinct()
                .select_related("agent__user")
                .prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("position", "pk")))
                .order_by("pk")
            )
            for registration in registrations:
                confirmed = [p for p in registration.participants.all() if p.state == Participant.State.CONFIRMED]
                message_queue(
                    to=registration.agent.user.email,
                    template="activity_reminder",
                    context={
                        "activity": activity,
                        "participants": confirmed,
                        "site_url": site_url(activity.organisation),
                    },
                    organisation=activity.organisation,
                )
                queued += 1
            Activity.objects.filter(pk=activity.pk).update(reminded_at=now)
    return queued
