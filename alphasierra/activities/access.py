"""Who may see, ask for and manage the activities of a CLAS or an association.

Built on the role look-ups of ``organisations.access``, with their one refusal
rule (403 without a role, 404 for another organisation's staff or objects).
An activity's managers are the site managers of its CLAS or the managers of
its association.
"""

from django.db.models import QuerySet
from django.http import Http404

from alphasierra.accounts.models import User
from alphasierra.activities.models import Activity, Registration
from alphasierra.agents.models import Agent
from alphasierra.associations.models import AssociationLink
from alphasierra.organisations.access import has_role, require_role
from alphasierra.organisations.models import Organisation, Role


def may_manage_activity(*, user: User, activity: Activity) -> bool:
    """Whether the person manages this activity (the services let them take a
    request by phone outside the window, and remove a registration)."""
    kind = Role.Kind.SITE_MANAGER if activity.organisation.is_clas else Role.Kind.ASSOCIATION_MANAGER
    return has_role(user, activity.organisation, kind)


# --- The managers' back-office ------------------------------------------------

# The role that manages the activities of each kind of organisation: the CSR
# of a CLAS follows its agents, not its activities.
MANAGING_ROLE = {
    Organisation.Kind.CLAS: Role.Kind.SITE_MANAGER,
    Organisation.Kind.ASSOCIATION: Role.Kind.ASSOCIATION_MANAGER,
}


def access_activities_to_manage(*, user: User, organisation: Organisation) -> QuerySet[Activity]:
    """Every activity of a CLAS or an association, whatever its state, for its managers."""
    role = MANAGING_ROLE.get(Organisation.Kind(organisation.kind))
    if role is None:
        raise Http404
    require_role(user, organisation, (role,))
    return Activity.objects.filter(organisation=organisation)


def access_activity_to_manage(*, user: User, organisation: Organisation, pk: int) -> Activity:
    """One activity of the manager's organisation; another's is a 404."""
    activity = (
        access_activities_to_manage(user=user, organisation=organisation)
        .select_related("organisation")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def access_registration_to_manage(*, user: User, organisation: Organisation, pk: int) -> Registration:
    """A household's request for one of the manager's activities; another organisation's is a 404."""
    activities = access_activities_to_manage(user=user, organisation=organisation)
    registration = (
        Registration.objects.filter(activity__in=activities, pk=pk)
        .select_related("agent__user", "activity__organisation")
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def access_households_to_add(*, activity: Activity) -> QuerySet[Agent]:
    """The households a manager may register by hand (a request by phone):
    the CLAS's approved agents, or the approved agents the association knows.
    Whether each person may take part is then the eligibility's answer."""
    agents = Agent.objects.filter(state=Agent.State.APPROVED)
    if activity.organisation.is_association:
        return agents.filter(
            association_links__association=activity.organisation,
            association_links__state=AssociationLink.State.ACTIVE,
        )
    return agents.filter(clas=activity.organisation)
