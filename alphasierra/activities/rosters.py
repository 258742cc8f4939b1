"""What an activity's managers read of its households: the requests in each
state with their people and ages on the start date, the totals of places and
amounts, and the rows of its files and of its sign-in sheet. Each in a fixed
number of queries, whatever the number of households."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import timezone

from alphasierra.activities.models import Activity, Participant, Registration


def age_on(birth_date: date | None, day: date) -> int | None:
    """Whole years on ``day`` (a child born on 29 February turns a year older on 1 March)."""
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def start_day(activity: Activity) -> date:
    """The first day, as the organisation's calendar reads it (Nouméa's evening is not Paris's)."""
    return timezone.localdate(activity.starts_at, ZoneInfo(activity.organisation.time_zone))


@dataclass
class Person:
    participant: Participant
    age: int | None


@dataclass
class Household:
    registration: Registration
    people: list[Person]
    # Place in the waiting list, from 1; None when not waiting.
    position: int | None = None

    @property
    def amount(self) -> Decimal:
        """What the household owes for its confirmed places."""
        return sum(
            (p.participant.price for p in self.people if p.participant.state == Participant.State.CONFIRMED),
            Decimal(0),
        )


@dataclass
class Roster:
    activity: Activity
    confirmed: list[Household] = field(default_factory=list)
    offered: list[Household] = field(default_factory=list)
    waiting: list[Household] = field(default_factory=list)
    cancelled: list[Household] = field(default_factory=list)

    def _count(self, state: str) -> int:
        households = self.confirmed + self.offered + self.waiting
        return sum(1 for h in households for p in h.people if p.participant.state == state)

    @property
    def places_confirmed(self) -> int:
        return self._count(Participant.State.CONFIRMED)

    @property
    def places_offered(self) -> int:
        return self._count(Participant.State.OFFERED)

    @property
    def people_waiting(self) -> int:
        return self._count(Participant.State.WAITING)

    @property
    def places_free(self) -> int:
        return max(self.activity.capacity - self.places_confirmed - self.places_offered, 0)

    @property
    def amount_confirmed(self) -> Decimal:
        return sum((h.amount for h in self.confirmed + self.offered + self.waiting), Decimal(0))

    def user_ids(self) -> list[int]:
        """The accounts whose data the roster shows (for the journal)."""
        return sorted(
            {h.registration.agent.user_id for h in self.confirmed + self.offered + self.waiting + self.cancelled}
        )


def activity_roster(*, activity: Activity) -> Roster:
    """The households of an activity: confirmed (partly confirmed ones too,
    listed where their confirmed people are), offered, waiting in arrival
    order, cancelled. Two queries."""
    registrations = (
        activity.registrations.select_related("agent__user", "requested_by")
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("position", "pk")))
        .order_by("created_at", "pk")
    )
    day = start_day(activity)
    roster = Roster(activity)
    position = 0
    for registration in registrations:
        people = [Person(p, age_on(p.birth_date, day)) for p in registration.participants.all()]
        household = Household(registration, people)
        if registration.state == Registration.State.WAITING:
            position += 1
            household.position = position
        {
            Registration.State.CONFIRMED: roster.confirmed,
            Registration.State.OFFERED: roster.offered,
            Registration.State.WAITING: roster.waiting,
            Registration.State.CANCELLED: roster.cancelled,
        }[Registration.State(registration.state)].append(household)
    return roster


def signin_people(*, activity: Activity) -> list[Person]:
    """The sign-in sheet (« feuille d'émargement »): everyone with a confirmed place, by name."""
    day = start_day(activity)
    confirmed = (
        Participant.objects.filter(registration__activity=activity, state=Participant.State.CONFIRMED)
        .select_related("registration__agent")
        .order_by("last_name", "first_name", "pk")
    )
    return [Person(p, age_on(p.birth_date, day)) for p in confirmed]
