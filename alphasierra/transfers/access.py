"""Who may see and decide the transfers into a CLAS.

Built on the role look-ups of ``organisations.access``, with their one refusal
rule (403 without a role, 404 for another organisation's staff or objects).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from alphasierra.accounts.models import User
from alphasierra.organisations.access import STAFF_ROLES, clas_has_correspondent, has_role, require_role, roles_of
from alphasierra.organisations.models import Organisation, Role
from alphasierra.transfers.models import Transfer


def _national_fallback(user: User, organisation: Organisation) -> bool:
    """A national administrator stands in for a CLAS without CSR: they are the
    ones told of its transfer requests (``transfer_request``)."""
    is_admin = any(role.kind == Role.Kind.NATIONAL_ADMIN for role in roles_of(user))
    return is_admin and not clas_has_correspondent(organisation)


def may_decide_transfer(*, user: User, destination: Organisation) -> bool:
    """The social correspondent of the destination validates a transfer (the
    communiqué); only a CLAS without one falls back on its site managers and
    the national administrators. Checked by the views and by the services."""
    if has_role(user, destination, Role.Kind.SOCIAL_CORRESPONDENT):
        return True
    if clas_has_correspondent(destination):
        return False
    return has_role(user, destination, Role.Kind.SITE_MANAGER) or _national_fallback(user, destination)


def access_transfers(*, user: User, organisation: Organisation) -> QuerySet[Transfer]:
    """Transfers into a CLAS: its CSR and site managers see them (the site
    managers read only, where a CSR decides); so do the national
    administrators while the CLAS has no CSR. The history rows of decided
    transfers carry no personal data: the templates show them ``agent_name``."""
    if not organisation.is_clas:
        raise Http404
    if not _national_fallback(user, organisation):
        require_role(user, organisation, STAFF_ROLES[Organisation.Kind.CLAS])
    return Transfer.objects.filter(destination=organisation)


def access_transfer(*, user: User, organisation: Organisation, pk: int) -> Transfer:
    """A pending transfer into the staff member's CLAS, with the agent's data.
    A decided one is a 404: refused or cancelled, the agent's data is no
    longer the destination's; accepted, the agent is in its register."""
    transfer = (
        access_transfers(user=user, organisation=organisation)
        .filter(pk=pk, state=Transfer.State.PENDING)
        .select_related("agent", "agent__user", "agent__clas", "origin", "destination")
        .first()
    )
    if transfer is None:
        raise Http404
    return transfer


def access_transfer_to_decide(*, user: User, organisation: Organisation, pk: int) -> Transfer:
    """A transfer into the CLAS, in any state (a decision that comes too late
    is told so), for those who may decide on it; a site manager where a CSR
    decides gets 403."""
    transfers = access_transfers(user=user, organisation=organisation)
    if not may_decide_transfer(user=user, destination=organisation):
        raise PermissionDenied
    transfer = transfers.select_related("agent", "origin", "destination").filter(pk=pk).first()
    if transfer is None:
        raise Http404
    return transfer
