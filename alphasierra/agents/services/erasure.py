"""Deletion of accounts: at the agent's request, and purges of those never
confirmed or rejected long ago. Nothing personal outlives them."""

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone, translation
from django.utils.translation import gettext

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.agents.services._common import managers_of
from alphasierra.audit.services import audit_anonymise, audit_record
from alphasierra.mail.services import message_queue, outbox_forget
from alphasierra.organisations.generations import directory_entry_changed
from alphasierra.organisations.links import site_url
from alphasierra.organisations.models import Organisation

UNCONFIRMED_KEPT_FOR = timedelta(days=30)


@transaction.atomic
def agents_purge_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete accounts whose e-mail was never confirmed within 30 days."""
    now = now or timezone.now()
    stale = Agent.objects.filter(state=Agent.State.EMAIL_PENDING, created_at__lt=now - UNCONFIRMED_KEPT_FOR)
    users = list(User.objects.filter(agent__in=stale).select_related("agent__clas"))
    for user in users:
        audit_record(
            action="agent.purged_unconfirmed", actor=None, organisation=user.agent.clas, data={"agent": user.agent.pk}
        )
        _account_erase(agent=user.agent)
    return len(users)


@transaction.atomic
def agent_request_deletion(*, user: User) -> Agent:
    """« Supprimer mon compte »: a site manager of the CLAS confirms it."""
    agent = Agent.objects.select_for_update().select_related("clas").get(user=user)
    if agent.deletion_requested_at is None:
        agent.deletion_requested_at = timezone.now()
        agent.save(update_fields=["deletion_requested_at"])
        audit_record(action="agent.deletion_requested", actor=user, organisation=agent.clas, subject=user)
        for manager in managers_of(agent.clas):
            message_queue(
                to=manager.email,
                template="deletion_requested",
                context={"agent": agent, "queue_url": site_url(agent.clas, "agents:deletions")},
                organisation=agent.clas,
                about=[user],
            )
    return agent


@transaction.atomic
def agent_cancel_deletion(*, user: User) -> Agent:
    agent = Agent.objects.select_for_update().select_related("clas").get(user=user)
    if agent.deletion_requested_at is not None:
        agent.deletion_requested_at = None
        agent.save(update_fields=["deletion_requested_at"])
        audit_record(action="agent.deletion_cancelled", actor=user, organisation=agent.clas, subject=user)
    return agent


@transaction.atomic
def agent_erase(*, agent_id: int, clas: Organisation, manager: User) -> None:
    """Erase an agent who asked for it: nothing of them or their family is
    left (see ``_account_erase``); the history keeps only anonymised events
    (what happened, by whom and when, no longer to whom nor with which values)."""
    agent = (
        Agent.objects.select_for_update()
        .select_related("user")
        .get(pk=agent_id, clas=clas, deletion_requested_at__isnull=False)
    )
    _account_erase(agent=agent)
    audit_record(action="agent.erased", actor=manager, organisation=clas, data={"agent": agent_id})


@transaction.atomic
def agents_purge_rejected(*, now: datetime | None = None) -> int:
    """Erase the accounts whose request was rejected more than
    REJECTED_RETENTION_DAYS ago. They are kept until then so that the person
    can contest the decision and the CLAS can answer with the file at hand."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REJECTED_RETENTION_DAYS)
    rejected = list(
        Agent.objects.select_for_update(of=("self",))
        .select_related("user", "clas")
        .filter(state=Agent.State.REJECTED, decided_at__lt=cutoff)
    )
    for agent in rejected:
        agent_id, clas = agent.pk, agent.clas
        _account_erase(agent=agent)
        audit_record(action="agent.purged_rejected", actor=None, organisation=clas, data={"agent": agent_id})
    return len(rejected)


def _account_erase(*, agent: Agent) -> None:
    """Remove every personal datum of an agent's account, in the caller's transaction.

    Deleting the account takes the agent, the family, the transfers, the
    association links, the e-mail addresses, the second factors and the
    tracked sessions with it. What would outlive it is dealt with first: the
    e-mails addressed to the person or naming them are deleted, the sessions
    ended, the audit events about them and the admin's log of their objects
    anonymised.
    """
    user = agent.user
    emails = list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    outbox_forget(user=user, emails=emails)
    audit_anonymise(subject=user)
    _admin_log_anonymise(agent)
    for session in UserSession.objects.filter(user=user):
        session.end()
    # Before the roles go with the account: which pages showed the person.
    directory_entry_changed(user=user)
    user.delete()


def _admin_log_anonymise(agent: Agent) -> None:
    """The Django admin's log names each object it changed or deleted. Entries
    about the rows going with the account are found by their key (Django's own
    collector lists what the deletion will take); those about rows already
    deleted in the admin (an association link, a transfer), only by the name
    they were shown with, which begins with the agent's. The family is edited
    within the agent's page, whose entries are found by the agent's key."""
    user = agent.user
    collector = Collector(using=router.db_for_write(User))
    collector.collect([user])
    keys: dict[type[models.Model], set[object]] = {}
    for model, instances in collector.data.items():
        keys.setdefault(model, set()).update(instance.pk for instance in instances)
    for queryset in collector.fast_deletes:
        keys.setdefault(queryset.model, set()).update(queryset.values_list("pk", flat=True))
    entries = Q(pk__in=[])
    for model, pks in keys.items():
        entries |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks])
    for shown in (user.email, str(agent)):
        entries |= Q(object_repr__icontains=shown)
    with translation.override("fr"):
        LogEntry.objects.filter(entries).update(object_repr=gettext("(effacé)"), change_message="")
