"""Errors reported to Sentry (``operations.sentry``), by a real client whose
envelopes are kept here instead of being sent."""

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest
import sentry_sdk
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client, RequestFactory
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from alphasierra.operations.sentry import sentry_init
from alphasierra.operations.tests.test_logs import MAIWENN, PERSONAL, found

# A CSRF cookie and the same token in the form, as a browser sends them.
CSRF_SECRET = "UnJetonDe32CaracteresPourLeTest0"

pytestmark = [pytest.mark.django_db, pytest.mark.urls("alphasierra.operations.tests.failing_urls")]


class KeptEnvelopes(Transport):
    """Sentry's transport, keeping each envelope instead of sending it."""

    kept: ClassVar[list[Envelope]] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        KeptEnvelopes.kept.append(envelope)


@pytest.fixture
def sent() -> Iterator[Callable[[], list[Any]]]:
    """The portal's Sentry client, started as ``settings.py`` starts it; gives
    the error events it sent so far."""
    KeptEnvelopes.kept.clear()
    sentry_init(
        dsn="https://cle@sentry.invalid/1", environment="essai", traces_sample_rate=0.0, transport=KeptEnvelopes
    )

    def events() -> list[Any]:
        sentry_sdk.get_client().flush()
        return [event for envelope in KeptEnvelopes.kept if (event := envelope.get_event()) is not None]

    try:
        yield events
    finally:
        sentry_sdk.get_client().close()
        # No client: Sentry's integrations stay installed in this process, idle.
        sentry_sdk.get_global_scope().set_client(None)


def wsgi_post(path: str, data: dict[str, str], *, cookies: Any, headers: dict[str, str]) -> str:
    """POST through Django's WSGI handler, as gunicorn calls it (Sentry's
    middleware wraps it there, as in production); the status line."""
    environ = RequestFactory(headers=headers).post(path, data).environ
    environ["HTTP_COOKIE"] = cookies.output(header="", sep=";").strip()
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None, /) -> Callable[[bytes], Any]:
        statuses.append(status)
        return lambda data: None

    # As the test client does: the request's start and end must not close the
    # test's database connection, inside its transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, start_response)
        response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return statuses[0]


def test_an_error_after_a_post_full_of_personal_data_reaches_sentry_without_any_of_it(sent, cast):
    client = Client()
    client.force_login(cast.alice)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    # What an integration could put on the event's user, with her address.
    sentry_sdk.set_user({"id": cast.alice.pk, "email": "alice@example.fr", "username": "Alice Martin"})

    status = wsgi_post(
        "/comptes/echec/cle-secrete-123/?q=Kerbrat-Ollivier",
        {**MAIWENN, "csrfmiddlewaretoken": CSRF_SECRET},
        cookies=client.cookies,
        headers={
            "X-Request-ID": "erreur-1",
            "X-Forwarded-For": "203.0.113.9",
            "Accept-Language": "fr",
            "User-Agent": "Mozilla/5.0 (Maïwenn's phone)",
        },
    )

    assert status.startswith("500")
    [event] = sent()
    # It says what failed, where, and which request it was.
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "the view failed for [e-mail]"
    assert exception["stacktrace"]["frames"][-1]["function"] == "fails"
    assert event["transaction"] == "/comptes/echec/{key}/"
    assert event["tags"]["request_id"] == "erreur-1"
    assert event["environment"] == "essai"
    assert event["request"]["method"] == "POST"
    assert set(event["request"]["headers"]) == {"Accept-Language", "Content-Length", "Content-Type", "X-Request-Id"}
    assert event["user"] == {"id": cast.alice.pk}
    # Nothing of the person: not what she typed, not her address, her session,
    # her browser, the key in the path nor the name searched.
    text = json.dumps(event, ensure_ascii=False)
    assert found(PERSONAL, text) == []
    for needle in (
        "alice",
        "Martin",
        "cle-secrete-123",
        "203.0.113.9",
        "127.0.0.1",
        "Mozilla",
        "sessionid",
        CSRF_SECRET,
    ):
        assert needle.lower() not in text.lower(), needle
    assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])


def test_an_error_logged_by_the_portal_is_reported_with_the_addresses_in_it_masked(sent):
    logging.getLogger("alphasierra.essai").error("Refusé pour %s", "maiwenn.kerbrat@example.fr")

    [event] = sent()
    assert event["logentry"]["params"] == ["[e-mail]"]
    assert found(PERSONAL, json.dumps(event, ensure_ascii=False)) == []
