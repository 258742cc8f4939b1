"""Absolute addresses of the portal's pages, for the e-mails (sent outside any request)."""

from django.conf import settings
from django.urls import reverse

from alphasierra.organisations.models import Organisation


def site_url(organisation: Organisation, route: str = "", **kwargs: object) -> str:
    """Absolute address of a page of a site, for e-mails (sent outside any request)."""
    path = reverse(route, kwargs={"site": organisation.slug, **kwargs}) if route else organisation.get_absolute_url()
    return f"{settings.PORTAL_URL}{path}"
