"""What several of the agents' services share."""

from datetime import date

from alphasierra.accounts.models import User
from alphasierra.organisations.models import Organisation, Role


def managers_of(clas: Organisation) -> list[User]:
    managers = list(
        User.objects.filter(roles__organisation=clas, roles__kind=Role.Kind.SITE_MANAGER, is_active=True).distinct()
    )
    if managers:
        return managers
    # A CLAS without a site manager must not leave requests unseen.
    return list(User.objects.filter(roles__kind=Role.Kind.NATIONAL_ADMIN, is_active=True).distinct())


def audit_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value
