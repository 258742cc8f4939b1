from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.activities.services.daily import activities_end_past, activities_remind
from alphasierra.activities.tests.helpers import new_activity
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def confirmed_household(activity: Activity, agent, states: tuple[str, ...]) -> Registration:
    registration = Registration.objects.create(
        activity=activity, agent=agent, state="waiting" if "waiting" in states else "confirmed"
    )
    for position, state in enumerate(states):
        Participant.objects.create(
            registration=registration,
            kind="agent" if position == 0 else "child",
            first_name=f"Personne{position}",
            last_name=agent.last_name,
            price=Decimal(0),
            state=state,
            position=position,
        )
    return registration


def test_both_jobs_run_daily():
    assert "alphasierra.activities.services.daily.activities_end_past" in settings.PERIODIC_JOBS["daily"]
    assert "alphasierra.activities.services.daily.activities_remind" in settings.PERIODIC_JOBS["daily"]


def test_activities_over_become_past(cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    soon = new_activity(sud_ouest, cast.bruno, days=2)
    draft = new_activity(sud_ouest, cast.bruno, days=2, publish=False)

    assert activities_end_past(now=timezone.now() + timedelta(days=1)) == 0
    assert activities_end_past(now=timezone.now() + timedelta(days=3)) == 1

    soon.refresh_from_db()
    draft.refresh_from_db()
    assert (soon.state, draft.state) == ("past", "draft")


def test_confirmed_households_are_reminded_once_with_their_confirmed_people(cast, outbox):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    activity = new_activity(sud_ouest, cast.bruno, days=2)
    confirmed_household(activity, cast.alice.agent, ("confirmed", "waiting"))
    confirmed_household(activity, cast.paul.agent, ("waiting",))

    assert activities_remind() == 1
    assert activities_remind() == 0

    [reminder] = [m for m in outbox(cast.alice.email) if "Rappel" in m.subject]
    assert "Rappel : Sortie au Pic du Midi" in reminder.subject
    assert "Personne0" in reminder.body_text
    assert "Personne1" not in reminder.body_text
    assert not [m for m in outbox(cast.paul.email) if "Rappel" in m.subject]


def test_nobody_is_reminded_of_an_activity_still_far_off(cast, outbox):
    activity = new_activity(Organisation.objects.get(slug="sud-ouest"), cast.bruno, days=10)
    confirmed_household(activity, cast.alice.agent, ("confirmed",))

    assert activities_remind() == 0
    assert activities_remind(now=timezone.now() + timedelta(days=8)) == 1
