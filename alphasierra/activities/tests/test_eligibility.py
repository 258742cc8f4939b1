"""Who of a household may take part: status, employer, the association's
link, and children's ages on the activity's own calendar."""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from alphasierra.activities.eligibility import (
    AGENT_KEY,
    activity_days,
    age_on,
    household_candidates,
    household_refusal,
)
from alphasierra.activities.tests.making import activity_make
from alphasierra.agents.models import Agent, Relative
from alphasierra.associations.models import AssociationLink
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def by_name(candidates):
    return {candidate.first_name: candidate for candidate in candidates}


def test_alice_and_her_family_are_offered_in_the_family_order_with_their_prices(cast):
    activity = activity_make()

    candidates = household_candidates(activity=activity, agent=cast.alice.agent)

    assert [c.first_name for c in candidates] == ["Alice", "Julien", "Léa", "Hugo"]
    assert candidates[0].key == AGENT_KEY
    assert all(c.eligible for c in candidates)
    assert [c.price for c in candidates] == [Decimal("12.50"), Decimal("12.50"), Decimal(5), Decimal(5)]


def test_a_child_is_eligible_by_age_on_the_start_date(cast):
    hugo = Relative.objects.get(agent=cast.alice.agent, first_name="Hugo")
    hugo.birth_date = date(2016, 5, 10)
    hugo.save(update_fields=["birth_date"])
    paris = datetime(2027, 5, 9, 8, 0, tzinfo=UTC)  # Hugo is 10 on 9 May 2027, 11 the next day
    activity = activity_make(starts_at=paris, child_min_age=3, child_max_age=10, spouse_admitted=False)

    people = by_name(household_candidates(activity=activity, agent=cast.alice.agent))

    assert people["Hugo"].eligible
    assert not people["Léa"].eligible
    assert people["Léa"].reason == "Il faut avoir au plus 10 ans le jour du début."
    assert not people["Julien"].eligible
    assert people["Julien"].reason == "Cette activité n'est pas ouverte aux conjoints."

    older = activity_make(starts_at=datetime(2027, 5, 10, 8, 0, tzinfo=UTC), child_min_age=3, child_max_age=10)
    assert not by_name(household_candidates(activity=older, agent=cast.alice.agent))["Hugo"].eligible


def test_a_stay_needs_the_child_still_within_the_ages_on_its_last_day(cast):
    hugo = Relative.objects.get(agent=cast.alice.agent, first_name="Hugo")
    hugo.birth_date = date(2016, 7, 14)
    hugo.save(update_fields=["birth_date"])
    stay = activity_make(
        starts_at=datetime(2027, 7, 10, 8, 0, tzinfo=UTC),
        ends_at=datetime(2027, 7, 20, 16, 0, tzinfo=UTC),
        registration_closes_at=datetime(2027, 6, 30, 8, 0, tzinfo=UTC),
        child_max_age=10,
    )

    hugo_there = by_name(household_candidates(activity=stay, agent=cast.alice.agent))["Hugo"]

    assert not hugo_there.eligible
    assert hugo_there.reason == "Il faut avoir encore au plus 10 ans le dernier jour."


def test_the_age_is_reckoned_on_the_organisations_own_day(cast):
    """08:00 on 1 March in Nouméa is still 28 February in Paris (22:00): a
    child turning 12 on 1 March is 12 on the day of a Nouméa outing."""
    noumea_morning = datetime(2027, 3, 1, 8, 0, tzinfo=ZoneInfo("Pacific/Noumea"))
    activity = activity_make("nouvelle-caledonie", starts_at=noumea_morning, child_min_age=12)
    Relative.objects.filter(agent=cast.alice.agent, first_name="Hugo").update(birth_date=date(2015, 3, 1))

    assert noumea_morning.astimezone(ZoneInfo("Europe/Paris")).date() == date(2027, 2, 28)
    assert activity_days(activity)[0] == date(2027, 3, 1)
    assert age_on(date(2015, 3, 1), date(2027, 3, 1)) == 12
    assert age_on(date(2015, 3, 1), date(2027, 2, 28)) == 11
    Agent.objects.filter(pk=cast.alice.agent.pk).update(clas=Organisation.objects.get(slug="nouvelle-caledonie"))
    cast.alice.agent.refresh_from_db()
    assert by_name(household_candidates(activity=activity, agent=cast.alice.agent))["Hugo"].eligible


def test_a_child_born_on_29_february_has_their_birthday_on_1_march():
    assert age_on(date(2016, 2, 29), date(2027, 2, 28)) == 10
    assert age_on(date(2016, 2, 29), date(2027, 3, 1)) == 11


def test_another_clas_is_refused_with_the_reason(cast):
    activity = activity_make()

    assert household_refusal(activity=activity, agent=cast.karim.agent) == (
        "Cette activité est réservée aux agents du CLAS Sud-Ouest."
    )
    assert all(not c.eligible for c in household_candidates(activity=activity, agent=cast.karim.agent))


def test_an_agent_awaiting_approval_is_refused(cast):
    assert household_refusal(activity=activity_make(), agent=cast.paul.agent) == (
        "Votre inscription doit d'abord être validée par votre CLAS."
    )


@pytest.mark.parametrize(
    ("status", "employer", "limits", "reason"),
    [
        ("active", "dgac", {"for_active": False}, "Cette activité est réservée aux retraités."),
        ("retired", "dgac", {"for_retired": False}, "Cette activité est réservée aux agents en activité."),
        ("active", "dgac", {"for_dgac": False}, "Cette activité est réservée aux agents de Météo-France."),
        ("active", "meteo_france", {"for_meteo_france": False}, "Cette activité est réservée aux agents de la DGAC."),
        ("retired", "meteo_france", {"for_active": False, "for_dgac": False}, None),
    ],
)
def test_status_and_employer(cast, status, employer, limits, reason):
    Agent.objects.filter(pk=cast.alice.agent.pk).update(status=status, employer=employer)
    cast.alice.agent.refresh_from_db()

    assert household_refusal(activity=activity_make(**limits), agent=cast.alice.agent) == reason


def test_an_association_activity_needs_the_associations_link(cast):
    activity = activity_make("aramis")
    alice = cast.alice.agent

    assert household_refusal(activity=activity, agent=alice) == (
        "Cette activité est réservée aux agents connus d'ARAMIS."
    )
    link = AssociationLink.objects.create(agent=alice, association=Organisation.objects.get(slug="aramis"))
    assert household_refusal(activity=activity, agent=alice) is None
    link.state = AssociationLink.State.WITHDRAWN
    link.save(update_fields=["state"])
    assert "retiré votre lien" in (household_refusal(activity=activity, agent=alice) or "")


def test_a_child_without_a_birth_date_cannot_be_checked(cast):
    Relative.objects.filter(agent=cast.alice.agent, first_name="Léa").update(birth_date=None)

    lea = by_name(household_candidates(activity=activity_make(child_max_age=11), agent=cast.alice.agent))["Léa"]

    assert not lea.eligible
    assert "date de naissance" in lea.reason
