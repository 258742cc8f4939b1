"""The portal's routes and one empty back-office page, for ``bench.inprocess``:
what any back-office page costs before doing its own work (the middleware,
the session, allauth's session tracking, the roles, the second factor, the
site's menu and the base template)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from alphasierra.http import PortalRequest
from alphasierra.organisations.access import require_staff
from alphasierra.organisations.decorators import backoffice

EMPTY_PAGE = '{% extends "base.html" %}{% block content %}{% endblock %}'


@backoffice
def empty(request: PortalRequest) -> HttpResponse:
    require_staff(request.user, request.organisation)  # type: ignore[arg-type]
    return HttpResponse(engines["django"].from_string(EMPTY_PAGE).render({}, request))


urlpatterns = [
    path("<slug:site>/gestion/banc-d-essai/", empty, name="bench-empty"),
    path("", include("alphasierra.urls")),
]
