from django.db.models import Exists, OuterRef, QuerySet

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.organisations.models import Organisation
from alphasierra.transfers.models import Transfer


def transfer_open_for(user: User) -> Transfer | None:
    """The agent's request still open: pending, or accepted for a date to come."""
    return (
        Transfer.objects.filter(agent__user=user, state__in=[Transfer.State.PENDING, Transfer.State.SCHEDULED])
        .select_related("origin", "destination")
        .first()
    )


def transfers_waiting(transfers: QuerySet[Transfer]) -> QuerySet[Transfer]:
    return (
        transfers.filter(state=Transfer.State.PENDING)
        .select_related("agent", "agent__user", "origin")
        .order_by("created_at", "pk")
    )


def transfers_waiting_count(*, destination: Organisation) -> int:
    return Transfer.objects.filter(destination=destination, state=Transfer.State.PENDING).count()


def transfers_decided(transfers: QuerySet[Transfer], *, limit: int = 50) -> QuerySet[Transfer]:
    """The latest decided transfers, for the history under the queue. Only the
    name kept at request time is read, never the agent's record (``only``):
    a refused or cancelled transfer gives the destination nothing more."""
    return (
        transfers.exclude(state=Transfer.State.PENDING)
        .select_related("origin")
        .only(
            "agent_id",
            "agent_name",
            "origin__name",
            "reason",
            "effective_date",
            "state",
            "created_at",
            "decided_at",
            "refusal_reason",
        )
        # An accepted transfer leads to the agent in the register, while they
        # are still there.
        .annotate(in_register=Exists(Agent.objects.filter(pk=OuterRef("agent_id"), clas=OuterRef("destination_id"))))
        .order_by("-decided_at", "-pk")[:limit]
    )
