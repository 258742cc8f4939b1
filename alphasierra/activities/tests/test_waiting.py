"""Offers of freed places: in arrival order, to the first request that fits,
held 48 hours but never past the deadline, accepted, let go or expired."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alphasierra.activities.errors import RegistrationRefusedError
from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.activities.places import places_taken
from alphasierra.activities.services._common import activity_lock
from alphasierra.activities.services.registration import SELF, registration_cancel, registration_request
from alphasierra.activities.services.waiting import offer_accept, offer_release, offers_expire, waitlist_offer
from alphasierra.activities.tests.making import activity_make, households
from alphasierra.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def ask(agent, activity, *, with_child=True, accept_partial=False):
    people = [SELF, agent.relatives.get().pk] if with_child else [SELF]
    return registration_request(
        activity_id=activity.pk, agent=agent, people=people, accept_partial=accept_partial, by=agent.user
    )


def cancel(registration):
    return registration_cancel(registration_id=registration.pk, participant_ids=None, by=registration.agent.user)


def fresh(registration):
    registration.refresh_from_db()
    return registration


def test_a_freed_place_is_offered_to_the_first_request_that_fits(cast, outbox):
    activity = activity_make(capacity=2)
    holder, big, small = households(3)
    held = ask(holder, activity)
    first = ask(big, activity)  # 2 people: waits at 1
    second = ask(small, activity, with_child=False)  # 1 person: waits at 2

    registration_cancel(
        registration_id=held.pk, participant_ids=[held.participants.get(kind="child").pk], by=holder.user
    )

    assert fresh(first).state == Registration.State.WAITING  # 2 do not fit in 1
    offered = fresh(second)
    assert offered.state == Registration.State.OFFERED
    assert offered.participants.get().state == Participant.State.OFFERED
    assert places_taken(activity_id=activity.pk) == 2
    message = outbox(small.user.email)[-1]
    assert "Des places vous sont proposées" in message.subject
    assert "Acceptez-les avant le" in message.body_text
    assert "/comptes/inscriptions/" in message.body_text
    assert AuditEvent.objects.filter(action="activity.offered", subject=small.user).exists()


def test_an_offer_holds_48_hours_but_never_past_the_deadline(cast):
    far = activity_make(capacity=1)
    now = timezone.now()
    near = activity_make(capacity=1, starts_at=now + timedelta(days=2), registration_closes_at=now + timedelta(hours=5))
    for activity, start in ((far, 0), (near, 10)):
        holder, waiting = households(2, start=start)
        held = ask(holder, activity, with_child=False)
        queued = ask(waiting, activity, with_child=False)
        cancel(held)
        offer = fresh(queued)
        if activity is far:
            assert timedelta(hours=47, minutes=59) < offer.offer_expires_at - now <= timedelta(hours=48, minutes=1)
        else:
            assert offer.offer_expires_at == near.registration_closes_at


@pytest.mark.parametrize(
    "change",
    [
        {"state": Activity.State.CLOSED},
        {"state": Activity.State.CANCELLED, "cancellation_reason": "Pluie"},
        {"state": Activity.State.PAST},
        {"registration_closes_at_passed": True},
    ],
)
def test_no_offer_once_the_deadline_passed_or_the_activity_closed(cast, change):
    activity = activity_make(capacity=1)
    holder, waiting = households(2)
    held = ask(holder, activity, with_child=False)
    queued = ask(waiting, activity, with_child=False)
    change = dict(change)
    if change.pop("registration_closes_at_passed", False):
        change["registration_closes_at"] = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(**change)
    Participant.objects.filter(registration=held).update(state="cancelled", ending="by_agent")

    with transaction.atomic():
        assert waitlist_offer(activity=activity_lock(activity.pk)) == 0

    assert fresh(queued).state == Registration.State.WAITING


def test_accepting_confirms_the_places(cast, outbox):
    activity = activity_make(capacity=1)
    holder, waiting = households(2)
    held = ask(holder, activity, with_child=False)
    queued = ask(waiting, activity, with_child=False)
    cancel(held)

    offer_accept(registration_id=queued.pk, by=waiting.user)

    accepted = fresh(queued)
    assert accepted.state == Registration.State.CONFIRMED
    assert accepted.offer_expires_at is None
    assert accepted.participants.get().state == Participant.State.CONFIRMED
    assert "Inscription confirmée" in outbox(waiting.user.email)[-1].subject
    with pytest.raises(RegistrationRefusedError) as again:
        offer_accept(registration_id=queued.pk, by=waiting.user)
    assert again.value.code == "no_offer"


def test_only_the_household_answers_an_offer(cast):
    activity = activity_make(capacity=1)
    holder, waiting = households(2)
    cancel_me = ask(holder, activity, with_child=False)
    queued = ask(waiting, activity, with_child=False)
    cancel(cancel_me)

    for intruder in (holder.user, cast.bruno, cast.alice):
        with pytest.raises(RegistrationRefusedError):
            offer_accept(registration_id=queued.pk, by=intruder)
        with pytest.raises(RegistrationRefusedError):
            offer_release(registration_id=queued.pk, by=intruder)
    assert fresh(queued).state == Registration.State.OFFERED


def test_releasing_passes_the_places_to_the_next_and_nobody_twice(cast):
    activity = activity_make(capacity=1)
    holder, first, second = households(3)
    held = ask(holder, activity, with_child=False)
    one = ask(first, activity, with_child=False)
    two = ask(second, activity, with_child=False)
    cancel(held)

    offer_release(registration_id=one.pk, by=first.user)

    released = fresh(one)
    assert released.state == Registration.State.CANCELLED
    assert released.participants.get().ending == Participant.Ending.RELEASED
    assert fresh(two).state == Registration.State.OFFERED
    # Let go again: nobody is left; the released request is not offered again.
    offer_release(registration_id=two.pk, by=second.user)
    assert fresh(one).state == Registration.State.CANCELLED
    assert places_taken(activity_id=activity.pk) == 0
    assert AuditEvent.objects.filter(action="activity.offered", subject=first.user).count() == 1


def test_an_expired_offer_passes_on_and_a_late_accept_is_refused(cast, outbox):
    activity = activity_make(capacity=1)
    holder, first, second = households(3)
    held = ask(holder, activity, with_child=False)
    one = ask(first, activity, with_child=False)
    two = ask(second, activity, with_child=False)
    cancel(held)
    Registration.objects.filter(pk=one.pk).update(offer_expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(RegistrationRefusedError) as late:
        offer_accept(registration_id=one.pk, by=first.user)
    assert late.value.code == "expired"

    assert offers_expire() == 1

    expired = fresh(one)
    assert expired.state == Registration.State.CANCELLED
    assert expired.participants.get().ending == Participant.Ending.EXPIRED
    assert fresh(two).state == Registration.State.OFFERED
    assert "Offre expirée" in outbox(first.user.email)[-1].subject
    assert offers_expire() == 0  # the next one is not due yet
    assert AuditEvent.objects.filter(action="activity.offer_expired").count() == 1


def test_a_cancelled_waiting_request_never_blocks_the_next(cast):
    activity = activity_make(capacity=1)
    holder, first, second = households(3)
    held = ask(holder, activity, with_child=False)
    one = ask(first, activity, with_child=False)
    two = ask(second, activity, with_child=False)

    cancel(one)
    cancel(held)

    assert fresh(two).state == Registration.State.OFFERED


def test_a_partial_request_is_offered_what_fits(cast):
    activity = activity_make(capacity=2)
    holder, waiting = households(2)
    held = ask(holder, activity)
    queued = ask(waiting, activity, accept_partial=True)  # waits whole: nothing free

    registration_cancel(
        registration_id=held.pk, participant_ids=[held.participants.get(kind="child").pk], by=holder.user
    )

    offer = fresh(queued)
    assert offer.state == Registration.State.OFFERED
    assert sorted(p.state for p in offer.participants.all()) == ["offered", "waiting"]
    offer_accept(registration_id=queued.pk, by=waiting.user)
    assert fresh(queued).state == Registration.State.WAITING  # the child still waits


def test_raising_the_capacity_offers_the_new_places_in_order(cast):
    activity = activity_make(capacity=1)
    holder, first, second = households(3)
    ask(holder, activity, with_child=False)
    one = ask(first, activity)
    two = ask(second, activity)

    with transaction.atomic():
        locked = activity_lock(activity.pk)
        locked.capacity = 3
        locked.save(update_fields=["capacity"])
        assert waitlist_offer(activity=locked) == 1

    assert fresh(one).state == Registration.State.OFFERED
    assert fresh(two).state == Registration.State.WAITING


def test_the_expiry_runs_every_few_minutes():
    assert "alphasierra.activities.services.waiting.offers_expire" in settings.PERIODIC_JOBS["frequent"]
