"""Who may see or do what: the one place that says it.

Each function either returns what the person may reach (a queryset, an object)
or raises. The answers follow one rule, so that nothing leaks between the 16
organisations:

- someone with no staff role at all is refused plainly: 403;
- staff of *another* organisation get 404, as for an object of another
  organisation: the page of an organisation they do not belong to does not
  exist for them;
- staff of this organisation lacking the role the page needs get 403.

Views never filter by hand.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.organisations.models import Organisation, Role

if TYPE_CHECKING:
    from alphasierra.transfers.models import Transfer

# The roles that make someone staff of an organisation of each kind.
STAFF_ROLES = {
    Organisation.Kind.CLAS: (Role.Kind.SITE_MANAGER, Role.Kind.SOCIAL_CORRESPONDENT),
    Organisation.Kind.ASSOCIATION: (Role.Kind.ASSOCIATION_MANAGER,),
    Organisation.Kind.NATIONAL: (Role.Kind.NATIONAL_ADMIN,),
}


def roles_of(user: User) -> list[Role]:
    """The person's roles, read once per request (kept on the user object,
    which lives as long as the request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Role] | None = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(user=user).select_related("organisation"))
        user._portal_roles = cached  # type: ignore[attr-defined]
    return cached


def is_staff(user: User) -> bool:
    return bool(roles_of(user))


def has_role(user: User, organisation: Organisation, *kinds: Role.Kind) -> bool:
    return any(role.organisation_id == organisation.pk and role.kind in kinds for role in roles_of(user))


def _require(user: User, organisation: Organisation, kinds: tuple[Role.Kind, ...]) -> None:
    roles = roles_of(user)
    if not roles:
        raise PermissionDenied
    here = [role for role in roles if role.organisation_id == organisation.pk]
    if not here:
        raise Http404
    if not any(role.kind in kinds for role in here):
        raise PermissionDenied


def require_staff(user: User, organisation: Organisation) -> None:
    """Any staff role of this organisation (its dashboard)."""
    _require(user, organisation, STAFF_ROLES[Organisation.Kind(organisation.kind)])


def require_clas_manager(user: User, organisation: Organisation) -> None:
    """The registration queue of a CLAS belongs to its site managers."""
    if not organisation.is_clas:
        raise Http404
    _require(user, organisation, (Role.Kind.SITE_MANAGER,))


def require_national_admin(user: User, organisation: Organisation) -> None:
    if not organisation.is_national:
        raise Http404
    _require(user, organisation, (Role.Kind.NATIONAL_ADMIN,))


def registrations_for_manager(user: User, organisation: Organisation) -> QuerySet[Agent]:
    require_clas_manager(user, organisation)
    return Agent.objects.filter(clas=organisation)


def registration_for_manager(user: User, organisation: Organisation, pk: int) -> Agent:
    """One agent of the manager's CLAS; an agent of another CLAS is a 404."""
    agent = registrations_for_manager(user, organisation).select_related("user", "clas").filter(pk=pk).first()
    if agent is None:
        raise Http404
    return agent


def register_for(user: User, organisation: Organisation) -> QuerySet[Agent]:
    """The register (« référentiel agents ») of a CLAS: its site managers and CSR."""
    if not organisation.is_clas:
        raise Http404
    _require(user, organisation, STAFF_ROLES[Organisation.Kind.CLAS])
    return Agent.objects.filter(clas=organisation)


def register_agent(user: User, organisation: Organisation, pk: int) -> Agent:
    agent = register_for(user, organisation).select_related("user", "clas").filter(pk=pk).first()
    if agent is None:
        raise Http404
    return agent


def clas_has_correspondent(organisation: Organisation) -> bool:
    """Whether a CLAS has a social correspondent (CSR) able to log in."""
    return Role.objects.filter(
        organisation=organisation, kind=Role.Kind.SOCIAL_CORRESPONDENT, user__is_active=True
    ).exists()


def _transfers_fallback(user: User, organisation: Organisation) -> bool:
    """A national administrator stands in for a CLAS without CSR: they are the
    ones told of its transfer requests (``transfer_request``)."""
    is_admin = any(role.kind == Role.Kind.NATIONAL_ADMIN for role in roles_of(user))
    return is_admin and not clas_has_correspondent(organisation)


def may_decide_transfer(user: User, destination: Organisation) -> bool:
    """The social correspondent of the destination validates a transfer (the
    communiqué); only a CLAS without one falls back on its site managers and
    the national administrators. Checked by the views and by the services."""
    if has_role(user, destination, Role.Kind.SOCIAL_CORRESPONDENT):
        return True
    if clas_has_correspondent(destination):
        return False
    return has_role(user, destination, Role.Kind.SITE_MANAGER) or _transfers_fallback(user, destination)


def transfers_for(user: User, organisation: Organisation) -> "QuerySet[Transfer]":
    """Transfers into a CLAS: its CSR and site managers see them (the site
    managers read only, where a CSR decides); so do the national
    administrators while the CLAS has no CSR. The history rows of decided
    transfers carry no personal data: the templates show them ``agent_name``."""
    from alphasierra.transfers.models import Transfer

    if not organisation.is_clas:
        raise Http404
    if not _transfers_fallback(user, organisation):
        _require(user, organisation, STAFF_ROLES[Organisation.Kind.CLAS])
    return Transfer.objects.filter(destination=organisation)


def transfer_for(user: User, organisation: Organisation, pk: int) -> "Transfer":
    """A pending transfer into the staff member's CLAS, with the agent's data.
    A decided one is a 404: refused or cancelled, the agent's data is no
    longer the destination's; accepted, the agent is in its register."""
    from alphasierra.transfers.models import Transfer

    transfer = (
        transfers_for(user, organisation)
        .filter(pk=pk, state=Transfer.State.PENDING)
        .select_related("agent", "agent__user", "agent__clas", "origin", "destination")
        .first()
    )
    if transfer is None:
        raise Http404
    return transfer


def transfer_to_decide(user: User, organisation: Organisation, pk: int) -> "Transfer":
    """A transfer into the CLAS, in any state (a decision that comes too late
    is told so), for those who may decide on it; a site manager where a CSR
    decides gets 403."""
    transfers = transfers_for(user, organisation)
    if not may_decide_transfer(user, organisation):
        raise PermissionDenied
    transfer = transfers.select_related("agent", "origin", "destination").filter(pk=pk).first()
    if transfer is None:
        raise Http404
    return transfer


def association_members_for(user: User, organisation: Organisation) -> QuerySet[Agent]:
    """The agents an association knows (active links), for its managers."""
    if not organisation.is_association:
        raise Http404
    _require(user, organisation, (Role.Kind.ASSOCIATION_MANAGER,))
    return Agent.objects.filter(association_links__association=organisation, association_links__state="active")


def association_member(user: User, organisation: Organisation, pk: int) -> Agent:
    """An agent the association knows; any other agent is a 404."""
    agent = association_members_for(user, organisation).select_related("user", "clas").filter(pk=pk).first()
    if agent is None:
        raise Http404
    return agent
