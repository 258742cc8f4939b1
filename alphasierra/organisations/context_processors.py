from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from alphasierra.organisations.access import STAFF_ROLES, has_role
from alphasierra.organisations.models import Organisation, Role


def organisation(request: HttpRequest) -> dict[str, Any]:
    """The current site and the list for the header's site switcher."""
    organisations: list[Organisation] = getattr(request, "portal_organisations", [])
    current = getattr(request, "organisation", None)

    def staff_here() -> bool:
        # Only asked by the header for logged-in people: one small query.
        user = getattr(request, "user", None)
        if current is None or user is None or not user.is_authenticated:
            return False
        return has_role(user, current, *STAFF_ROLES[Organisation.Kind(current.kind)])

    def manager_here() -> bool:
        # The registration and deletion queues belong to site managers: a social
        # correspondent is not shown links that would answer 403.
        user = getattr(request, "user", None)
        if current is None or user is None or not user.is_authenticated:
            return False
        return has_role(user, current, Role.Kind.SITE_MANAGER)

    return {
        "staff_here": SimpleLazyObject(staff_here),
        "manager_here": SimpleLazyObject(manager_here),
        "organisation": current,
        "national_site": next((o for o in organisations if o.is_national), None),
        "clas_sites": [o for o in organisations if o.is_clas],
        "association_sites": [o for o in organisations if o.is_association],
    }
