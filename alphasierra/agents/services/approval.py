"""A site manager of the CLAS approves or rejects a registration; reminders of those waiting."""

from datetime import datetime, timedelta

from allauth.usersessions.models import UserSession
from django.db import transaction
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.agents.services._common import managers_of
from alphasierra.audit.services import audit_record
from alphasierra.mail.services import message_queue
from alphasierra.organisations.links import site_url
from alphasierra.organisations.models import Organisation

REMINDER_AFTER = timedelta(days=7)


class AgentStateError(Exception):
    """The registration is no longer in the state the action expects (someone
    else decided first, or the link was used already)."""

    def __init__(self, agent: Agent) -> None:
        super().__init__(f"Agent {agent.pk} is {agent.state}")
        self.agent = agent


def _decide(agent_id: int, clas: Organisation) -> Agent:
    # Locked: two managers deciding at once are serialised, and the second one
    # finds the request already decided.
    agent = Agent.objects.select_for_update().select_related("user", "clas").get(pk=agent_id, clas=clas)
    if agent.state != Agent.State.AWAITING_APPROVAL:
        raise AgentStateError(agent)
    return agent


@transaction.atomic
def agent_approve(*, agent_id: int, clas: Organisation, manager: User) -> Agent:
    agent = _decide(agent_id, clas)
    agent.state = Agent.State.APPROVED
    agent.decided_at = timezone.now()
    agent.decided_by = manager
    agent.save(update_fields=["state", "decided_at", "decided_by"])
    audit_record(action="agent.approved", actor=manager, organisation=clas, subject=agent.user)
    message_queue(
        to=agent.user.email,
        template="agent_approved",
        context={"agent": agent, "site_url": site_url(clas)},
        organisation=clas,
    )
    return agent


@transaction.atomic
def agent_reject(*, agent_id: int, clas: Organisation, manager: User, reason: str) -> Agent:
    """Refuse the request: the account can no longer log in and its sessions end."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A rejection needs a reason.")
    agent = _decide(agent_id, clas)
    agent.state = Agent.State.REJECTED
    agent.decided_at = timezone.now()
    agent.decided_by = manager
    agent.rejection_reason = reason
    agent.save(update_fields=["state", "decided_at", "decided_by", "rejection_reason"])
    user = agent.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    for session in UserSession.objects.filter(user=user):
        session.end()
    audit_record(action="agent.rejected", actor=manager, organisation=clas, subject=user, data={"reason": reason})
    message_queue(
        to=user.email,
        template="agent_rejected",
        context={"agent": agent, "reason": reason, "site_url": site_url(clas)},
        organisation=clas,
    )
    return agent


def agents_remind_managers(*, now: datetime | None = None) -> int:
    """Remind the site managers of each CLAS of requests waiting for more than
    seven days (at most once a week per request). Returns the requests reminded."""
    now = now or timezone.now()
    reminded = 0
    waiting = (
        Agent.objects.filter(state=Agent.State.AWAITING_APPROVAL, email_confirmed_at__lt=now - REMINDER_AFTER)
        .exclude(reminded_at__gt=now - REMINDER_AFTER)
        .select_related("clas", "user")
        .order_by("clas_id", "email_confirmed_at")
    )
    by_clas: dict[Organisation, list[Agent]] = {}
    for agent in waiting:
        by_clas.setdefault(agent.clas, []).append(agent)
    for clas, agents in by_clas.items():
        with transaction.atomic():
            for manager in managers_of(clas):
                message_queue(
                    to=manager.email,
                    template="manager_reminder",
                    context={"agents": agents, "queue_url": site_url(clas, "agents:requests")},
                    organisation=clas,
                    about=[agent.user for agent in agents],
                )
            Agent.objects.filter(pk__in=[a.pk for a in agents]).update(reminded_at=now)
        reminded += len(agents)
    return reminded
