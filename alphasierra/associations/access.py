"""Who may reach the agents an association knows: its managers, and only
through an active link (``AssociationLink``).

Built on the role look-ups of ``organisations.access``, with their one refusal
rule (403 without a role, 404 for another organisation's staff or objects).
"""

from django.db.models import QuerySet
from django.http import Http404

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.associations.models import AssociationLink
from alphasierra.organisations.access import require_role
from alphasierra.organisations.models import Organisation, Role


def access_members(*, user: User, organisation: Organisation) -> QuerySet[Agent]:
    """The agents an association knows (active links), for its managers."""
    if not organisation.is_association:
        raise Http404
    require_role(user, organisation, (Role.Kind.ASSOCIATION_MANAGER,))
    return Agent.objects.filter(
        association_links__association=organisation, association_links__state=AssociationLink.State.ACTIVE
    )


def access_member(*, user: User, organisation: Organisation, pk: int) -> Agent:
    """An agent the association knows; any other agent is a 404."""
    agent = access_members(user=user, organisation=organisation).select_related("user", "clas").filter(pk=pk).first()
    if agent is None:
        raise Http404
    return agent
