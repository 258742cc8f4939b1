import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from alphasierra.operations.metrics import REQUEST_DURATION, RESPONSES, method_label, view_label
from alphasierra.operations.urls import urlpatterns


class OperationsMiddleware:
    """Answers the health probes and the metrics (``operations.urls``) itself,
    before the middleware that follows it, as django-alive does.

    A load balancer probes each app server, and Prometheus scrapes it, at the
    server's own address, which ALLOWED_HOSTS does not list (Django would
    answer 400), and over plain HTTP (SecurityMiddleware would redirect to
    HTTPS). Nothing the other middleware does belongs to a probe either: no
    session, no language, no site, and the page cache must neither serve nor
    keep one. So it stands before SecurityMiddleware and the rest, and calls
    the same views the URLconf routes (which lets ``reverse()`` and the
    access matrix know the paths). The probes are not counted in the request
    metrics: they would drown the portal's own requests.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.views = {f"/{pattern.pattern}": pattern.callback for pattern in urlpatterns}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        view = self.views.get(request.path_info)
        if view is None:
            return self.get_response(request)
        response: HttpResponseBase = view(request)
        # SecurityMiddleware, which would add it, is not reached.
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


class RequestMetricsMiddleware:
    """Times and counts each request by view (``metrics``). Early in the list,
    so that the time includes the other middleware, and a page served by the
    page cache is counted too. A streamed answer (an export) is timed until
    it starts, not until its last byte is sent."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_label(request)
        REQUEST_DURATION.labels(view=view, method=method_label(request)).observe(time.perf_counter() - started)
        RESPONSES.labels(view=view, status=str(response.status_code)).inc()
        return response
