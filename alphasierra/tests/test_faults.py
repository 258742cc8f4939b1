"""Faults survived: the mail server going away, the database out of reach,
the same form sent twice."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core import mail
from django.core.mail.message import make_msgid
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.agents.tests.test_views import SIGNUP, signup_data
from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.services import message_queue, message_render, outbox_retry_due
from alphasierra.mail.tasks import deliver_message
from alphasierra.mail.tests.test_worker_killed import BASE_DIR

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


def smtp_at(settings, port: int, timeout: int = 5) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": timeout},
        }
    }


def wait_for(inbox: Inbox, count: int) -> None:
    """aiosmtpd hands the message to its handler in its own thread."""
    deadline = time.monotonic() + 5
    while len(inbox.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def code_in(message: Any) -> str:
    """The short confirmation code of a received e-mail (its plain-text part)."""
    text = next(
        part.get_payload(decode=True).decode() for part in message.walk() if part.get_content_type() == "text/plain"
    )
    found = re.search(r"confirmation : ([A-Z2-9]{4}-[A-Z2-9]{4})", text)
    assert found is not None, text
    return found.group(1)


def retry_once_back(
    server: Controller, inbox: Inbox, due: Any, count: int, capture_on_commit: Callable[..., Any]
) -> None:
    """The SMTP server comes back: the periodic « frequent » job, once the
    retry is due, delivers the ``count`` waiting messages, and a later sweep
    finds nothing left to send."""
    server.start()
    try:
        with capture_on_commit(execute=True):
            assert outbox_retry_due(now=due) == count
        wait_for(inbox, count)
        with capture_on_commit(execute=True):
            assert outbox_retry_due(now=due + timedelta(hours=1)) == 0
        time.sleep(0.2)  # room for a duplicate to show up
    finally:
        server.stop()


def test_a_sign_up_while_the_smtp_server_is_down_reaches_the_agent_once_it_is_back(
    client, settings, django_capture_on_commit_callbacks
):
    port = free_port()
    smtp_at(settings, port)
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    [message] = OutboxMessage.objects.filter(to_email="elodie@example.fr")
    assert message.status == OutboxMessage.Status.PENDING
    assert "ConnectionRefusedError" in message.last_error
    due = message.next_attempt_at
    assert due is not None

    retry_once_back(server, inbox, due, 1, django_capture_on_commit_callbacks)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(inbox.received) == 1
    received = inbox.received[0]
    assert received["Message-ID"] == message.message_id  # type: ignore[index]
    assert received["To"] == "elodie@example.fr"  # type: ignore[index]
    # What arrived is the working confirmation e-mail.
    response = client.post("/comptes/confirmation/code/", {"email": "elodie@example.fr", "code": code_in(received)})
    assert response.status_code == 302
    assert Agent.objects.get(user__email="elodie@example.fr").state == Agent.State.AWAITING_APPROVAL


def test_resending_the_confirmation_while_the_smtp_server_is_down_queues_it_for_later(
    client, settings, django_capture_on_commit_callbacks
):
    port = free_port()
    smtp_at(settings, port)
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sud-ouest/inscription/renvoyer/", {"email": "elodie@example.fr"}, follow=True)

    assert response.status_code == 200
    assert "un nouvel e-mail vient d&#x27;être envoyé" in response.content.decode(), response.content.decode()
    first, resent = OutboxMessage.objects.filter(to_email="elodie@example.fr").order_by("created_at", "pk")
    assert resent.status == OutboxMessage.Status.PENDING
    assert "ConnectionRefusedError" in resent.last_error
    due = resent.next_attempt_at
    assert due is not None

    retry_once_back(server, inbox, due, 2, django_capture_on_commit_callbacks)

    resent.refresh_from_db()
    assert resent.status == OutboxMessage.Status.SENT
    delivered = {m["Message-ID"]: m for m in inbox.received}  # type: ignore[index]
    assert len(inbox.received) == 2
    assert set(delivered) == {first.message_id, resent.message_id}
    # The code of the resent e-mail is the one that works.
    code = code_in(delivered[resent.message_id])
    response = client.post("/comptes/confirmation/code/", {"email": "elodie@example.fr", "code": code})
    assert response.status_code == 302
    assert Agent.objects.get(user__email="elodie@example.fr").state == Agent.State.AWAITING_APPROVAL


class SilentServer:
    """Accepts SMTP connections and then says nothing, ever: a mail server that hangs."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.accepted_at: list[float] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed by stop()
                return
            self.connections.append(connection)
            self.accepted_at.append(time.monotonic())

    def __enter__(self) -> "SilentServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.listener.close()
        for held in self.connections:
            held.close()
        self.thread.join(timeout=5)


