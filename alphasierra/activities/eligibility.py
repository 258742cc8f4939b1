"""Who of a household may take part in an activity, and why not."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alphasierra.activities.models import Activity, Participant
from alphasierra.agents.models import Agent


@dataclass(frozen=True)
class Candidate:
    """One person of the household, as the registration form offers them."""

    key: str | int  # services.registration.SELF, or the Relative's id
    kind: Participant.Kind
    first_name: str
    last_name: str
    birth_date: date | None
    eligible: bool
    reason: str  # why not, in French; empty when eligible
    price: Decimal


def household_refusal(*, activity: Activity, agent: Agent) -> str | None:
    """Why this household may not register at all (not approved, another CLAS,
    unknown to the association or withdrawn, status, employer), in French; None
    when it may."""
    raise NotImplementedError


def household_candidates(*, activity: Activity, agent: Agent) -> list[Candidate]:
    """The agent, their spouse and their children, in the family's order, each
    with their eligibility (children's ages on the start date, and for a stay
    over several days on the end date too) and price."""
    raise NotImplementedError
