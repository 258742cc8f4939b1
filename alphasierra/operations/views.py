"""The load balancer's probes and Prometheus' scrape. They are answered by
``middleware.OperationsMiddleware`` before any other middleware: they must
need nothing a middleware sets (no session, no user, no site) and never call
``request.get_host()``."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from alphasierra.operations.access import access_metrics
from alphasierra.operations.health import FAILING, readiness
from alphasierra.operations.metrics import metrics_text


@never_cache
def live(request: HttpRequest) -> HttpResponse:
    """The process serves: nothing else is asked (a database or Redis down
    must not have every app server restarted)."""
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request: HttpRequest) -> HttpResponse:
    """May this server get requests? 503 only when a check fails: a mail relay
    down (degraded) must not take every app server out of the load balancer."""
    result = readiness()
    return JsonResponse(
        {"status": result.status, "checks": result.checks}, status=503 if result.status == FAILING else 200
    )


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    try:
        access_metrics(request=request)
    except Http404:
        # Bare: the portal's 404 page needs the middleware this view runs before.
        return HttpResponseNotFound()
    # The classic text format, which every Prometheus reads (the portal's
    # names need none of the later format's UTF-8).
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_PLAIN_0_0_4)
