"""Who may reach a CLAS's agents: its registration queue and its register.

Built on the role look-ups of ``organisations.access``, with their one refusal
rule (403 without a role, 404 for another organisation's staff or objects).
"""

from django.db.models import QuerySet
from django.http import Http404

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.organisations.access import STAFF_ROLES, require_clas_manager, require_role
from alphasierra.organisations.models import Organisation


def access_registrations(*, user: User, organisation: Organisation) -> QuerySet[Agent]:
    """The registration queue of a CLAS, for its site managers."""
    require_clas_manager(user, organisation)
    return Agent.objects.filter(clas=organisation)


def access_registration(*, user: User, organisation: Organisation, pk: int) -> Agent:
    """One agent of the manager's CLAS; an agent of another CLAS is a 404."""
    agent = (
        access_registrations(user=user, organisation=organisation).select_related("user", "clas").filter(pk=pk).first()
    )
    if agent is None:
        raise Http404
    return agent


def access_register(*, user: User, organisation: Organisation) -> QuerySet[Agent]:
    """The register (« référentiel agents ») of a CLAS: its site managers and CSR."""
    if not organisation.is_clas:
        raise Http404
    require_role(user, organisation, STAFF_ROLES[Organisation.Kind.CLAS])
    return Agent.objects.filter(clas=organisation)


def access_register_agent(*, user: User, organisation: Organisation, pk: int) -> Agent:
    agent = access_register(user=user, organisation=organisation).select_related("user", "clas").filter(pk=pk).first()
    if agent is None:
        raise Http404
    return agent
