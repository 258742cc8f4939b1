"""The rules of agents/access.py, on the one refusal rule: 403 without a role,
404 for another organisation's staff or agents, 403 for the wrong role here."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from alphasierra.agents.access import (
    access_register,
    access_register_agent,
    access_registration,
    access_registrations,
)
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_a_site_manager_reaches_the_queue_and_register_of_their_clas_only(cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")

    queue = access_registrations(user=cast.bruno, organisation=sud_ouest)
    register = access_register(user=cast.bruno, organisation=sud_ouest)

    assert set(queue) == set(register)
    assert {cast.alice.agent, cast.paul.agent} <= set(register)
    assert {agent.clas for agent in register} == {sud_ouest}
    assert access_registration(user=cast.bruno, organisation=sud_ouest, pk=cast.paul.agent.pk) == cast.paul.agent
    with pytest.raises(Http404):  # Karim is an agent of Nord
        access_register_agent(user=cast.bruno, organisation=sud_ouest, pk=cast.karim.agent.pk)


def test_the_social_correspondent_reads_the_register_but_not_the_queue(cast):
    nord = Organisation.objects.get(slug="nord")

    assert access_register_agent(user=cast.chloe, organisation=nord, pk=cast.karim.agent.pk) == cast.karim.agent
    with pytest.raises(PermissionDenied):
        access_registrations(user=cast.chloe, organisation=nord)


@pytest.mark.parametrize(
    ("person", "refusal"),
    [("alice", PermissionDenied), ("chloe", Http404), ("david", Http404), ("nadia", Http404)],
)
def test_anyone_else_is_refused_by_the_one_rule(cast, person, refusal):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    user = getattr(cast, person)

    with pytest.raises(refusal):
        access_register(user=user, organisation=sud_ouest)
    with pytest.raises(refusal):
        access_registrations(user=user, organisation=sud_ouest)


def test_an_association_has_no_register_even_for_its_manager(cast):
    aramis = Organisation.objects.get(slug="aramis")

    with pytest.raises(Http404):
        access_register(user=cast.david, organisation=aramis)
