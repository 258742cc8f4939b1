"""Reads of the households' requests: a request's place on the waiting list,
an agent's requests across sites, an activity's participants and waiting list
with their totals. Each in a fixed number of queries, whatever the rows."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from alphasierra.activities.eligibility import activity_days, age_on
from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.agents.models import Agent

# Requests that may still have people on the waiting list (a request offered
# part of its places keeps its place in the queue for the others).
QUEUED = (Registration.State.WAITING, Registration.State.OFFERED)


def _has_waiting(registrations: "str") -> Exists:
    return Exists(Participant.objects.filter(registration=OuterRef(registrations), state=Participant.State.WAITING))


def waiting_queue(*, activity_id: int) -> QuerySet[Registration]:
    """The requests with someone waiting, in arrival order: the waiting list."""
    return (
        Registration.objects.filter(activity_id=activity_id, state__in=QUEUED)
        .filter(_has_waiting("pk"))
        .order_by("created_at", "pk")
    )


def _ahead_count() -> Subquery:
    ahead = (
        Registration.objects.filter(activity_id=OuterRef("activity_id"), state__in=QUEUED)
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")))
        .filter(_has_waiting("pk"))
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(ahead, output_field=IntegerField())


def with_waiting_position(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``waiting_position`` (1 for the first in line), in the same
    query; None for a request with nobody waiting."""
    return registrations.annotate(
        _queued=_has_waiting("pk"),
        _ahead=Coalesce(_ahead_count(), Value(0)),
    )


def waiting_position(*, registration: Registration) -> int | None:
    """The request's place on its activity's waiting list (1: next in line);
    None when nobody of it waits."""
    row = with_waiting_position(Registration.objects.filter(pk=registration.pk)).only("pk").first()
    return position_of(row) if row is not None else None


def position_of(registration: Registration) -> int | None:
    """The position annotated by ``with_waiting_position``."""
    if not getattr(registration, "_queued", False):
        return None
    return int(getattr(registration, "_ahead", 0)) + 1


def registrations_of_agent(*, agent: Agent) -> QuerySet[Registration]:
    """« Mes inscriptions »: every request of the household, on every site,
    soonest activity first, with its people and its waiting position."""
    return with_waiting_position(
        Registration.objects.filter(agent=agent)
        .select_related("activity__organisation")
        .prefetch_related("participants")
        .order_by("activity__starts_at", "activity_id", "created_at", "pk")
    )


@dataclass(frozen=True)
class RosterPerson:
    participant: Participant
    age: int | None  # on the start date, for the people with a birth date


@dataclass(frozen=True)
class RosterRequest:
    registration: Registration
    people: list[RosterPerson]
    position: int | None = None  # on the waiting list


@dataclass
class Roster:
    """An activity's lists: the households holding places (confirmed or offered),
    the waiting list in order, and the totals of places and amounts."""

    registered: list[RosterRequest] = field(default_factory=list)
    waiting: list[RosterRequest] = field(default_factory=list)
    places_confirmed: int = 0
    places_offered: int = 0
    people_waiting: int = 0
    amount_confirmed: Decimal = Decimal(0)
    amount_offered: Decimal = Decimal(0)

    @property
    def places_taken(self) -> int:
        return self.places_confirmed + self.places_offered


def activity_roster(*, activity: Activity) -> Roster:
    """The participants and the waiting list of an activity, with the family
    members of each request and their ages on the start date (two queries)."""
    first_day, _last_day = activity_days(activity)
    registrations = (
        Registration.objects.filter(activity=activity)
        .exclude(state=Registration.State.CANCELLED)
        .select_related("agent", "requested_by")
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("position", "pk")))
        .order_by("created_at", "pk")
    )
    roster = Roster()
    for registration in registrations:
        people = list(registration.participants.all())
        holding = [p for p in people if p.state in (Participant.State.CONFIRMED, Participant.State.OFFERED)]
        waiting = [p for p in people if p.state == Participant.State.WAITING]
        if holding:
            roster.registered.append(
                RosterRequest(registration, [RosterPerson(p, age_on(p.birth_date, first_day)) for p in holding])
            )
        if waiting:
            roster.waiting.append(
                RosterRequest(
                    registration,
                    [RosterPerson(p, age_on(p.birth_date, first_day)) for p in waiting],
                    position=len(roster.waiting) + 1,
                )
            )
        for person in holding:
            if person.state == Participant.State.CONFIRMED:
                roster.places_confirmed += 1
                roster.amount_confirmed += person.price
            else:
                roster.places_offered += 1
                roster.amount_offered += person.price
        roster.people_waiting += len(waiting)
    return roster
