"""The rules of associations/access.py: an association's managers reach the
agents it knows through an active link, and no one else."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from alphasierra.associations.access import access_member, access_members
from alphasierra.associations.models import AssociationLink
from alphasierra.associations.services import association_visit, association_withdraw
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_manager_reaches_only_the_agents_with_an_active_link(cast):
    aramis = Organisation.objects.get(slug="aramis")
    association_visit(user=cast.alice, association=aramis)

    assert list(access_members(user=cast.david, organisation=aramis)) == [cast.alice.agent]
    assert access_member(user=cast.david, organisation=aramis, pk=cast.alice.agent.pk) == cast.alice.agent
    with pytest.raises(Http404):
        access_member(user=cast.david, organisation=aramis, pk=cast.karim.agent.pk)

    association_withdraw(user=cast.alice, association=aramis)
    assert AssociationLink.objects.get(agent=cast.alice.agent).state == AssociationLink.State.WITHDRAWN
    with pytest.raises(Http404):
        access_member(user=cast.david, organisation=aramis, pk=cast.alice.agent.pk)


@pytest.mark.parametrize(("person", "refusal"), [("alice", PermissionDenied), ("bruno", Http404), ("nadia", Http404)])
def test_anyone_else_is_refused_by_the_one_rule(cast, person, refusal):
    aramis = Organisation.objects.get(slug="aramis")

    with pytest.raises(refusal):
        access_members(user=getattr(cast, person), organisation=aramis)
