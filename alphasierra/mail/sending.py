"""Sending one outbox message, what the worker's task runs: at least once,
retried with a growing delay. Apart from ``services`` (which records and
enqueues) so that the task module and the services import it without
importing each other."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from alphasierra.mail.models import OutboxMessage

# The name the delivery lines have always been logged under: log filters and alerts keep working.
logger = logging.getLogger("alphasierra.mail.services")

RETRY_BASE_DELAY = timedelta(minutes=1)
RETRY_MAX_DELAY = timedelta(hours=6)
# How long a message claimed by a worker is left to it before another may send
# it: well beyond the SMTP timeout, so that a slow server does not get it twice.
SEND_LEASE = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4… minutes after each failure, at most 6 hours."""
    return min(RETRY_BASE_DELAY * 2 ** max(attempts - 1, 0), RETRY_MAX_DELAY)


def message_deliver(*, message_id: int) -> OutboxMessage | None:
    """Send one outbox message through Django's mail backend: at least once.

    The message is claimed in a short transaction of its own (row lock, attempt
    counted, claim committed) and only then handed to the mail server, so that no
    transaction nor row lock stays open while a slow server answers; the result is
    recorded in a second transaction. A second worker handed the same message in
    the meantime finds the claim and leaves it.

    A worker that dies after the server accepted the message but before the result
    was recorded leaves a claim that expires after ``SEND_LEASE``: the sweep hands
    the message out again and it is sent a second time, with the same Message-ID,
    by which the receiving side can recognise the duplicate.
    """
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboxMessage.Status.PENDING:
            return message
        if message.claimed_at is not None and message.claimed_at > now - SEND_LEASE:
            return message
        message.attempts += 1
        message.claimed_at = now
        # Should this worker die, the sweep finds the message due once the claim expired.
        message.next_attempt_at = now + SEND_LEASE
        message.save(update_fields=["attempts", "claimed_at", "next_attempt_at"])

    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email,
        to=[message.to_email],
        headers={"Message-ID": message.message_id},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send(fail_silently=False)
    # Any failure of the backend (refused, timed out, bad credentials…) is
    # recorded and retried later; it must never lose the message.
    except Exception as error:
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        if message.attempts >= settings.MAIL_MAX_ATTEMPTS:
            message.status = OutboxMessage.Status.FAILED
            message.next_attempt_at = None
            logger.error("Gave up on message %s after %s attempts: %s", message.pk, message.attempts, _kind(error))
        else:
            message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
            logger.warning("Message %s not sent (attempt %s): %s", message.pk, message.attempts, _kind(error))
    else:
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.next_attempt_at = None
        message.last_error = ""
    message.claimed_at = None
    with transaction.atomic():
        message.save(update_fields=["status", "last_error", "next_attempt_at", "sent_at", "claimed_at"])
    return message


def _kind(error: Exception) -> str:
    """What went wrong, for the log: the error's class and the server's reply
    code. Not its text: a mail server's refusal quotes the recipient's address
    (the whole text is kept with the message, in ``last_error``)."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code is not None else type(error).__name__
