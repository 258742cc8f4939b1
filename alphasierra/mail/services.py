"""Outgoing e-mail: render, record in the outbox, deliver, retry."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from alphasierra.mail.models import OutboxMessage
from alphasierra.organisations.models import Organisation

logger = logging.getLogger(__name__)

# How long a freshly queued message waits for its task before the periodic sweep
# assumes the task was lost (a crash between the commit and the enqueue).
FIRST_ATTEMPT_GRACE = timedelta(minutes=5)
RETRY_BASE_DELAY = timedelta(minutes=1)
RETRY_MAX_DELAY = timedelta(hours=6)
# How long a message claimed by a worker is left to it before another may send
# it: well beyond the SMTP timeout, so that a slow server does not get it twice.
SEND_LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def message_render(*, template: str, context: dict[str, Any], organisation: Organisation | None) -> RenderedMessage:
    """Render ``mail/<template>_subject.txt``, ``.txt`` and ``.html`` in French.

    The subject carries the site's name, so that an agent receiving messages from
    their CLAS and from an association can tell them apart.
    """
    full_context = {"organisation": organisation, "portal_url": settings.PORTAL_URL, **context}
    with translation.override("fr"):
        subject = render_to_string(f"mail/{template}_subject.txt", full_context).strip()
        text = render_to_string(f"mail/{template}.txt", full_context)
        html = render_to_string(f"mail/{template}.html", full_context)
    return RenderedMessage(subject=subject_for_site(subject, organisation), text=text, html=html)


def subject_for_site(subject: str, organisation: Organisation | None) -> str:
    site_name = organisation.name if organisation else "Alpha Sierra"
    return f"[{site_name}] {' '.join(subject.split())}"


@transaction.atomic
def message_queue(
    *, to: str, template: str, context: dict[str, Any], organisation: Organisation | None = None
) -> OutboxMessage:
    """Render ``mail/<template>`` and record it in the outbox, to be delivered
    once the caller's transaction commits."""
    rendered = message_render(template=template, context=context, organisation=organisation)
    return message_record(to=to, rendered=rendered, organisation=organisation)


@transaction.atomic
def message_record(*, to: str, rendered: RenderedMessage, organisation: Organisation | None = None) -> OutboxMessage:
    """Record an already rendered e-mail in the outbox (see ``message_queue``)."""
    from alphasierra.mail.tasks import deliver_message  # the task module imports this one

    now = timezone.now()
    message = OutboxMessage(
        organisation=organisation,
        to_email=to,
        from_email=settings.DEFAULT_FROM_EMAIL,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        message_id=make_msgid(domain=settings.MAIL_DOMAIN),
        created_at=now,
        next_attempt_at=now + FIRST_ATTEMPT_GRACE,
    )
    message.full_clean()
    message.save()
    transaction.on_commit(partial(deliver_message.enqueue, message.pk))
    return message


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
            logger.error("Gave up on message %s after %s attempts: %s", message.pk, message.attempts, error)
        else:
            message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
            logger.warning("Message %s not sent (attempt %s): %s", message.pk, message.attempts, error)
    else:
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.next_attempt_at = None
        message.last_error = ""
    message.claimed_at = None
    with transaction.atomic():
        message.save(update_fields=["status", "last_error", "next_attempt_at", "sent_at", "claimed_at"])
    return message


def outbox_retry_due(*, now: datetime | None = None) -> int:
    """Hand to the worker every pending message whose next attempt is due.

    Each message found gets a short lease (its next attempt moved forward) so
    that a stopped worker does not pile up duplicate tasks at every sweep.
    Returns the number of messages handed over.
    """
    from alphasierra.mail.tasks import deliver_message

    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            .values_list("pk", flat=True)[:500]
        )
        OutboxMessage.objects.filter(pk__in=due).update(next_attempt_at=now + FIRST_ATTEMPT_GRACE)
        for pk in due:
            transaction.on_commit(partial(deliver_message.enqueue, pk))
    return len(due)


def outbox_purge(*, now: datetime | None = None) -> int:
    """Delete delivered messages past their retention: they hold personal data."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MAIL_RETENTION_DAYS)
    deleted, _ = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT, sent_at__lt=cutoff).delete()
    return deleted
