from django.db.models import Count, FilteredRelation, Q, QuerySet

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.agents.search import search_agents
from alphasierra.organisations.models import Organisation


def agent_for_user(user: User) -> Agent | None:
    if not user.is_authenticated:
        return None
    return Agent.objects.select_related("clas").prefetch_related("relatives").filter(user=user).first()


def registrations_waiting(agents: QuerySet[Agent]) -> QuerySet[Agent]:
    """Requests waiting for a decision, oldest first, with what the queue shows."""
    return (
        agents.filter(state=Agent.State.AWAITING_APPROVAL)
        .select_related("user")
        .prefetch_related("relatives")
        .order_by("email_confirmed_at", "pk")
    )


def registrations_waiting_per_clas() -> dict[str, int]:
    """Requests waiting for a site manager's decision, by CLAS slug, every CLAS
    present (0 when none), in one query whatever the number of agents: the
    condition is in the join, which reads the managers' queue index only."""
    waiting = FilteredRelation("agents", condition=Q(agents__state=Agent.State.AWAITING_APPROVAL))
    rows = (
        Organisation.objects.filter(kind=Organisation.Kind.CLAS)
        .annotate(waiting_agents=waiting)
        .annotate(waiting=Count("waiting_agents"))
        .order_by("position", "slug")
        .values_list("slug", "waiting")
    )
    return dict(rows)


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


REGISTER_ORDERINGS: dict[str, tuple[str, ...]] = {
    "nom": ("last_name", "first_name", "pk"),
    "-nom": ("-last_name", "-first_name", "-pk"),
    "inscription": ("created_at", "pk"),
    "-inscription": ("-created_at", "-pk"),
    "service": ("service", "last_name", "pk"),
}


def register_list(agents: QuerySet[Agent], filters: dict[str, str]) -> QuerySet[Agent]:
    """The register filtered as asked: search words, state, employer, status, order."""
    if query := filters.get("q"):
        agents = search_agents(agents, query)
    if state := filters.get("etat"):
        agents = agents.filter(state=state)
    if employer := filters.get("employeur"):
        agents = agents.filter(employer=employer)
    if status := filters.get("situation"):
        agents = agents.filter(status=status)
    ordering = REGISTER_ORDERINGS.get(filters.get("tri", ""), REGISTER_ORDERINGS["nom"])
    # The accounts of the page in a second query: joining them to the search
    # made PostgreSQL read every account (see bench/README.md).
    return agents.prefetch_related("user").order_by(*ordering)


def register_export_rows(agents: QuerySet[Agent]) -> QuerySet[Agent]:
    """The filtered register with each family, in two queries whatever its size."""
    return agents.prefetch_related("relatives")


def agent_counts(*, clas: Organisation) -> dict[str, int]:
    """Agents of a CLAS by state, in one query."""
    counts = dict.fromkeys(Agent.State.values, 0)
    for row in Agent.objects.filter(clas=clas).values("state").annotate(n=Count("pk")).order_by():
        counts[row["state"]] = row["n"]
    return counts


def deletions_waiting(agents: QuerySet[Agent]) -> QuerySet[Agent]:
    return agents.filter(deletion_requested_at__isnull=False).select_related("user").order_by("deletion_requested_at")


def clas_id_of(user: User) -> int | None:
    """The CLAS of a logged-in person's agent record, if they have one (one small query)."""
    if not user.is_authenticated:
        return None
    return Agent.objects.filter(user=user).values_list("clas_id", flat=True).first()
