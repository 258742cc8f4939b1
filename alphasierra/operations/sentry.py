"""Errors reported to Sentry, when ``SENTRY_DSN`` is set (``settings.py``).

An error's report leaves for a service run by someone else: it must carry the
code's failure, never the person it happened to. Sentry's own switches are set
to collect the least (no user, cookies, query string, request body, local
variables), and every event then goes through ``event_scrub`` before it is
sent, whatever an integration added.
"""

from typing import TYPE_CHECKING, Any, cast

from alphasierra.operations.logs import current_request_id, scrub

if TYPE_CHECKING:
    from sentry_sdk.types import Breadcrumb, BreadcrumbHint, Event, Hint

# The request headers an event keeps: what the browser asked for, never who
# asked (cookies, the forwarded client address, the browser's description).
SAFE_HEADERS = frozenset({"host", "content-type", "content-length", "accept", "accept-language", "x-request-id"})
UNRESOLVED = "<unresolved>"


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float, transport: Any = None) -> None:
    """Start Sentry's client for this process. Imported here only, so that a
    portal without ``SENTRY_DSN`` never loads it. ``transport``: Sentry's own
    (HTTPS to the DSN's host) unless given."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        # Every kind of data Sentry's integrations could add about the person
        # is off. (``send_default_pii``, which this SDK deprecates for this
        # setting, is left unset: unset is False to the integrations that
        # still read it.)
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(SAFE_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "graphql": {"document": False, "variables": False},
            "gen_ai": {"inputs": False, "outputs": False},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        include_local_variables=False,
        # Events are named by the route (the URL pattern), not by the path.
        integrations=[DjangoIntegration(transaction_style="url")],
        before_send=event_scrub,
        before_send_transaction=event_scrub,
        before_breadcrumb=breadcrumb_scrub,
        transport=transport,
    )


def event_scrub(sentry_event: "Event", hint: "Hint") -> "Event":
    """The event without what could hold personal data: the request's body,
    cookies, query string, path and headers but ``SAFE_HEADERS``; the user
    reduced to their number; the frames' variables; the breadcrumbs' and
    spans' data; every e-mail address and database detail left in any text
    (an exception's message, a log line's arguments) replaced. The request's
    id is added, to find its log line."""
    event = cast(dict[str, Any], sentry_event)
    request = event.get("request")
    if isinstance(request, dict):
        kept: dict[str, Any] = {"method": request["method"]} if "method" in request else {}
        if isinstance(request.get("headers"), dict):
            kept["headers"] = {
                name: value for name, value in request["headers"].items() if str(name).lower() in SAFE_HEADERS
            }
        event["request"] = kept
    user = event.pop("user", None)
    if isinstance(user, dict) and user.get("id") is not None:
        event["user"] = {"id": user["id"]}
    # An event of a request the resolver did not match is named by its path.
    if (event.get("transaction_info") or {}).get("source") == "url":
        event["transaction"] = UNRESOLVED
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values") or []:
        breadcrumb.pop("data", None)
    for span in event.get("spans") or []:
        span.pop("data", None)
    trace = (event.get("contexts") or {}).get("trace")
    if isinstance(trace, dict):
        trace.pop("data", None)
    request_id = current_request_id.get()
    if request_id is not None:
        event.setdefault("tags", {})["request_id"] = request_id
    return cast("Event", _masked(event))


def breadcrumb_scrub(breadcrumb: "Breadcrumb", hint: "BreadcrumbHint") -> "Breadcrumb":
    """A breadcrumb without its data (a query's parameters, a log record's
    extra fields), its message without an e-mail address."""
    kept = {key: value for key, value in breadcrumb.items() if key != "data"}
    return cast("Breadcrumb", _masked(kept))


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value
