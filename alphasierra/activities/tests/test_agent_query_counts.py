"""The agents' lists make the same number of SQL queries with 3 or 15 rows."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.activities.tests.agent_world import outing
from alphasierra.testing import PortalClient

pytestmark = pytest.mark.django_db


def activities(n: int, cast) -> None:
    for i in range(n):
        activity = outing(title=f"Sortie {i}", for_retired=i % 2 == 0, for_meteo_france=i % 3 == 0)
        # Some with a request of Alice's household, and someone waiting.
        if i % 2:
            registration_request(
                activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
            )


def aramis_activities(n: int, cast) -> None:
    for i in range(n):
        outing("aramis", title=f"Séjour {i}")


def requests(n: int, cast) -> None:
    for i in range(n):
        activity = outing(title=f"Sortie {i}", capacity=1 + i % 2)
        registration_request(
            activity_id=activity.pk, agent=cast.bruno.agent, people=[SELF], accept_partial=False, by=cast.bruno
        )
        registration_request(
            activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
        )


PAGES: list[tuple[str, str | None, Callable[..., None]]] = [
    ("/sud-ouest/activites/", None, activities),
    ("/sud-ouest/activites/", "alice", activities),
    ("/aramis/activites/", "alice", aramis_activities),
    ("/comptes/inscriptions/", "alice", requests),
]


@pytest.mark.parametrize(("url", "persona", "fill"), PAGES)
def test_the_query_count_does_not_grow_with_the_rows(cast, url, persona, fill):
    client = PortalClient()
    if persona:
        client.force_login(getattr(cast, persona))
    client.get(url)  # the first visit of an association's site links the agent
    counts = []
    for n in (3, 12):
        fill(n, cast)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
