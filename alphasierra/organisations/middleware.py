from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from alphasierra.http import PortalRequest
from alphasierra.organisations.selectors import organisation_for_path, organisations_all
from alphasierra.organisations.zones import time_zone_for

# The last CLAS or association site the person browsed: the shared pages
# (/comptes/…) keep its name in the header. A slug, nothing personal; it lasts
# as long as the browser's session.
SITE_COOKIE_NAME = "alphasierra_site"


class OrganisationMiddleware:
    """Resolves ``request.organisation`` once per request from the first path segment.

    An unknown site is answered with the portal's 404 page, rendered for the
    national site. Views under ``/<site>/`` never receive the slug: they read
    ``request.organisation``, the single source of truth for "which site".
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: PortalRequest) -> HttpResponse:
        organisations = organisations_all()
        organisation = organisation_for_path(request.path_info, organisations)
        request.portal_organisations = organisations
        if organisation is None:
            # Rendered here rather than raised, so that even a local portal in
            # DEBUG shows the visitor the portal's own page for an unknown site.
            request.organisation = next(o for o in organisations if o.is_national)
            return unknown_site(request)
        request.organisation = organisation
        request.site_to_remember = None if organisation.is_national else organisation
        response = self.get_response(request)
        if request.site_to_remember is not None:
            site_remember(request, response, request.site_to_remember.slug)
        return response

    def process_view(
        self,
        request: PortalRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        # The slug captured by "<slug:site>/" was already resolved above; it must
        # name that very site (not a portal path such as "/comptes/" that happens
        # to fit the pattern).
        site = view_kwargs.pop("site", None)
        if site is not None and site != request.organisation.slug:
            raise Http404(_("Ce site n'existe pas."))


def site_remember(request: HttpRequest, response: HttpResponse, slug: str) -> None:
    """Sets the site cookie (``SITE_COOKIE_NAME``) on the response, unless the
    browser sent it already. The page cache (``pages.cache``) calls it too,
    for the pages it serves without reaching this middleware."""
    if request.COOKIES.get(SITE_COOKIE_NAME) != slug:
        response.set_cookie(
            SITE_COOKIE_NAME,
            slug,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


@requires_csrf_token
def unknown_site(request: HttpRequest) -> HttpResponse:
    # The portal's 404 page, the template the root handler404 renders too: the
    # base layer renders it without reaching up to the site's error views.
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


class TimeZoneMiddleware:
    """Times are shown in the zone of the site's organisation; on the pages of
    the portal as a whole (« Mon compte », the national back-office), in the
    zone of the person's own CLAS (see ``alphasierra.organisations.zones``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: PortalRequest) -> HttpResponse:
        organisation = request.organisation
        zone = time_zone_for(user=request.user) if organisation.is_national else organisation.time_zone
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
