"""The portal's URLconf, with two views of its own in front: one that fails,
one that finds nothing, for the count of unhandled exceptions (under "api/",
a segment no site may take, so that they are reached on the national site)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from alphasierra.urls import handler404, handler500

__all__ = ["handler404", "handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def missing(request: HttpRequest) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("api/en-panne/", broken, name="broken"),
    path("api/introuvable/", missing, name="missing"),
    path("", include("alphasierra.urls")),
]
