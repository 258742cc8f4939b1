"""The framework's floor: the smallest Django page, served as the portal is.

    gunicorn bench.floor:application -w 2 -b 127.0.0.1:8001

One view returning a few bytes, no middleware, no database, no template:
what Django and gunicorn cost by themselves on this machine. Each page of the
portal is reported as a share of this rate, measured in the same run, so that
the numbers mean the same on a faster or a busier machine.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Alpha Sierra", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", floor)]

settings.configure(
    DEBUG=False,
    # Signs nothing: the floor has no session, cookie or form.
    SECRET_KEY="bench-floor-signs-nothing",  # noqa: S106
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)
application = get_wsgi_application()
