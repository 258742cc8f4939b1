"""The portal's routes and one more, whose view fails, for the tests of what
is logged when a view raises."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def fails(request: HttpRequest, key: str) -> HttpResponse:
    # As a careless view could: what was posted ends up in the error's message.
    raise RuntimeError(f"the view failed{' for ' + request.POST['email'] if 'email' in request.POST else ''}")


urlpatterns = [
    # Under /comptes/, a path of the portal's own: no site to resolve first.
    path("comptes/echec/<str:key>/", fails, name="fails"),
    path("", include("alphasierra.urls")),
]
