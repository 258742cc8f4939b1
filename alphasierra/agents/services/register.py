"""Corrections of an agent's data, by a manager of the register or by the agent."""

from django.db import transaction

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.search import search_text_for
from alphasierra.agents.services._common import audit_value
from alphasierra.agents.services.family import family_count_check
from alphasierra.audit.services import audit_record
from alphasierra.organisations.generations import directory_entry_changed
from alphasierra.organisations.models import Organisation

# The fields a manager may correct, as the register shows them.
CORRECTABLE_FIELDS = (
    "civility",
    "last_name",
    "first_name",
    "birth_date",
    "employer",
    "status",
    "service",
    "service_address",
    "work_phone",
    "personal_phone",
    "address",
    "postal_code",
    "city",
    "family_situation",
    "children_count",
)


@transaction.atomic
def agent_update(*, agent_id: int, clas: Organisation, actor: User, changes: dict[str, object]) -> Agent:
    """Correct an agent's data (same rules as at sign-up), recording before and
    after of each changed field in the audit trail."""
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not correctable: {sorted(unknown)}")
    agent = Agent.objects.select_for_update().select_related("user").get(pk=agent_id, clas=clas)
    changed = {}
    for name, value in changes.items():
        before = getattr(agent, name)
        if before != value:
            changed[name] = {"before": audit_value(before), "after": audit_value(value)}
            setattr(agent, name, value)
    if not changed:
        return agent
    if "children_count" in changed:
        # Against the children listed now, not those the form saw.
        family_count_check(
            children_count=agent.children_count, children=agent.relatives.filter(kind=Relative.Kind.CHILD).count()
        )
    agent.search_text = search_text_for(agent)
    agent.full_clean()
    agent.save(update_fields=[*changed, "search_text"])
    audit_record(action="agent.updated", actor=actor, organisation=clas, subject=agent.user, data={"changes": changed})
    directory_entry_changed(user=agent.user)
    return agent


@transaction.atomic
def agent_refresh_search(*, user: User) -> None:
    """Recompute the register's search text after the account's e-mail changed
    (the directory shows the address of those who hold a role)."""
    directory_entry_changed(user=user)
    agent = Agent.objects.select_for_update().select_related("user").filter(user=user).first()
    if agent is not None:
        agent.search_text = search_text_for(agent)
        agent.save(update_fields=["search_text"])
