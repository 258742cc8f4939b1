"""Who may see or do what: the one place that says it.

Each function either returns what the person may reach (a queryset, an object)
or raises: ``Http404`` for another organisation's object (its existence is not
revealed), ``PermissionDenied`` (403) for a missing role. Views never filter by
hand.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.organisations.models import Organisation, Role


def has_role(user: User, organisation: Organisation, *kinds: Role.Kind) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Role.objects.filter(user=user, organisation=organisation, kind__in=kinds).exists()


def require_clas_manager(user: User, organisation: Organisation) -> None:
    """The registration queue of a CLAS belongs to its site managers."""
    if not organisation.is_clas:
        raise Http404
    if not has_role(user, organisation, Role.Kind.SITE_MANAGER):
        raise PermissionDenied


def registrations_for_manager(user: User, organisation: Organisation) -> QuerySet[Agent]:
    require_clas_manager(user, organisation)
    return Agent.objects.filter(clas=organisation)


def registration_for_manager(user: User, organisation: Organisation, pk: int) -> Agent:
    """One agent of the manager's CLAS; an agent of another CLAS is a 404."""
    agent = registrations_for_manager(user, organisation).select_related("user", "clas").filter(pk=pk).first()
    if agent is None:
        raise Http404
    return agent
