"""What the agents' pages read: a site's activities with their free places,
one household's requests across sites with their place on the waiting list."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.activities.places import with_places
from alphasierra.activities.selectors.registrations import with_waiting_position
from alphasierra.agents.models import Agent

LIVE = (Registration.State.CONFIRMED, Registration.State.WAITING, Registration.State.OFFERED)


def site_activities(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """A site's list, soonest first, each with ``places_taken`` and ``people_waiting``."""
    return with_places(activities.select_related("organisation")).order_by("starts_at", "pk")


def activities_coming(activities: QuerySet[Activity], *, count: int) -> list[Activity]:
    """The next ``count`` activities of a site's list that have not started
    yet, soonest first (a site's home page): one query."""
    coming = activities.filter(
        state__in=(Activity.State.PUBLISHED, Activity.State.CLOSED), starts_at__gte=timezone.now()
    )
    return list(coming.select_related("organisation").order_by("starts_at", "pk")[:count])


def live_requests_by_activity(*, agent: Agent | None, activity_ids: list[int]) -> dict[int, Registration]:
    """The household's live request for each of these activities (one query)."""
    if agent is None or not activity_ids:
        return {}
    requests = with_waiting_position(
        Registration.objects.filter(agent=agent, activity_id__in=activity_ids, state__in=LIVE)
    )
    return {registration.activity_id: registration for registration in requests}


def my_requests(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """« Mes inscriptions »: the household's requests, the latest activity
    first, each with its participants and its place on the waiting list
    (``selectors.position_of``), in a fixed number of queries."""
    return with_waiting_position(
        registrations.select_related("activity", "activity__organisation")
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("position", "pk")))
        .order_by("-activity__starts_at", "-pk")
    )


def request_detail(registration: Registration) -> Registration:
    """One request with its place on the waiting list and its participants."""
    return my_requests(Registration.objects.filter(pk=registration.pk)).get()
