"""The reads of requests: positions, an agent's requests on every site, an
activity's lists and totals, each in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alphasierra.activities.models import Registration
from alphasierra.activities.selectors.registrations import (
    activity_roster,
    position_of,
    registrations_of_agent,
    waiting_position,
)
from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.activities.tests.making import activity_make, households
from alphasierra.agents.models import Relative
from alphasierra.associations.models import AssociationLink
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def ask(agent, activity, people=None, accept_partial=False):
    return registration_request(
        activity_id=activity.pk,
        agent=agent,
        people=people or [SELF, agent.relatives.get().pk],
        accept_partial=accept_partial,
        by=agent.user,
    )


def test_the_roster_lists_households_with_ages_on_the_start_date_and_the_totals(cast):
    activity = activity_make(capacity=4)
    lea, hugo = (Relative.objects.get(agent=cast.alice.agent, first_name=n).pk for n in ("Léa", "Hugo"))
    ask(cast.alice.agent, activity, [SELF, lea, hugo])
    first, second = households(2)
    ask(first, activity, accept_partial=True)  # one place left: the agent in, the child waits
    ask(second, activity)

    roster = activity_roster(activity=activity)

    start = activity.starts_at.date()
    assert [[p.participant.first_name for p in r.people] for r in roster.registered] == [
        ["Alice", "Léa", "Hugo"],
        ["Prénom"],
    ]
    ages = {p.participant.first_name: p.age for p in roster.registered[0].people}
    assert ages["Léa"] == start.year - 2012 - ((start.month, start.day) < (6, 1))
    assert ages["Alice"] == start.year - 1982 - ((start.month, start.day) < (4, 12))
    assert [(r.registration.agent_id, r.position, len(r.people)) for r in roster.waiting] == [
        (first.pk, 1, 1),
        (second.pk, 2, 2),
    ]
    assert (roster.places_confirmed, roster.places_offered, roster.people_waiting) == (4, 0, 3)
    assert roster.amount_confirmed == Decimal("12.50") + 5 + 5 + Decimal("12.50")


def test_an_agents_requests_on_every_site_with_their_position(cast):
    alice = cast.alice.agent
    ours = activity_make(capacity=1)
    (other,) = households(1)
    ask(other, ours, [SELF])
    theirs = activity_make("aramis", title="Week-end ARAMIS")
    AssociationLink.objects.create(agent=alice, association=Organisation.objects.get(slug="aramis"))
    ask(alice, ours, [SELF])
    ask(alice, theirs, [SELF])

    mine = list(registrations_of_agent(agent=alice))

    assert [(r.activity.organisation.slug, r.state, position_of(r)) for r in mine] == [
        ("sud-ouest", Registration.State.WAITING, 1),
        ("aramis", Registration.State.CONFIRMED, None),
    ]  # soonest first: the CLAS's outing was made first, a moment earlier
    assert waiting_position(registration=mine[0]) == 1
    assert waiting_position(registration=mine[1]) is None


@pytest.mark.parametrize("read", ["roster", "mine"])
def test_the_number_of_queries_does_not_grow_with_the_rows(cast, read):
    activity = activity_make(capacity=3)

    def count(n: int, start: int) -> int:
        for agent in households(n, start=start):
            ask(agent, activity)
        with CaptureQueriesContext(connection) as queries:
            if read == "roster":
                roster = activity_roster(activity=activity)
                [[p.age for p in r.people] for r in roster.registered + roster.waiting]
            else:
                for registration in registrations_of_agent(agent=cast.alice.agent):
                    (
                        registration.activity.organisation.name,
                        list(registration.participants.all()),
                        position_of(registration),
                    )
        return len(queries)

    if read == "mine":
        for n in range(3):
            ask(cast.alice.agent, activity_make(title=f"Sortie {n}"), [SELF])
    few = count(3, 100)
    if read == "mine":
        for n in range(3, 20):
            ask(cast.alice.agent, activity_make(title=f"Sortie {n}"), [SELF])
    many = count(30, 200)

    assert few == many
