"""Offers of freed places to the waiting list, in arrival order."""

from datetime import datetime

from alphasierra.accounts.models import User
from alphasierra.activities.models import Activity, Registration

# How long an offer holds its places, unless the deadline comes first.
OFFER_HOLD_HOURS = 48


def waitlist_offer(*, activity: Activity) -> int:
    """Offer the free places to the first waiting requests that fit (all their
    waiting people, or as many as fit for a request accepting a partial
    place), each by e-mail, held until ``offer_expires_at``. The caller holds
    the lock on the activity row. Returns the number of requests offered."""
    raise NotImplementedError


def offer_accept(*, registration_id: int, by: User) -> Registration:
    """The household takes the places offered: they become confirmed."""
    raise NotImplementedError


def offer_release(*, registration_id: int, by: User) -> Registration:
    """The household lets the places offered go (« Libérer ma place »): they
    pass to the next request that fits."""
    raise NotImplementedError


def offers_expire(*, now: datetime | None = None) -> int:
    """The frequent job: offers not taken in time end, and their places pass on."""
    raise NotImplementedError
