"""Faults survived: the mail server going away, the database out of reach,
the same form sent twice."""

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core import mail
from django.db import OperationalError, connection
from django.test import Client

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.agents.tests.test_views import SIGNUP, signup_data
from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.services import message_queue, outbox_retry_due

pytestmark = pytest.mark.django_db


class Inbox(Message):
    """A real SMTP server's mailbox (aiosmtpd), kept in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[object] = []

    def handle_message(self, message: object) -> None:
        self.received.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_mail_waits_for_the_smtp_server_and_leaves_once_it_is_back(settings, django_capture_on_commit_callbacks):
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)

    # The server is down when the message is queued: recorded, not lost.
    with django_capture_on_commit_callbacks(execute=True):
        message = message_queue(to="alice@example.fr", template="test_message", context={})
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.last_error

    # It comes back: the next due sweep delivers the message, once.
    server.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            outbox_retry_due(now=message.next_attempt_at)
        deadline = time.monotonic() + 5
        while not inbox.received and time.monotonic() < deadline:
            time.sleep(0.05)
        with django_capture_on_commit_callbacks(execute=True):
            outbox_retry_due(now=message.next_attempt_at)  # a late sweep finds nothing to do
    finally:
        server.stop()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(inbox.received) == 1
    assert inbox.received[0]["Message-ID"] == message.message_id  # type: ignore[index]
    assert mail.outbox == []  # it really went through SMTP


def test_database_lost_in_the_middle_of_a_sign_up_gives_a_503_and_writes_nothing(cast):
    client = Client(raise_request_exception=False)
    before = (User.objects.count(), Agent.objects.count())

    # The connection drops between the account's row and the agent's:
    # Django's own execute_wrapper hook makes the database fail right there.
    def drop_at_agent_insert(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "agents_agent"'):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_at_agent_insert):
        response = client.post(SIGNUP, signup_data())

    assert response.status_code == 503
    assert "Service momentanément indisponible" in response.content.decode()
    assert response["Retry-After"] == "30"
    assert (User.objects.count(), Agent.objects.count()) == before  # the account's row went too


def test_database_out_of_reach_from_the_first_query_gives_a_503():
    client = Client(raise_request_exception=False)

    def unreachable(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(unreachable):
        response = client.get("/sud-ouest/")

    assert response.status_code == 503


def test_a_double_click_on_sign_up_makes_one_account(client):
    first = client.post(SIGNUP, signup_data())
    second = client.post(SIGNUP, signup_data())

    assert first.status_code == second.status_code == 302
    assert Agent.objects.filter(user__email="elodie@example.fr").count() == 1
