"""One log line per request, on the logger ``alphasierra.requests``."""

import logging
import re
import secrets
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.functional import SimpleLazyObject, empty

from alphasierra.operations.logs import current_request_id

logger = logging.getLogger("alphasierra.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# nginx's $request_id is 32 hexadecimal digits; anything else a client or a
# proxy sent is replaced rather than written to the log as it came.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestLogMiddleware:
    """Gives each request an id, kept for every line logged while it is
    answered and sent back in ``X-Request-ID``, then writes one line: the id,
    the method, the route (the URL pattern, never the path: paths hold the keys
    of e-mail confirmations and password resets, query strings the names
    searched in a register), the view, the status, the duration, the account's
    number and the site. No address, no name, no client IP.

    In ``MIDDLEWARE`` right after the probes' (``OperationsMiddleware``, whose
    answers are not logged), before the rest, so that the duration is the
    whole request's and the pages served by the page cache are counted too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else secrets.token_hex(16)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        response = None
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            try:
                # Without a response, an exception is on its way up (to gunicorn,
                # or the test client): the client gets a 500.
                status = response.status_code if response is not None else 500
                _request_line(request, request_id, status, time.perf_counter() - started)
            finally:
                current_request_id.reset(token)


class _Route(NamedTuple):
    route: str | None
    view: str | None
    # The slug "<slug:site>/" captured, when the route has it.
    site: str | None


_NO_ROUTE = _Route(None, None, None)


def _request_line(request: HttpRequest, request_id: str, status: int, seconds: float) -> None:
    route = _route(request, status)
    logger.info(
        "%s %s %s %.1f ms",
        request.method,
        "-" if route.route is None else f"/{route.route}",
        status,
        seconds * 1000,
        extra={
            "request_id": request_id,
            "method": request.method,
            "route": route.route,
            "view": route.view,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "user_id": _user_id(request),
            "organisation": _organisation(request, route),
        },
    )


def _route(request: HttpRequest, status: int) -> _Route:
    match = request.resolver_match
    if match is not None:
        return _Route(match.route, match.view_name, None)
    # A page the page cache served, or a redirect to HTTPS or to the address
    # with its final slash, never reached the resolver: its route is looked up
    # here. Not for an error, which may be about an address that is no page.
    # Nor for a static file (whitenoise answers it first): no route can match,
    # and trying them all costs more than serving the file.
    if status >= 400 or request.path_info.startswith(settings.STATIC_URL):
        return _NO_ROUTE
    return _route_of(get_urlconf() or settings.ROOT_URLCONF, request.path_info)


# The page cache serves the same few addresses over and over: resolving each
# again would cost more than the rest of this line (some 80 µs a request).
@lru_cache(maxsize=1024)
def _route_of(urlconf: str, path: str) -> _Route:
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return _NO_ROUTE
    site = match.kwargs.get("site")
    return _Route(match.route, match.view_name, str(site) if site is not None else None)


def _user_id(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    # Someone logged in has had their account read by the middleware (their
    # session's activity); an account nobody read belongs to a request without
    # a session, and reading it here would cost a query or fail with the database.
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


def _organisation(request: HttpRequest, route: _Route) -> str | None:
    """The slug of the CLAS or association whose site was asked for; None on
    the national site and the portal's own pages."""
    organisation = getattr(request, "organisation", None)
    if organisation is not None:
        return None if organisation.is_national else str(organisation.slug)
    # A page of the page cache: the site it belongs to is in its route.
    return route.site
