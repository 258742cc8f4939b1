"""A worker killed in the middle of sending: the message is sent later, once
(the server had not accepted it yet).

Real parts end to end: the database worker of django-tasks-db in its own
process, a real SMTP server (aiosmtpd), PostgreSQL shared between them."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.mail.message import make_msgid
from django.db import connection
from django.utils import timezone

from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.sending import SEND_LEASE
from alphasierra.mail.services import message_render

BASE_DIR = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The worker is another process: it needs a database server both can reach.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database shared between processes"),
]


class StallingInbox:
    """Holds the first session at RCPT (before any message data is sent),
    then accepts everything normally."""

    def __init__(self) -> None:
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.received: list[bytes] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        if not self.stalled.is_set():
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append(envelope.content)
        return "250 Message accepted for delivery"


def manage(port: int, *args: str) -> subprocess.Popen:
    db = connection.settings_dict
    host, db_port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{host}:{db_port}/{db['NAME']}",
        "SECRET_KEY": "worker-test",
        "DEBUG": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "30",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def run(port: int, *args: str) -> str:
    process = manage(port, *args)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output.decode()
    return output.decode()


def test_a_killed_worker_leaves_the_message_to_a_later_one_and_it_is_sent_once(
    cast, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = StallingInbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        # The row as message_record writes it, without its commit hook: the
        # tests' immediate task backend would send it here, in this process.
        rendered = message_render(template="test_message", context={}, organisation=None)
        message = OutboxMessage.objects.create(
            to_email="alice@example.fr",
            from_email="Alpha Sierra <ne-pas-repondre@alpha-sierra.org>",
            subject=rendered.subject,
            body_text=rendered.text,
            body_html=rendered.html,
            message_id=make_msgid(domain="alpha-sierra.org"),
            next_attempt_at=timezone.now(),
        )
        # Hand it to the database queue, as the commit hook does.
        run(
            port,
            "shell",
            "-c",
            f"from alphasierra.mail.tasks import deliver_message; deliver_message.enqueue({message.pk})",
        )

        worker = manage(port, "db_worker", "--no-startup-delay", "--interval", "0.2")
        assert inbox.stalled.wait(timeout=60), "the worker never reached the SMTP server"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        inbox.release.set()

        message.refresh_from_db()
        # The worker had claimed it (committed before speaking to the server).
        assert message.status == OutboxMessage.Status.PENDING
        assert message.claimed_at is not None
        assert inbox.received == []

        # Time passes: the claim expires, the periodic sweep finds the message due
        # and a new worker sends it.
        expired = message.claimed_at - SEND_LEASE - timedelta(seconds=1)
        OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=expired)
        due = (message.next_attempt_at or timezone.now()).isoformat()
        run(
            port,
            "shell",
            "-c",
            "from datetime import datetime; from alphasierra.mail.services import outbox_retry_due; "
            f"outbox_retry_due(now=datetime.fromisoformat('{due}'))",
        )
        run(port, "db_worker", "--batch", "--no-startup-delay")
        run(port, "db_worker", "--batch", "--no-startup-delay")  # a second pass finds nothing to send
    finally:
        server.stop()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(inbox.received) == 1
    assert message.message_id.encode() in inbox.received[0]
