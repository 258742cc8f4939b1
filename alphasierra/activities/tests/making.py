"""Activities and households for the tests of the requests and the waiting
list: the activity row written as its managers' services leave it."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.activities.models import Activity, Registration
from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.agents.models import Agent, Relative
from alphasierra.organisations.models import Organisation
from alphasierra.testing import make_agents


def activity_make(slug: str = "sud-ouest", **overrides: object) -> Activity:
    """A published outing of a CLAS a month away, registrations open until the
    week before (the cast must exist: Bruno made it)."""
    now = timezone.now()
    starts_at = overrides.pop("starts_at", now + timedelta(days=30))
    fields: dict[str, object] = {
        "organisation": Organisation.objects.get(slug=slug),
        "state": Activity.State.PUBLISHED,
        "title": "Sortie au zoo",
        "place": "Zoo de Plaisance-du-Touch",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=8),  # type: ignore[operator]
        "registration_opens_at": now - timedelta(days=1),
        "registration_closes_at": starts_at - timedelta(days=7),  # type: ignore[operator]
        "capacity": 4,
        "price_agent": Decimal("12.50"),
        "price_spouse": Decimal("12.50"),
        "price_child": Decimal("5"),
        "published_at": now,
        "created_by": User.objects.get(email="bruno@alpha-sierra.org"),
    }
    fields.update(overrides)
    activity = Activity(**fields)
    activity.full_clean()
    activity.save()
    return activity


def households(n: int, slug: str = "sud-ouest", *, start: int = 0) -> list[Agent]:
    """``n`` approved agents of a CLAS, each with one child (born 2018)."""
    agents = make_agents(n, Organisation.objects.get(slug=slug), Agent.State.APPROVED, start)
    for agent in agents:
        agent.relatives.update(birth_date=timezone.now().date().replace(year=2018))
    return agents


def user_of(agent: Agent) -> User:
    return agent.user


def family(cast: Any, *names: str) -> list[str | int]:
    """Alice's household by first name: ``family(cast, "Alice", "Hugo")``."""
    relatives = {r.first_name: r.pk for r in Relative.objects.filter(agent=cast.alice.agent)}
    return [SELF if name == "Alice" else relatives[name] for name in names]


def alice_asks(cast: Any, activity: Activity, *names: str, accept_partial: bool = False) -> Registration:
    return registration_request(
        activity_id=activity.pk,
        agent=cast.alice.agent,
        people=family(cast, *names),
        accept_partial=accept_partial,
        by=cast.alice,
    )


def ask(agent: Agent, activity: Activity, *, with_child: bool = True, accept_partial: bool = False) -> Registration:
    """A household of ``households``: the agent, and their one child unless told otherwise."""
    people: list[str | int] = [SELF, agent.relatives.get().pk] if with_child else [SELF]
    return registration_request(
        activity_id=activity.pk, agent=agent, people=people, accept_partial=accept_partial, by=agent.user
    )


def states(registration: Registration) -> list[str]:
    return [p.state for p in registration.participants.order_by("position")]
