from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alphasierra.activities.errors import ActivityStateError
from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.activities.services.publishing import (
    activity_cancel,
    activity_close,
    activity_create,
    activity_duplicate,
    activity_publish,
    activity_update,
)
from alphasierra.activities.tests.helpers import activity_values, new_activity
from alphasierra.audit.models import AuditEvent
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def sud_ouest(cast) -> Organisation:
    return Organisation.objects.get(slug="sud-ouest")


def household(activity: Activity, agent, state: str, people: int = 2) -> Registration:
    """A request in ``state`` written directly: the publishing services only read them."""
    registration = Registration.objects.create(
        activity=activity,
        agent=agent,
        state=state,
        offer_expires_at=timezone.now() + timedelta(hours=48) if state == "offered" else None,
    )
    for position in range(people):
        Participant.objects.create(
            registration=registration,
            kind="agent" if position == 0 else "child",
            first_name=agent.first_name,
            last_name=agent.last_name,
            price=Decimal(5),
            state=state,
            ending="by_agent" if state == "cancelled" else "",
            position=position,
        )
    return registration


def cancellations(outbox, user) -> list:
    return [message for message in outbox(user.email) if "Activité annulée" in message.subject]


def test_it_creates_a_draft_and_audits_it(cast, sud_ouest):
    activity = activity_create(organisation=sud_ouest, values=activity_values(), by=cast.bruno)

    assert activity.state == Activity.State.DRAFT
    assert activity.created_by == cast.bruno
    assert AuditEvent.objects.filter(action="activity.created", actor=cast.bruno, organisation=sud_ouest).exists()


def test_it_refuses_an_end_before_the_start(cast, sud_ouest):
    values = activity_values()
    values["ends_at"] = values["starts_at"] - timedelta(hours=1)

    with pytest.raises(ValidationError):
        activity_create(organisation=sud_ouest, values=values, by=cast.bruno)
    assert not Activity.objects.exists()


def test_it_refuses_cents_in_francs_pacifique(cast):
    tahiti = Organisation.objects.get(slug="polynesie-francaise")

    with pytest.raises(ValidationError) as refused:
        activity_create(
            organisation=tahiti,
            values=activity_values(zone="Pacific/Tahiti", price_child=Decimal("10.50")),
            by=cast.nadia,
        )
    assert set(refused.value.message_dict) == {"price_agent", "price_spouse", "price_child"}


def test_it_refuses_a_field_a_manager_does_not_set(cast, sud_ouest):
    with pytest.raises(ValueError, match="state"):
        activity_create(organisation=sud_ouest, values={**activity_values(), "state": "published"}, by=cast.bruno)


def test_publishing_twice_is_refused_the_second_time(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)

    with pytest.raises(ActivityStateError):
        activity_publish(activity_id=activity.pk, organisation=sud_ouest, by=cast.bruno)
    assert activity.published_at is not None
    assert AuditEvent.objects.filter(action="activity.published").count() == 1


def test_an_activity_of_another_organisation_is_not_found(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno, publish=False)

    with pytest.raises(Activity.DoesNotExist):
        activity_publish(activity_id=activity.pk, organisation=Organisation.objects.get(slug="nord"), by=cast.chloe)


def test_an_activity_already_over_is_not_published(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno, publish=False, days=-2)

    with pytest.raises(ActivityStateError):
        activity_publish(activity_id=activity.pk, organisation=sud_ouest, by=cast.bruno)


def test_closing_keeps_the_activity_on_its_site(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)

    closed = activity_close(activity_id=activity.pk, organisation=sud_ouest, by=cast.bruno)

    assert closed.state == Activity.State.CLOSED
    with pytest.raises(ActivityStateError):
        activity_close(activity_id=activity.pk, organisation=sud_ouest, by=cast.bruno)


def test_an_update_records_before_and_after(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)

    activity_update(activity_id=activity.pk, organisation=sud_ouest, values={"place": "Tarbes"}, by=cast.bruno)

    event = AuditEvent.objects.get(action="activity.updated")
    assert event.data["changes"] == {"place": {"before": "Pic du Midi de Bigorre", "after": "Tarbes"}}


def test_an_update_changing_nothing_records_nothing(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)

    activity_update(activity_id=activity.pk, organisation=sud_ouest, values={"capacity": 4}, by=cast.bruno)

    assert not AuditEvent.objects.filter(action="activity.updated").exists()