def test_an_smtp_server_that_hangs_times_out_and_the_message_is_retried_later(
    settings, django_capture_on_commit_callbacks
):
    with SilentServer() as silent:
        smtp_at(settings, silent.port, timeout=1)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            first = message_queue(to="alice@example.fr", template="test_message", context={})
            second = message_queue(to="karim@example.fr", template="test_message", context={})
        elapsed = time.monotonic() - started

        assert len(silent.connections) == 2  # both attempts reached the server
    # Each attempt gave up after its timeout and the worker went on to the next.
    assert elapsed < 10
    for message in (first, second):
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.PENDING
        assert message.attempts == 1
        assert "timed out" in message.last_error
        assert message.next_attempt_at is not None

    # A working server later on: the retry delivers both, once each.
    port = free_port()
    smtp_at(settings, port)
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert outbox_retry_due(now=max(first.next_attempt_at, second.next_attempt_at)) == 2  # type: ignore[type-var]
        wait_for(inbox, 2)
    finally:
        server.stop()
    assert sorted(m["To"] for m in inbox.received) == ["alice@example.fr", "karim@example.fr"]  # type: ignore[index]
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 2


def worker_env(port: int) -> dict[str, str]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "SECRET_KEY": "worker-test",
        "DEBUG": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "2",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def manage(port: int, *args: str) -> str:
    completed = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=worker_env(port),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def worker_queue(messages: list[OutboxMessage]) -> None:
    """Hand the messages to the database queue, as the commit hook does in
    production (the tests' own task backend runs tasks in this process)."""
    queue = DatabaseBackend("default", {"QUEUES": ["default"], "OPTIONS": {}})
    for message in messages:
        queue.enqueue(deliver_message, [message.pk], {})


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database shared with the worker process")
def test_a_worker_facing_a_hanging_smtp_server_gives_up_at_email_timeout_and_goes_on():
    rendered = message_render(template="test_message", context={}, organisation=None)
    messages = [
        OutboxMessage.objects.create(
            to_email=to,
            from_email="Alpha Sierra <ne-pas-repondre@alpha-sierra.org>",
            subject=rendered.subject,
            body_text=rendered.text,
            body_html=rendered.html,
            message_id=make_msgid(domain="alpha-sierra.org"),
            next_attempt_at=timezone.now(),
        )
        for to in ("alice@example.fr", "karim@example.fr")
    ]

    with SilentServer() as silent:
        worker_queue(messages)
        manage(silent.port, "db_worker", "--batch", "--no-startup-delay")  # it returns: not stuck
        assert len(silent.connections) == 2  # the second message was tried after the first gave up
        # The first attempt waited EMAIL_TIMEOUT (2 s), not the default 20 s.
        assert 2 <= silent.accepted_at[1] - silent.accepted_at[0] < 12

    for message in messages:
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.PENDING
        assert message.attempts == 1
        assert message.last_error.endswith("timed out")  # EMAIL_TIMEOUT; without it, the worker waits forever
        assert message.next_attempt_at is not None  # retried later

    # Later, a working server: the retries reach it, each message once.
    port = free_port()
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        worker_queue(messages)
        manage(port, "db_worker", "--batch", "--no-startup-delay")
        wait_for(inbox, 2)
    finally:
        server.stop()
    assert sorted(m["To"] for m in inbox.received) == ["alice@example.fr", "karim@example.fr"]  # type: ignore[index]
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 2
