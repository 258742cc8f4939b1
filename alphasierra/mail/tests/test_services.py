import smtplib
import socket
from collections.abc import Sequence
from datetime import timedelta
from types import SimpleNamespace
from typing import ClassVar

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend as EmailBackend
from django.db import connection
from django.utils import timezone

from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.sending import SEND_LEASE, message_deliver, retry_delay
from alphasierra.mail.services import message_queue, message_render, outbox_purge, outbox_retry_due
from alphasierra.organisations.models import Organisation, Role
from alphasierra.testing import run_daily_jobs, traces_of

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_down(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "use_tls": False, "timeout": 2},
        }
    }


def queue_test_message(**kwargs) -> OutboxMessage:
    return message_queue(to="alice@example.fr", template="test_message", context={}, **kwargs)


def test_it_delivers_through_django_mail_backend_once_committed(django_capture_on_commit_callbacks):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")

    with django_capture_on_commit_callbacks(execute=True):
        message = queue_test_message(organisation=sud_ouest)
        assert mail.outbox == []  # nothing leaves before the commit

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.sent_at is not None
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert isinstance(sent, EmailMultiAlternatives)
    assert sent.to == ["alice@example.fr"]
    assert sent.subject == "[CLAS Sud-Ouest] Message d'essai"
    assert sent.extra_headers["Message-ID"] == message.message_id
    assert message.message_id.endswith("@alpha-sierra.org>")
    assert "Ce message d'essai confirme" in sent.body
    assert "http://127.0.0.1:8000/sud-ouest/" in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert "<p>Bonjour,</p>" in str(html)


def test_nothing_is_queued_when_the_cause_is_rolled_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            from django.db import transaction

            with transaction.atomic():
                queue_test_message()
                raise RuntimeError("the change that caused the message failed")
        except RuntimeError:
            pass

    assert OutboxMessage.objects.count() == 0
    assert callbacks == []
    assert mail.outbox == []


def test_a_failure_is_recorded_and_retried_with_backoff(smtp_down, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_test_message()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    first_retry = message.next_attempt_at
    assert first_retry is not None
    assert timedelta(seconds=50) < first_retry - timezone.now() <= timedelta(minutes=1)

    # Not due yet: the sweep leaves it alone.
    assert outbox_retry_due() == 0

    # Due, but SMTP still down: a second failure, a longer wait.
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry_due(now=first_retry + timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert message.attempts == 2
    second_retry = message.next_attempt_at
    assert second_retry is not None
    assert second_retry - timezone.now() > timedelta(minutes=1, seconds=50)

    # SMTP is back: the next sweep delivers it.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry_due(now=second_retry + timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 3
    assert message.last_error == ""
    assert len(mail.outbox) == 1


def test_it_gives_up_after_the_maximum_attempts(smtp_down, settings):
    settings.MAIL_MAX_ATTEMPTS = 2
    message = queue_test_message()

    message_deliver(message_id=message.pk)
    message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.next_attempt_at is None
    assert outbox_retry_due(now=timezone.now() + timedelta(days=1)) == 0


def test_a_message_is_never_sent_twice():
    message = queue_test_message()

    message_deliver(message_id=message.pk)
    message_deliver(message_id=message.pk)  # a duplicate task, or a late retry

    assert len(mail.outbox) == 1


def test_a_lost_task_is_recovered_by_the_sweep(django_capture_on_commit_callbacks):
    # The enqueue after the commit never happened (the process died in between).
    message = queue_test_message()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        handed = outbox_retry_due(now=timezone.now() + timedelta(minutes=6))

    assert handed == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_retry_delay_doubles_up_to_six_hours():
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert retry_delay(30) == timedelta(hours=6)


def test_purge_deletes_only_sent_messages_past_retention(settings):
    settings.MAIL_RETENTION_DAYS = 90
    old = queue_test_message()
    message_deliver(message_id=old.pk)
    OutboxMessage.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=91))
    recent = queue_test_message()
    message_deliver(message_id=recent.pk)
    pending = queue_test_message()

    assert outbox_purge() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}


def test_plain_text_parts_are_not_html_escaped(cast, outbox):
    from alphasierra.agents.services.approval import agent_reject

    paul = cast.paul.agent
    agent_reject(agent_id=paul.pk, clas=paul.clas, manager=cast.bruno, reason="L'agent n'est pas <connu> & c'est tout")

    message = outbox("paul@example.fr")[-1]
    assert "L'agent n'est pas <connu> & c'est tout" in message.body_text
    assert "n'a pas été validée" in message.subject
    assert "&lt;connu&gt;" in message.body_html  # the HTML part stays escaped


class InAtomicBlockRecorder(EmailBackend):
    """A mail backend that notes, at each send, whether a database transaction
    was open (an SMTP conversation inside one holds its locks meanwhile)."""

    in_atomic_block: ClassVar[list[bool]] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        InAtomicBlockRecorder.in_atomic_block.append(connection.in_atomic_block)
        return len(email_messages)