def test_raising_the_capacity_offers_the_new_places_under_the_lock(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)

    with mock.patch("alphasierra.activities.services.waiting.waitlist_offer", return_value=1) as offer:
        activity_update(activity_id=activity.pk, organisation=sud_ouest, values={"capacity": 6}, by=cast.bruno)

    offer.assert_called_once()
    assert offer.call_args.kwargs["activity"].capacity == 6


def test_a_draft_s_new_places_are_offered_to_nobody(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno, publish=False)

    with mock.patch("alphasierra.activities.services.waiting.waitlist_offer") as offer:
        activity_update(activity_id=activity.pk, organisation=sud_ouest, values={"capacity": 6}, by=cast.bruno)

    offer.assert_not_called()


def test_the_capacity_never_goes_below_the_places_held(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    household(activity, cast.alice.agent, "confirmed", people=3)

    with pytest.raises(ValidationError) as refused:
        activity_update(activity_id=activity.pk, organisation=sud_ouest, values={"capacity": 2}, by=cast.bruno)

    assert "capacity" in refused.value.message_dict
    activity.refresh_from_db()
    assert activity.capacity == 4
    activity_update(activity_id=activity.pk, organisation=sud_ouest, values={"capacity": 3}, by=cast.bruno)


def test_a_cancelled_activity_cannot_be_edited(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    activity_cancel(activity_id=activity.pk, organisation=sud_ouest, by=cast.bruno, reason="Météo")

    with pytest.raises(ActivityStateError):
        activity_update(activity_id=activity.pk, organisation=sud_ouest, values={"place": "Ailleurs"}, by=cast.bruno)


def test_a_duplicate_is_a_new_draft_without_registrations(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    household(activity, cast.alice.agent, "confirmed")

    copy = activity_duplicate(activity_id=activity.pk, organisation=sud_ouest, by=cast.bruno)

    assert copy.pk != activity.pk
    assert copy.state == Activity.State.DRAFT
    assert copy.title == "Sortie au Pic du Midi (copie)"
    assert (copy.capacity, copy.price_child, copy.child_max_age) == (4, Decimal("5.00"), 11)
    assert not copy.registrations.exists()
    assert AuditEvent.objects.get(action="activity.duplicated").data["source"] == activity.pk


def test_cancelling_ends_every_request_and_tells_every_household(cast, sud_ouest, outbox):
    activity = new_activity(sud_ouest, cast.bruno)
    confirmed = household(activity, cast.alice.agent, "confirmed")
    waiting = household(activity, cast.karim.agent, "waiting")
    household(activity, cast.paul.agent, "cancelled", people=1)

    activity_cancel(activity_id=activity.pk, organisation=sud_ouest, by=cast.bruno, reason="  Tempête annoncée  ")

    activity.refresh_from_db()
    assert (activity.state, activity.cancellation_reason) == ("cancelled", "Tempête annoncée")
    for registration in (confirmed, waiting):
        registration.refresh_from_db()
        assert registration.state == "cancelled"
        assert set(registration.participants.values_list("state", "ending", "ended_by")) == {
            ("cancelled", "activity_cancelled", cast.bruno.pk)
        }
    [to_alice] = cancellations(outbox, cast.alice)
    assert "Tempête annoncée" in to_alice.body_text
    assert "Votre inscription est close" in to_alice.body_text
    [to_karim] = cancellations(outbox, cast.karim)
    assert "liste d'attente" in to_karim.body_text
    assert cancellations(outbox, cast.paul) == []
    assert AuditEvent.objects.get(action="activity.cancelled").data["households"] == 2


def test_cancelling_needs_a_reason(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)

    with pytest.raises(ValidationError):
        activity_cancel(activity_id=activity.pk, organisation=sud_ouest, by=cast.bruno, reason="   ")
    activity.refresh_from_db()
    assert activity.state == "published"


def test_cancelling_twice_is_refused(cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    activity_cancel(activity_id=activity.pk, organisation=sud_ouest, by=cast.bruno, reason="Météo")

    with pytest.raises(ActivityStateError):
        activity_cancel(activity_id=activity.pk, organisation=sud_ouest, by=cast.bruno, reason="Météo")
