"""Each of the managers' lists makes the same number of SQL queries with few or many rows."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.activities.tests.helpers import activity_values, new_activity
from alphasierra.organisations.models import Organisation
from alphasierra.testing import make_agents

pytestmark = pytest.mark.django_db


def activities(n: int, start: int, activity: Activity) -> None:
    values = activity_values()
    Activity.objects.bulk_create(
        Activity(organisation=activity.organisation, state="published", **{**values, "title": f"Sortie {start + i}"})
        for i in range(n)
    )


def households(n: int, start: int, activity: Activity) -> None:
    """``n`` households of two, half confirmed and half waiting."""
    agents = make_agents(n, activity.organisation, "approved", start)
    registrations = Registration.objects.bulk_create(
        Registration(
            activity=activity,
            agent=agent,
            state="confirmed" if i % 2 else "waiting",
            created_at=activity.created_at + timedelta(minutes=start + i),
        )
        for i, agent in enumerate(agents)
    )
    Participant.objects.bulk_create(
        Participant(
            registration=registration,
            kind=kind,
            first_name=f"Prénom{registration.pk}",
            last_name=registration.agent.last_name,
            price=Decimal(5),
            state=registration.state,
            position=position,
        )
        for registration in registrations
        for position, kind in enumerate(("agent", "child"))
    )


PAGES: list[tuple[str, Callable[..., None]]] = [
    ("/sud-ouest/gestion/activites/", activities),
    ("/sud-ouest/gestion/activites/{pk}/", households),
    ("/sud-ouest/gestion/activites/{pk}/emargement/", households),
    ("/sud-ouest/gestion/activites/{pk}/participants.csv", households),
    ("/sud-ouest/gestion/activites/{pk}/participants.xlsx", households),
]


@pytest.mark.parametrize(("url", "fill"), PAGES)
def test_the_query_count_does_not_grow_with_the_rows(client: Client, cast, url, fill):
    activity = new_activity(Organisation.objects.get(slug="sud-ouest"), cast.bruno, capacity=1000)
    url = url.format(pk=activity.pk)
    client.force_login(cast.bruno)
    fill(5, 0, activity)
    client.get(url)  # the session, warmed

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    with_five = queries()
    fill(120, 5, activity)

    assert queries() == with_five
