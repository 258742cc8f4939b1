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


# --- What agents and visitors reach: each site's activities, one's own requests.

# A site lists what is open or was held; a cancelled activity keeps its page
# (the households it concerned follow their link to read why), off the list.
LISTED_STATES = (Activity.State.PUBLISHED, Activity.State.CLOSED, Activity.State.PAST)
SHOWN_STATES = (*LISTED_STATES, Activity.State.CANCELLED)


def access_activities_listed(*, organisation: Organisation) -> QuerySet[Activity]:
    """The activities a CLAS or association site shows to everyone, logged in or not."""
    if organisation.is_national:
        raise Http404
    return Activity.objects.filter(organisation=organisation, state__in=LISTED_STATES)


def access_activity_shown(*, organisation: Organisation, pk: int) -> Activity:
    """An activity's public page, on its own site only; a draft does not exist."""
    activity = (
        Activity.objects.filter(organisation=organisation, state__in=SHOWN_STATES, pk=pk)
        .select_related("organisation")
        .first()
    )
    if activity is None or organisation.is_national:
        raise Http404
    return activity


def access_own_registrations(*, user: User) -> QuerySet[Registration]:
    """The requests of the person's household, on every site."""
    return Registration.objects.filter(agent__user_id=user.pk)


def access_own_registration(*, user: User, pk: int) -> Registration:
    """One request of the person's household; anyone else's is a 404."""
    registration = (
        access_own_registrations(user=user)
        .select_related("activity", "activity__organisation", "agent")
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


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
