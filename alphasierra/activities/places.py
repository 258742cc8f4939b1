"""Counting places: a place is a person, held while confirmed or offered."""

from django.db.models import Count, Q, QuerySet

from alphasierra.activities.models import Activity, Participant

HOLDING = (Participant.State.CONFIRMED, Participant.State.OFFERED)


def places_taken(*, activity_id: int) -> int:
    return Participant.objects.filter(registration__activity_id=activity_id, state__in=HOLDING).count()


def with_places(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Annotate ``places_taken`` and ``people_waiting`` in the same query (lists of activities)."""
    return activities.annotate(
        places_taken=Count(
            "registrations__participants", filter=Q(registrations__participants__state__in=HOLDING), distinct=True
        ),
        people_waiting=Count(
            "registrations__participants",
            filter=Q(registrations__participants__state=Participant.State.WAITING),
            distinct=True,
        ),
    )
