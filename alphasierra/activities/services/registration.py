"""A household's request for places, and its cancellation."""

from collections.abc import Sequence

from alphasierra.accounts.models import User
from alphasierra.activities.models import Registration
from alphasierra.agents.models import Agent

# The agent themselves, among the people a request names (the others are Relative ids).
SELF = "agent"


def registration_request(
    *,
    activity_id: int,
    agent: Agent,
    people: Sequence[str | int],
    accept_partial: bool,
    by: User,
) -> Registration:
    """Ask for places for ``people`` (``SELF`` and/or ids of the agent's relatives).

    Under a lock on the activity row: every person is checked for eligibility
    (``activities.eligibility``), the window (unless ``by`` manages the
    activity: a request taken by phone), and the free places; the request is
    confirmed when its places fit, partly confirmed when ``accept_partial``
    allows, and waits otherwise, in arrival order. Raises RegistrationRefusedError."""
    raise NotImplementedError


def registration_cancel(
    *,
    registration_id: int,
    participant_ids: Sequence[int] | None,
    by: User,
    reason: str = "",
) -> Registration:
    """End the places of some participants (``None``: the whole request).

    By the agent: before the deadline. By a manager of the activity: at any
    time, with a reason (removal), and the household is told by e-mail. Freed
    places are offered to the waiting list in the same transaction."""
    raise NotImplementedError
