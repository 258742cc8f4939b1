"""An erased account takes its requests with it; the places they held pass
to the waiting list."""

import pytest

from alphasierra.activities.models import Registration
from alphasierra.activities.places import places_taken
from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.activities.tests.making import activity_make, households
from alphasierra.agents.services.erasure import agent_erase, agent_request_deletion
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_places_of_an_erased_household_are_offered_to_the_next(cast, outbox):
    activity = activity_make(capacity=2)
    alice = cast.alice.agent
    registration_request(activity_id=activity.pk, agent=alice, people=[SELF], accept_partial=False, by=cast.alice)
    holder, waiting = households(2)
    registration_request(activity_id=activity.pk, agent=holder, people=[SELF], accept_partial=False, by=holder.user)
    queued = registration_request(
        activity_id=activity.pk, agent=waiting, people=[SELF], accept_partial=False, by=waiting.user
    )
    agent_request_deletion(user=cast.alice)

    agent_erase(agent_id=alice.pk, clas=Organisation.objects.get(slug="sud-ouest"), manager=cast.bruno)

    assert not Registration.objects.filter(agent_id=alice.pk).exists()
    queued.refresh_from_db()
    assert queued.state == Registration.State.OFFERED
    assert places_taken(activity_id=activity.pk) == 2
    assert "Des places vous sont proposées" in outbox(waiting.user.email)[-1].subject
    assert outbox("alice@example.fr") == []
