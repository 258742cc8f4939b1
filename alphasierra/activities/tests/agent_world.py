"""Activities for the agents' page tests, made as a manager would leave them
(the managers' own pages and services are tested with them)."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from alphasierra.activities.models import Activity
from alphasierra.organisations.models import Organisation, Role


def outing(site: str = "sud-ouest", **fields: Any) -> Activity:
    """A published outing a month away, registration open until the day before."""
    organisation = Organisation.objects.get(slug=site)
    now = timezone.now()
    starts_at = fields.pop("starts_at", now + timedelta(days=30))
    values: dict[str, Any] = {
        "organisation": organisation,
        "state": Activity.State.PUBLISHED,
        "title": "Sortie au Pic du Midi",
        "description": "Départ en car à 8 h.",
        "place": "Pic du Midi de Bigorre",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=8),
        "registration_opens_at": now - timedelta(days=1),
        "registration_closes_at": starts_at - timedelta(days=1),
        "capacity": 4,
        "price_agent": Decimal("20.00"),
        "price_spouse": Decimal("20.00"),
        "price_child": Decimal("12.50"),
        "published_at": now,
        "created_by": Role.objects.filter(organisation=organisation).first().user,  # type: ignore[union-attr]
    }
    values.update(fields)
    activity = Activity(**values)
    activity.full_clean()
    activity.save()
    return activity