class RecipientRefused(EmailBackend):
    """A mail server that refuses every recipient, quoting the address as
    servers do."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        to = email_messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({to: (550, f"5.1.1 <{to}>: Recipient address rejected".encode())})


def test_a_refused_recipient_is_logged_by_the_message_s_number_not_its_address(settings, caplog):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RecipientRefused"}}
    settings.MAIL_MAX_ATTEMPTS = 2
    caplog.set_level("INFO", logger="alphasierra.mail.services")
    message = message_queue(to="ines.nouvelle@example.org", template="test_message", context={})

    message_deliver(message_id=message.pk)
    message_deliver(message_id=message.pk)

    assert [record.getMessage() for record in caplog.records if record.name == "alphasierra.mail.services"] == [
        f"Message {message.pk} not sent (attempt 1): SMTPRecipientsRefused",
        f"Gave up on message {message.pk} after 2 attempts: SMTPRecipientsRefused",
    ]
    assert "ines.nouvelle" not in caplog.text
    # The whole reply stays with the message, for a person to read in the admin.
    message.refresh_from_db()
    assert "ines.nouvelle@example.org" in message.last_error


@pytest.mark.django_db(transaction=True)
def test_the_mail_server_is_spoken_to_outside_any_transaction(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.InAtomicBlockRecorder"}}
    InAtomicBlockRecorder.in_atomic_block.clear()
    message = queue_test_message()  # committed: the immediate task backend sends it

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert InAtomicBlockRecorder.in_atomic_block == [False]


def test_a_message_claimed_by_another_worker_is_left_to_it():
    message = queue_test_message()
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now(), attempts=1)

    message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert mail.outbox == []
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)


def test_a_claim_left_by_a_dead_worker_expires(django_capture_on_commit_callbacks):
    message = queue_test_message()
    claimed = timezone.now() - SEND_LEASE - timedelta(seconds=1)
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=claimed, attempts=1, next_attempt_at=claimed)

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry_due() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts, message.claimed_at) == (OutboxMessage.Status.SENT, 2, None)
    assert len(mail.outbox) == 1


def test_every_link_in_e_mails_is_absolute(cast):
    from allauth.account.adapter import get_adapter
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    # The portal's own messages, each template rendered for a site.
    templates = sorted(
        path.name.removesuffix(".html")
        for path in (settings.PACKAGE_DIR / "templates" / "mail").glob("*.html")
        if not path.name.startswith(("base", "dev_", "_"))  # "_": parts included by the others
    )
    assert "agent_approved" in templates
    context = {
        "agent": cast.alice.agent,
        "transfer": SimpleNamespace(
            agent=cast.alice.agent, origin=Organisation.objects.get(slug="nord"), destination=sud_ouest
        ),
        "role": Role(kind=Role.Kind.SITE_MANAGER, organisation=sud_ouest, user=cast.bruno),
    }
    html = [message_render(template=t, context=context, organisation=sud_ouest).html for t in templates]
    # allauth's confirmation, rendered by the adapter on a site's page.
    request = RequestFactory().get("/sud-ouest/")
    request.organisation = sud_ouest  # type: ignore[attr-defined]
    request.user = AnonymousUser()
    confirmation = EmailConfirmationHMAC(EmailAddress.objects.get(email="paul@example.fr"))
    get_adapter(request).send_confirmation_mail(request, confirmation, signup=True)
    html += list(OutboxMessage.objects.values_list("body_html", flat=True))

    assert len(html) > len(templates)
    for body in html:
        assert 'href="/' not in body
        assert 'href="http://127.0.0.1:8000/' in body


def test_a_message_given_up_is_kept_for_a_person_to_look_at_then_purged_by_the_daily_jobs(smtp_down, settings):
    settings.MAIL_MAX_ATTEMPTS = 2
    settings.MAIL_RETENTION_DAYS = 90
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    message = message_queue(to="ines.nouvelle@example.org", template="test_message", context={})
    message_deliver(message_id=message.pk)
    message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED

    run_daily_jobs(now=message.created_at + timedelta(days=89))
    assert OutboxMessage.objects.filter(pk=message.pk).exists()

    run_daily_jobs(now=message.created_at + timedelta(days=91))
    assert traces_of("ines.nouvelle@example.org") == []


def test_purging_a_delivered_message_removes_it_from_the_local_outbox(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    old = message_queue(to="ines.nouvelle@example.org", template="test_message", context={})
    recent = message_queue(to="karim@example.fr", template="test_message", context={})
    message_deliver(message_id=old.pk)
    message_deliver(message_id=recent.pk)
    OutboxMessage.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=91))
    assert traces_of("ines.nouvelle@example.org", mail_dir=tmp_path)

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_purge() == 1

    assert traces_of("ines.nouvelle@example.org", mail_dir=tmp_path) == []
    assert traces_of("karim@example.fr", mail_dir=tmp_path)  # the other message's file stays
