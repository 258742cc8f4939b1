"""The cancellation of a request: by the household before the deadline, or
a removal by the activity's managers with a reason; freed places go on."""

import pytest
from django.utils import timezone

from alphasierra.activities.errors import RegistrationRefusedError
from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.activities.places import places_taken
from alphasierra.activities.services.registration import registration_cancel
from alphasierra.activities.tests.making import activity_make, alice_asks, ask, households
from alphasierra.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_household_cancels_one_child_and_the_place_goes_to_the_next(cast, outbox):
    activity = activity_make(capacity=4)
    alice = alice_asks(cast, activity, "Alice", "Léa", "Hugo")
    other, _third = households(2)
    waiting = ask(other, activity)
    hugo = alice.participants.get(first_name="Hugo")

    registration_cancel(registration_id=alice.pk, participant_ids=[hugo.pk], by=cast.alice)

    alice.refresh_from_db()
    hugo.refresh_from_db()
    waiting.refresh_from_db()
    assert alice.state == Registration.State.CONFIRMED
    assert (hugo.state, hugo.ending, hugo.ended_by) == ("cancelled", "by_agent", cast.alice)
    assert waiting.state == Registration.State.OFFERED
    assert places_taken(activity_id=activity.pk) == 4
    assert "Votre annulation est enregistrée pour :\n- Hugo Martin" in outbox("alice@example.fr")[-1].body_text
    assert AuditEvent.objects.filter(action="activity.cancelled_by_agent", subject=cast.alice).exists()


def test_the_whole_request_is_cancelled(cast):
    activity = activity_make()
    alice = alice_asks(cast, activity, "Alice", "Léa")

    registration_cancel(registration_id=alice.pk, participant_ids=None, by=cast.alice)

    alice.refresh_from_db()
    assert alice.state == Registration.State.CANCELLED
    assert alice.cancelled_at is not None
    assert places_taken(activity_id=activity.pk) == 0
    # A new request may then be made.
    assert alice_asks(cast, activity, "Alice").state == Registration.State.CONFIRMED


def test_the_household_cannot_cancel_after_the_deadline(cast):
    activity = activity_make()
    alice = alice_asks(cast, activity, "Alice")
    Activity.objects.filter(pk=activity.pk).update(registration_closes_at=timezone.now())

    with pytest.raises(RegistrationRefusedError) as refused:
        registration_cancel(registration_id=alice.pk, participant_ids=None, by=cast.alice)

    assert refused.value.code == "deadline"
    alice.refresh_from_db()
    assert alice.state == Registration.State.CONFIRMED


def test_a_manager_removes_someone_with_a_reason_and_the_household_is_told(cast, outbox):
    activity = activity_make()
    alice = alice_asks(cast, activity, "Alice", "Léa")
    lea = alice.participants.get(first_name="Léa")
    Activity.objects.filter(pk=activity.pk).update(registration_closes_at=timezone.now())

    with pytest.raises(RegistrationRefusedError) as no_reason:
        registration_cancel(registration_id=alice.pk, participant_ids=[lea.pk], by=cast.bruno, reason="  ")
    registration_cancel(registration_id=alice.pk, participant_ids=[lea.pk], by=cast.bruno, reason="Certificat absent")

    assert no_reason.value.field == "reason"
    lea.refresh_from_db()
    assert (lea.ending, lea.ending_reason, lea.ended_by) == ("removed", "Certificat absent", cast.bruno)
    text = outbox("alice@example.fr")[-1].body_text
    assert "Les responsables de l'activité ont retiré de la liste :\n- Léa Martin" in text
    assert "Certificat absent" in text
    assert AuditEvent.objects.get(action="activity.participant_removed").actor == cast.bruno


def test_another_agent_or_another_clas_manager_cannot_cancel(cast):
    alice = alice_asks(cast, activity_make(), "Alice")

    for intruder in (cast.karim, cast.chloe, cast.david):
        with pytest.raises(RegistrationRefusedError) as refused:
            registration_cancel(registration_id=alice.pk, participant_ids=None, by=intruder, reason="x")
        assert refused.value.code == "not_yours"
    assert Participant.objects.get().state == Participant.State.CONFIRMED


def test_cancelling_twice_or_someone_already_gone_is_refused(cast):
    alice = alice_asks(cast, activity_make(), "Alice", "Léa")
    lea = alice.participants.get(first_name="Léa")
    registration_cancel(registration_id=alice.pk, participant_ids=[lea.pk], by=cast.alice)

    with pytest.raises(RegistrationRefusedError) as again:
        registration_cancel(registration_id=alice.pk, participant_ids=[lea.pk], by=cast.alice)

    assert again.value.code == "unknown"
    assert Participant.objects.filter(state="cancelled").count() == 1
