from django.db.models import Prefetch, Q, QuerySet

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative


def agent_for_user(user: User) -> Agent | None:
    if not user.is_authenticated:
        return None
    return (
        Agent.objects.select_related("clas")
        .prefetch_related(Prefetch("relatives", queryset=Relative.objects.order_by("kind", "birth_date", "pk")))
        .filter(user=user)
        .first()
    )


def registrations_waiting(agents: QuerySet[Agent]) -> QuerySet[Agent]:
    """Requests waiting for a decision, oldest first, with what the queue shows."""
    return (
        agents.filter(state=Agent.State.AWAITING_APPROVAL)
        .select_related("user")
        .prefetch_related("relatives")
        .order_by("email_confirmed_at", "pk")
    )


def agent_possible_duplicates(agent: Agent) -> QuerySet[Agent]:
    """Other agents, in any CLAS, who may be the same person: same nom, prénom
    and date de naissance, or same personal phone."""
    same_person = Q(personal_phone=agent.personal_phone)
    if agent.birth_date:
        same_person |= Q(
            last_name__iexact=agent.last_name, first_name__iexact=agent.first_name, birth_date=agent.birth_date
        )
    return (
        Agent.objects.filter(same_person)
        .exclude(pk=agent.pk)
        .exclude(state=Agent.State.REJECTED)
        .select_related("clas", "user")
        .order_by("last_name", "first_name")
    )
