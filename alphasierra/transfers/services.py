"""Moving an agent's account and family from one CLAS to another."""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.agents.services.links import site_url
from alphasierra.audit.services import audit_record
from alphasierra.mail.services import message_queue
from alphasierra.organisations.access import may_decide_transfer
from alphasierra.organisations.models import Organisation, Role
from alphasierra.transfers.models import Transfer

logger = logging.getLogger(__name__)


class TransferError(Exception):
    """A request the rules refuse; ``message`` is shown to the person."""

    def __init__(self, message: "str | Promise") -> None:
        super().__init__(str(message))
        self.message = str(message)


class TransferStateError(Exception):
    """The transfer was decided or cancelled by someone else first."""

    def __init__(self, transfer: Transfer) -> None:
        super().__init__(f"Transfer {transfer.pk} is {transfer.state}")
        self.transfer = transfer


def _people(organisation: Organisation, kind: Role.Kind) -> list[User]:
    return list(User.objects.filter(roles__organisation=organisation, roles__kind=kind, is_active=True).distinct())


def _require_decider(actor: User, destination: Organisation) -> None:
    if not may_decide_transfer(actor, destination):
        raise TransferError(_("Seul le correspondant social du CLAS de destination décide de ce transfert."))


def transfer_reviewers(destination: Organisation) -> tuple[list[User], bool]:
    """Who validates transfers into a CLAS: its CSR, or failing that its site
    managers. The flag says the CLAS has no CSR (the national administrators
    are then told)."""
    correspondents = _people(destination, Role.Kind.SOCIAL_CORRESPONDENT)
    if correspondents:
        return correspondents, False
    return _people(destination, Role.Kind.SITE_MANAGER), True


@transaction.atomic
def transfer_request(
    *, agent_id: int, destination: Organisation, reason: str, effective_date: date, message: str, actor: User
) -> Transfer:
    agent = Agent.objects.select_for_update().select_related("clas", "user").get(pk=agent_id)
    if agent.state != Agent.State.APPROVED:
        raise TransferError(_("Seul un agent dont l'inscription est validée peut demander un transfert."))
    if not destination.is_clas:
        raise TransferError(_("Un transfert se fait vers un CLAS."))
    if destination.pk == agent.clas_id:
        raise TransferError(_("Votre compte est déjà rattaché à ce CLAS."))
    if Transfer.objects.filter(agent=agent, state__in=[Transfer.State.PENDING, Transfer.State.SCHEDULED]).exists():
        raise TransferError(_("Une demande de transfert est déjà en cours : annulez-la pour en faire une autre."))
    transfer = Transfer(
        agent=agent,
        origin=agent.clas,
        destination=destination,
        reason=reason,
        effective_date=effective_date,
        message=message.strip(),
        agent_name=f"{agent.last_name} {agent.first_name}",
    )
    transfer.full_clean()
    transfer.save()
    audit_record(
        action="transfer.requested",
        actor=actor,
        organisation=agent.clas,
        subject=agent.user,
        data={"transfer": transfer.pk, "to": destination.slug},
    )
    reviewers, no_correspondent = transfer_reviewers(destination)
    review_url = site_url(destination, "transfers:detail", pk=transfer.pk)
    for reviewer in reviewers:
        message_queue(
            to=reviewer.email,
            template="transfer_requested",
            context={"transfer": transfer, "agent": agent, "review_url": review_url},
            organisation=destination,
            about=[agent.user],
        )
    if no_correspondent:
        for admin in User.objects.filter(roles__kind=Role.Kind.NATIONAL_ADMIN, is_active=True).distinct():
            message_queue(
                to=admin.email,
                template="transfer_no_correspondent",
                context={
                    "transfer": transfer,
                    "agent": agent,
                    "review_url": review_url,
                    "has_managers": bool(reviewers),
                },
                organisation=destination,
                about=[agent.user],
            )
    return transfer


def _lock(
    transfer_id: int, destination: Organisation | None = None, states: tuple[str, ...] = (Transfer.State.PENDING,)
) -> tuple[Transfer, Agent]:
    # Always the transfer first, then the agent: every path takes the locks in
    # this order, so two of them can never wait on each other.
    transfers = Transfer.objects.select_for_update()
    if destination is not None:
        transfers = transfers.filter(destination=destination)
    transfer = transfers.get(pk=transfer_id)
    agent = Agent.objects.select_for_update().select_related("user", "clas").get(pk=transfer.agent_id)
    if transfer.state not in states:
        raise TransferStateError(transfer)
    return transfer, agent


def _today_in(organisation: Organisation, now: datetime | None = None) -> date:
    """The date of the day in the organisation's time zone: a transfer into
    Nouméa takes effect on Nouméa's day, not on Paris's."""
    return timezone.localdate(now or timezone.now(), timezone=ZoneInfo(organisation.time_zone))


def _move(transfer: Transfer, agent: Agent, *, actor: User | None) -> None:
    """The account and family now belong to the destination (both locked by the caller)."""
    origin, destination = agent.clas, transfer.destination
    agent.clas = destination
    agent.save(update_fields=["clas"])
    transfer.state = Transfer.State.ACCEPTED
    transfer.save(update_fields=["state"])
    for organisation in (destination, origin):
        audit_record(
            action="transfer.accepted",
            actor=actor,
            organisation=organisation,
            subject=agent.user,
            data={"transfer": transfer.pk, "from": origin.slug, "to": destination.slug},
        )
    message_queue(
        to=agent.user.email,
        template="transfer_accepted",
        context={"transfer": transfer, "agent": agent, "site_url": site_url(destination)},
        organisation=destination,
    )
    for manager in _people(origin, Role.Kind.SITE_MANAGER):
        message_queue(
            to=manager.email,
            template="transfer_left",
            context={"transfer": transfer, "agent": agent},
            organisation=origin,
            about=[agent.user],
        )


