from typing import Any

from django.http import HttpRequest

from alphasierra.organisations.models import Organisation


def organisation(request: HttpRequest) -> dict[str, Any]:
    """The current site and the list for the header's site switcher."""
    organisations: list[Organisation] = getattr(request, "portal_organisations", [])
    return {
        "organisation": getattr(request, "organisation", None),
        "national_site": next((o for o in organisations if o.is_national), None),
        "clas_sites": [o for o in organisations if o.is_clas],
        "association_sites": [o for o in organisations if o.is_association],
    }
