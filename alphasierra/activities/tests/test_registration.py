"""A household's request: one request for several people, confirmed when its
places fit, waiting in arrival order otherwise, and its cancellation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alphasierra.activities.errors import RegistrationRefusedError
from alphasierra.activities.models import Activity, Registration
from alphasierra.activities.places import places_taken
from alphasierra.activities.selectors.registrations import waiting_position
from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.activities.tests.making import activity_make, alice_asks, ask, households, states
from alphasierra.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_household_is_confirmed_as_one_request_when_its_places_fit(cast):
    activity = activity_make(capacity=4)

    registration = alice_asks(cast, activity, "Alice", "Léa", "Hugo")

    assert registration.state == Registration.State.CONFIRMED
    assert [p.first_name for p in registration.participants.order_by("position")] == ["Alice", "Léa", "Hugo"]
    assert states(registration) == ["confirmed"] * 3
    assert places_taken(activity_id=activity.pk) == 3
    event = AuditEvent.objects.get(action="activity.requested")
    assert event.subject == cast.alice
    assert event.data["confirmed"] == 3


def test_capacity_at_the_limit_fits_and_one_more_waits(cast):
    activity = activity_make(capacity=4)
    other, last = households(2)

    assert ask(other, activity).state == Registration.State.CONFIRMED  # 2 of 4
    assert alice_asks(cast, activity, "Alice", "Léa").state == Registration.State.CONFIRMED  # 4 of 4
    waiting = ask(last, activity, with_child=False)

    assert waiting.state == Registration.State.WAITING
    assert places_taken(activity_id=activity.pk) == 4
    assert waiting_position(registration=waiting) == 1


def test_all_or_nothing_by_default_waits_whole(cast):
    activity = activity_make(capacity=3)
    (other,) = households(1)
    ask(other, activity)  # 2 of 3

    registration = alice_asks(cast, activity, "Alice", "Léa")

    assert registration.state == Registration.State.WAITING
    assert states(registration) == ["waiting", "waiting"]
    assert places_taken(activity_id=activity.pk) == 2


def test_a_partial_place_confirms_the_first_people_and_the_rest_wait(cast):
    activity = activity_make(capacity=3)
    (other,) = households(1)
    ask(other, activity)

    registration = alice_asks(cast, activity, "Alice", "Léa", accept_partial=True)

    # Still « en attente » as a whole: part of the household is on the list.
    assert registration.state == Registration.State.WAITING
    assert states(registration) == ["confirmed", "waiting"]
    assert waiting_position(registration=registration) == 1


def test_the_waiting_list_keeps_arrival_order(cast):
    activity = activity_make(capacity=2)
    first, second, third = households(3)
    ask(first, activity)

    queue = [ask(second, activity), ask(third, activity)]

    assert [waiting_position(registration=r) for r in queue] == [1, 2]


def test_a_later_smaller_request_takes_places_a_bigger_one_cannot_use(cast):
    activity = activity_make(capacity=3)
    first, second = households(2)
    ask(first, activity)  # 2 of 3
    alice = alice_asks(cast, activity, "Alice", "Léa")  # needs 2: waits

    single = ask(second, activity, with_child=False)

    assert alice.state == Registration.State.WAITING
    assert single.state == Registration.State.CONFIRMED


def test_an_ineligible_person_refuses_the_request_with_the_reason(cast):
    activity = activity_make(child_max_age=11)

    with pytest.raises(RegistrationRefusedError) as refused:
        alice_asks(cast, activity, "Alice", "Léa", "Hugo")

    assert refused.value.code == "not_eligible"
    assert refused.value.field == "people"
    assert str(refused.value.message).startswith("Léa ne peut pas participer : Il faut avoir au plus 11 ans")
    assert not Registration.objects.exists()


def test_someone_of_another_clas_is_refused(cast):
    with pytest.raises(RegistrationRefusedError) as refused:
        registration_request(
            activity_id=activity_make().pk, agent=cast.karim.agent, people=[SELF], accept_partial=False, by=cast.karim
        )
    assert refused.value.code == "household"


def test_nobody_chosen_or_a_stranger_is_refused(cast):
    activity = activity_make()
    with pytest.raises(RegistrationRefusedError) as nobody:
        alice_asks(cast, activity)
    (stranger,) = households(1)
    with pytest.raises(RegistrationRefusedError) as unknown:
        registration_request(
            activity_id=activity.pk,
            agent=cast.alice.agent,
            people=[SELF, stranger.relatives.get().pk],
            accept_partial=False,
            by=cast.alice,
        )
    assert (nobody.value.code, unknown.value.code) == ("nobody", "unknown")


def test_one_live_request_per_household(cast):
    activity = activity_make()
    alice_asks(cast, activity, "Alice")

    with pytest.raises(RegistrationRefusedError) as refused:
        alice_asks(cast, activity, "Léa")

    assert refused.value.code == "already"
    assert Registration.objects.count() == 1


def test_only_the_household_or_a_manager_asks(cast):
    with pytest.raises(RegistrationRefusedError) as refused:
        registration_request(
            activity_id=activity_make().pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.karim
        )
    assert refused.value.code == "not_yours"


@pytest.mark.parametrize(
    ("window", "code"),
    [
        ({"registration_opens_at_in": timedelta(days=1)}, "not_open"),
        ({"registration_closes_at_in": timedelta(minutes=-1)}, "closed"),
        ({"state": Activity.State.CLOSED}, "closed"),
        ({"state": Activity.State.DRAFT}, "closed"),
        ({"state": Activity.State.CANCELLED, "cancellation_reason": "Météo"}, "closed"),
    ],
)
def test_the_window_and_the_state(cast, window, code):
    now = timezone.now()
    fields = dict(window)
    if "registration_opens_at_in" in fields:
        fields["registration_opens_at"] = now + fields.pop("registration_opens_at_in")
    if "registration_closes_at_in" in fields:
        fields["registration_opens_at"] = now - timedelta(days=3)
        fields["registration_closes_at"] = now + fields.pop("registration_closes_at_in")
    activity = activity_make(**fields)

    with pytest.raises(RegistrationRefusedError) as refused:
        alice_asks(cast, activity, "Alice")

    assert refused.value.code == code


def test_a_manager_takes_a_request_by_phone_after_the_deadline(cast, outbox):
    now = timezone.now()
    activity = activity_make(
        state=Activity.State.CLOSED, registration_opens_at=now - timedelta(days=3), registration_closes_at=now
    )

    registration = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.bruno
    )

    assert registration.state == Registration.State.CONFIRMED
    assert registration.requested_by == cast.bruno
    assert "Les responsables de l'activité ont enregistré une demande" in outbox("alice@example.fr")[-1].body_text
