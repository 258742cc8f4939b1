"""Activities for the managers' tests, made through the publishing services."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.activities.models import Activity
from alphasierra.activities.services.publishing import activity_create, activity_publish
from alphasierra.organisations.models import Organisation


def activity_values(*, days: int = 30, zone: str = "Europe/Paris", **overrides: Any) -> dict[str, Any]:
    """A day out in ``days`` days, 10:00 to 17:00 in ``zone``, registrations open now."""
    day = (timezone.now() + timedelta(days=days)).astimezone(ZoneInfo(zone)).date()
    start = datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo(zone))
    values: dict[str, Any] = {
        "title": "Sortie au Pic du Midi",
        "description": "Montée en **téléphérique**, pique-nique au sommet.",
        "place": "Pic du Midi de Bigorre",
        "starts_at": start,
        "ends_at": start + timedelta(hours=7),
        "registration_opens_at": min(timezone.now() - timedelta(hours=1), start - timedelta(days=10)),
        "registration_closes_at": start - timedelta(days=2),
        "capacity": 4,
        "price_agent": Decimal("12.50"),
        "price_spouse": Decimal("12.50"),
        "price_child": Decimal("5.00"),
        "child_min_age": 3,
        "child_max_age": 11,
        "for_retired": False,
    }
    return {**values, **overrides}


def new_activity(organisation: Organisation, by: User, *, publish: bool = True, **overrides: Any) -> Activity:
    activity = activity_create(organisation=organisation, values=activity_values(**overrides), by=by)
    if publish:
        activity = activity_publish(activity_id=activity.pk, organisation=organisation, by=by)
    return activity
