"""Activities and households for the tests of the requests and the waiting
list: the activity row written as its managers' services leave it."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.activities.models import Activity
from alphasierra.agents.models import Agent
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
