"""What Prometheus reads at /metrics/: the requests, counted as they are served
(``middleware.RequestMetricsMiddleware``), and figures read from the database
at each scrape.

gunicorn serves with several worker processes, each counting its own
requests. With ``PROMETHEUS_MULTIPROC_DIR`` set, prometheus-client keeps each
worker's counts in files there and a scrape, whichever worker answers it, adds
up all of them. The database's figures are the same whichever process reads
them: they are read once per scrape, by the process answering it.
"""

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from alphasierra.agents.selectors import registrations_waiting_per_clas
from alphasierra.mail.selectors import outbox_figures
from alphasierra.operations.selectors import task_queue

logger = logging.getLogger("alphasierra.operations")

# The portal's own registry: prometheus-client's default one also describes
# the platform, Python's version included, which the portal tells nobody.
REGISTRY = CollectorRegistry()

REQUEST_DURATION = Histogram(
    "alphasierra_request_duration_seconds",
    "Time taken to answer a request, by view and method.",
    ["view", "method"],
    registry=REGISTRY,
)
RESPONSES = Counter(
    "alphasierra_responses", "Responses sent, by view and status code.", ["view", "status"], registry=REGISTRY
)
EXCEPTIONS = Counter(
    "alphasierra_exceptions", "Unhandled exceptions (answered 500), by view.", ["view"], registry=REGISTRY
)

UNRESOLVED = "unresolved"
# A label takes few values, or Prometheus keeps a series for each: any other
# method a client makes up is counted as "other".
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def view_label(request: HttpRequest) -> str:
    """The resolver's name of the request's view, from a fixed set whatever
    the paths asked. A page served by the page cache never reached the
    resolver: it is resolved here."""
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return UNRESOLVED
    return match.view_name


def method_label(request: HttpRequest) -> str:
    method = request.method or ""
    return method if method in METHODS else "other"


def metrics_text() -> bytes:
    """The exposition, in Prometheus' text format."""
    return generate_latest(_Scrape())


class _Scrape(Collector):
    def collect(self) -> Iterable[Metric]:
        if settings.PROMETHEUS_MULTIPROC_DIR:
            yield from MultiProcessCollector(None, path=settings.PROMETHEUS_MULTIPROC_DIR).collect()
        else:
            yield from REGISTRY.collect()
        yield from database_figures()


def database_figures() -> Iterator[Metric]:
    """The outbox, the registrations waiting for approval and the task queue,
    in four queries whatever their size."""
    try:
        outbox = outbox_figures()
        waiting = registrations_waiting_per_clas()
        tasks = task_queue()
    # The requests' figures are still worth a scrape when the database is out
    # of reach; that it is shows as alphasierra_database_up 0.
    except DatabaseError:
        logger.exception("Metrics: the database's figures could not be read")
        yield GaugeMetricFamily("alphasierra_database_up", _DATABASE_UP, value=0)
        return
    now = timezone.now()
    yield GaugeMetricFamily("alphasierra_database_up", _DATABASE_UP, value=1)

    messages = GaugeMetricFamily("alphasierra_outbox_messages", "E-mails in the outbox, by status.", labels=["status"])
    for status, count in outbox.by_status.items():
        messages.add_metric([status], count)
    yield messages
    yield GaugeMetricFamily(
        "alphasierra_outbox_retrying_messages",
        "E-mails still to send after a failed attempt.",
        value=outbox.retrying,
    )
    yield GaugeMetricFamily(
        "alphasierra_outbox_oldest_pending_age_seconds",
        "How long the oldest e-mail still to send has waited (0 when none).",
        value=_age(outbox.oldest_pending, now),
    )

    registrations = GaugeMetricFamily(
        "alphasierra_registrations_waiting",
        "Registrations waiting for a site manager's decision, by CLAS.",
        labels=["clas"],
    )
    for slug, count in waiting.items():
        registrations.add_metric([slug], count)
    yield registrations

    yield GaugeMetricFamily("alphasierra_tasks_ready", "Tasks a worker could take now.", value=tasks.ready)
    yield GaugeMetricFamily(
        "alphasierra_tasks_oldest_ready_age_seconds",
        "How long the task ready for the longest has waited for a worker (0 when none).",
        value=_age(tasks.oldest_ready, now),
    )


_DATABASE_UP = "1 when the database's figures could be read at this scrape."


def _age(since: datetime | None, now: datetime) -> float:
    return max((now - since).total_seconds(), 0.0) if since is not None else 0.0
