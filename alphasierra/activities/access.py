"""Who may see, ask for and manage the activities of a CLAS or an association.

Built on the role look-ups of ``organisations.access``, with their one refusal
rule (403 without a role, 404 for another organisation's staff or objects).
An activity's managers are the site managers of its CLAS or the managers of
its association.
"""

from alphasierra.accounts.models import User
from alphasierra.activities.models import Activity
from alphasierra.organisations.access import has_role
from alphasierra.organisations.models import Role


def may_manage_activity(*, user: User, activity: Activity) -> bool:
    """Whether the person manages this activity (the services let them take a
    request by phone outside the window, and remove a registration)."""
    kind = Role.Kind.SITE_MANAGER if activity.organisation.is_clas else Role.Kind.ASSOCIATION_MANAGER
    return has_role(user, activity.organisation, kind)
