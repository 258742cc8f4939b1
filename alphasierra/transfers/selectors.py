from django.db.models import QuerySet

from alphasierra.accounts.models import User
from alphasierra.organisations.models import Organisation
from alphasierra.transfers.models import Transfer


def transfer_pending_for(user: User) -> Transfer | None:
    return (
        Transfer.objects.filter(agent__user=user, state=Transfer.State.PENDING)
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