@transaction.atomic
def transfer_accept(*, transfer_id: int, destination: Organisation, actor: User) -> Transfer:
    """The account and family belong to the destination at once, or, when the
    agent asked for a later date, on that date (``transfers_apply_due``)."""
    _require_decider(actor, destination)
    transfer, agent = _lock(transfer_id, destination)
    if agent.deletion_requested_at is not None:
        # The origin's site managers are about to erase the account: moving it
        # would take the request out of their queue.
        raise TransferError(
            _(
                "%(name)s a demandé la suppression de son compte : le transfert ne peut pas être accepté. "
                "Vous pouvez le refuser."
            )
            % {"name": agent.full_name}
        )
    transfer.decided_at = timezone.now()
    transfer.decided_by = actor
    if transfer.effective_date <= _today_in(destination):
        transfer.save(update_fields=["decided_at", "decided_by"])
        _move(transfer, agent, actor=actor)
        return transfer
    transfer.state = Transfer.State.SCHEDULED
    transfer.save(update_fields=["state", "decided_at", "decided_by"])
    for organisation in (destination, agent.clas):
        audit_record(
            action="transfer.scheduled",
            actor=actor,
            organisation=organisation,
            subject=agent.user,
            data={"transfer": transfer.pk, "to": destination.slug, "on": transfer.effective_date.isoformat()},
        )
    message_queue(
        to=agent.user.email,
        template="transfer_scheduled",
        context={"transfer": transfer, "agent": agent, "account_url": f"{settings.PORTAL_URL}{reverse('my-account')}"},
        organisation=agent.clas,
    )
    return transfer


def transfers_apply_due(*, now: datetime | None = None) -> int:
    """Daily: the transfers accepted for a date that has come take effect, with
    the same effects as an acceptance on the day. Each in its own transaction,
    so that one that cannot move (see below) does not hold the others back."""
    moved = 0
    candidates = Transfer.objects.filter(state=Transfer.State.SCHEDULED).select_related("destination")
    for candidate in candidates:
        if candidate.effective_date > _today_in(candidate.destination, now):
            continue
        with transaction.atomic():
            try:
                transfer, agent = _lock(candidate.pk, states=(Transfer.State.SCHEDULED,))
            except (Transfer.DoesNotExist, Agent.DoesNotExist, TransferStateError):
                continue  # cancelled, or erased with the account, since the list was read
            if agent.deletion_requested_at is not None:
                # The origin's managers are erasing the account: it stays
                # there, and goes with the transfer when they confirm.
                logger.info("Transfer %s waits: its agent asked to be erased", transfer.pk)
                continue
            _move(transfer, agent, actor=None)
            moved += 1
    return moved


@transaction.atomic
def transfer_refuse(*, transfer_id: int, destination: Organisation, actor: User, reason: str) -> Transfer:
    reason = reason.strip()
    if not reason:
        raise ValueError("A refusal needs a reason.")
    _require_decider(actor, destination)
    transfer, agent = _lock(transfer_id, destination)
    transfer.state = Transfer.State.REFUSED
    transfer.decided_at = timezone.now()
    transfer.decided_by = actor
    transfer.refusal_reason = reason
    transfer.save(update_fields=["state", "decided_at", "decided_by", "refusal_reason"])
    audit_record(
        action="transfer.refused",
        actor=actor,
        organisation=destination,
        subject=agent.user,
        data={"transfer": transfer.pk, "reason": reason},
    )
    message_queue(
        to=agent.user.email,
        template="transfer_refused",
        context={"transfer": transfer, "agent": agent, "reason": reason},
        organisation=agent.clas,
    )
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer_id: int, user: User) -> Transfer:
    """The agent withdraws their own request, pending or accepted for a date
    still to come (plans change before a move); the destination's reviewers
    are told, as they were told of the request."""
    transfer = Transfer.objects.select_for_update().get(pk=transfer_id, agent__user=user)
    transfer, agent = _lock(transfer.pk, states=(Transfer.State.PENDING, Transfer.State.SCHEDULED))
    was_accepted = transfer.state == Transfer.State.SCHEDULED
    transfer.state = Transfer.State.CANCELLED
    if not was_accepted:
        # An accepted transfer keeps who accepted it and when.
        transfer.decided_at = timezone.now()
        transfer.decided_by = user
    transfer.save(update_fields=["state", "decided_at", "decided_by"])
    # The destination had only been asked, unless it had accepted already.
    for organisation in (agent.clas, transfer.destination) if was_accepted else (agent.clas,):
        audit_record(
            action="transfer.cancelled",
            actor=user,
            organisation=organisation,
            subject=user,
            data={"transfer": transfer.pk, "was_accepted": was_accepted},
        )
    reviewers, _none = transfer_reviewers(transfer.destination)
    for reviewer in reviewers:
        message_queue(
            to=reviewer.email,
            template="transfer_cancelled",
            context={"transfer": transfer, "agent": agent, "was_accepted": was_accepted},
            organisation=transfer.destination,
            about=[agent.user],
        )
    return transfer
