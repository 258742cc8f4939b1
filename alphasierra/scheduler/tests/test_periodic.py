from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.services import message_queue

pytestmark = pytest.mark.django_db


def broken_job() -> None:
    raise RuntimeError("disque plein")


def test_periodic_frequent_retries_due_messages(capsys, django_capture_on_commit_callbacks):
    message = message_queue(to="alice@example.fr", template="test_message", context={})
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("periodic", "frequent")

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert "outbox_retry_due: 1" in capsys.readouterr().out


def test_a_failing_job_does_not_stop_the_others_but_fails_the_run(settings, capsys):
    settings.PERIODIC_JOBS = {
        "daily": [f"{__name__}.broken_job", "alphasierra.mail.services.outbox_purge"],
    }

    with pytest.raises(CommandError):
        call_command("periodic", "daily")

    captured = capsys.readouterr()
    assert "RuntimeError: disque plein" in captured.err
    assert "outbox_purge: 0" in captured.out


def test_periodic_needs_a_schedule():
    with pytest.raises(CommandError):
        call_command("periodic")
