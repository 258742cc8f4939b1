"""Outgoing e-mail: render, record in the outbox, deliver, retry."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from alphasierra.accounts.models import User
from alphasierra.mail.models import OutboxMessage
from alphasierra.mail.selectors import recipient_name
from alphasierra.mail.tasks import deliver_message
from alphasierra.organisations.models import Organisation
from alphasierra.organisations.zones import time_zone_for

# How long a freshly queued message waits for its task before the periodic sweep
# assumes the task was lost (a crash between the commit and the enqueue).
FIRST_ATTEMPT_GRACE = timedelta(minutes=5)


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def message_render(
    *,
    template: str,
    context: dict[str, Any],
    organisation: Organisation | None,
    to: str = "",
    time_zone: str | None = None,
) -> RenderedMessage:
    """Render ``mail/<template>_subject.txt``, ``.txt`` and ``.html`` in French,
    with dates and times in ``time_zone`` (the recipient's: see ``message_queue``).

    The subject carries the site's name, so that an agent receiving messages from
    their CLAS and from an association can tell them apart; the body greets the
    recipient (``to``) by name when the portal knows it (``mail/base.txt``).
    """
    with translation.override("fr"), timezone.override(time_zone or settings.TIME_ZONE):
        # Inside: the civilité of the name is French too, whatever the sender's language.
        full_context = {
            "organisation": organisation,
            "portal_url": settings.PORTAL_URL,
            "recipient_name": recipient_name(email=to) if to else "",
            **context,
        }
        subject = render_to_string(f"mail/{template}_subject.txt", full_context).strip()
        text = render_to_string(f"mail/{template}.txt", full_context)
        html = render_to_string(f"mail/{template}.html", full_context)
    return RenderedMessage(subject=subject_for_site(subject, organisation), text=text, html=html)


def subject_for_site(subject: str, organisation: Organisation | None) -> str:
    site_name = organisation.name if organisation else "Alpha Sierra"
    return f"[{site_name}] {' '.join(subject.split())}"


@transaction.atomic
def message_queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    organisation: Organisation | None = None,
    about: Iterable[User] = (),
) -> OutboxMessage:
    """Render ``mail/<template>`` and record it in the outbox, to be delivered
    once the caller's transaction commits.

    ``about`` lists the accounts the message names besides its recipient (the
    agent whose request a manager must review): the message is erased with them.
    """
    # Rendered for its recipient: a time reads in the zone of their own CLAS.
    rendered = message_render(
        template=template, context=context, organisation=organisation, to=to, time_zone=time_zone_for(email=to)
    )
    return message_record(to=to, rendered=rendered, organisation=organisation, about=about)


@transaction.atomic
def message_record(
    *, to: str, rendered: RenderedMessage, organisation: Organisation | None = None, about: Iterable[User] = ()
) -> OutboxMessage:
    """Record an already rendered e-mail in the outbox (see ``message_queue``).

    The message is tied to the accounts it names (``about``) and to the account
    its address belongs to now: the address may change before the person is erased.
    """
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
    recipients = User.objects.with_email(to)
    message.about.add(*about, *recipients)
    transaction.on_commit(partial(deliver_message.enqueue, message.pk))
    return message


def outbox_retry_due(*, now: datetime | None = None) -> int:
    """Hand to the worker every pending message whose next attempt is due.

    Each message found gets a short lease (its next attempt moved forward) so
    that a stopped worker does not pile up duplicate tasks at every sweep.
    Returns the number of messages handed over.
    """
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


@transaction.atomic
def outbox_purge(*, now: datetime | None = None) -> int:
    """Delete the messages past their retention (MAIL_RETENTION_DAYS), with
    their copies in the local outbox: they hold personal data.

    Delivered messages count from their delivery; messages given up (after
    MAIL_MAX_ATTEMPTS) from their creation, their last attempt following it
    within hours. Pending messages are still owed and stay.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MAIL_RETENTION_DAYS)
    expired = Q(status=OutboxMessage.Status.SENT, sent_at__lt=cutoff) | Q(
        status=OutboxMessage.Status.FAILED, created_at__lt=cutoff
    )
    return _messages_delete(OutboxMessage.objects.filter(expired))


@transaction.atomic
def outbox_forget(*, user: User, emails: Collection[str] = ()) -> int:
    """Delete every message addressed to the person or naming them, whatever
    its state, with its copy in the local outbox (the person is being erased).

    ``emails`` adds the addresses the account uses besides ``user.email``
    (a new one waiting for confirmation).
    """
    addressed = Q()
    for email in {user.email, *emails}:
        addressed |= Q(to_email__iexact=email)
    return _messages_delete(OutboxMessage.objects.filter(addressed | Q(about=user)))


def _messages_delete(messages: QuerySet[OutboxMessage]) -> int:
    # Locked first: a worker sending one of them finishes before it goes.
    found = dict(
        OutboxMessage.objects.select_for_update().filter(pk__in=messages.values("pk")).values_list("pk", "message_id")
    )
    if found:
        OutboxMessage.objects.filter(pk__in=found).delete()
        transaction.on_commit(partial(_local_outbox_discard, set(found.values())))
    return len(found)


def _local_outbox_dir() -> Path | None:
    """Where the file-based backend of the local portal writes messages, if it is the one in use."""
    backend = mailers.default
    return Path(backend.file_path) if isinstance(backend, FileEmailBackend) else None


def _local_outbox_discard(message_ids: Collection[str]) -> None:
    """Remove these messages from the files of the local outbox (the file-based
    backend writes one file per connection, messages separated by a line of dashes)."""
    directory = _local_outbox_dir()
    if directory is None or not directory.is_dir():
        return
    separator = b"-" * 79 + b"\n"
    markers = [f"Message-ID: {message_id}".encode() for message_id in message_ids]
    for path in directory.glob("*.log"):
        chunks = path.read_bytes().split(separator)
        kept = [chunk for chunk in chunks if chunk and not any(marker in chunk for marker in markers)]
        if len(kept) == len([chunk for chunk in chunks if chunk]):
            continue
        if kept:
            path.write_bytes(b"".join(chunk + separator for chunk in kept))
        else:
            path.unlink(missing_ok=True)
