from typing import Any

from django.http import HttpRequest

from alphasierra.agents.selectors import clas_id_of
from alphasierra.organisations.middleware import SITE_COOKIE_NAME
from alphasierra.organisations.models import Organisation
from alphasierra.organisations.selectors import organisation_for_path

# The pages every site shares (logging in, confirming, « Mon compte »), served
# on the national site's paths whatever site the person came from.
SHARED_PAGES = "/comptes/"


def site_shown(request: HttpRequest) -> dict[str, Any]:
    """The site whose name the header shows: the current one, except on the
    shared pages, where the person stays on the site they came from."""
    current: Organisation | None = getattr(request, "organisation", None)
    if current is None or not current.is_national or not request.path_info.startswith(SHARED_PAGES):
        return {"site_shown": current}
    return {"site_shown": _site_came_from(request) or current}


def _site_came_from(request: HttpRequest) -> Organisation | None:
    """Where the person is going back to (``next``), else the last site they
    browsed (a cookie the site pages set), else their own CLAS."""
    sites = [o for o in getattr(request, "portal_organisations", []) if not o.is_national]
    for path in (request.POST.get("next", ""), request.GET.get("next", "")):
        # Only a path of the portal: "//host/…" or "https://…" names no site of ours.
        if path.startswith("/") and not path.startswith("//"):
            site = organisation_for_path(path, sites)
            if site is not None:
                return site
    slug = request.COOKIES.get(SITE_COOKIE_NAME)
    site = next((o for o in sites if o.slug == slug), None)
    if site is None and getattr(request, "user", None) is not None:
        clas_id = clas_id_of(request.user)  # type: ignore[arg-type]
        site = next((o for o in sites if o.pk == clas_id), None)
    return site
