from typing import Any

from alphasierra.accounts.adapter import AccountAdapter
from alphasierra.agents.services.signup import agent_issue_confirmation_code


class AgentAccountAdapter(AccountAdapter):
    """allauth's adapter (``ACCOUNT_ADAPTER``), with what agents add to it: the
    accounts app stays below the agents, which extend it."""

    def confirmation_code(self, user: Any) -> str:
        # An agent's confirmation carries a short code too, valid as long as the link.
        agent = getattr(user, "agent", None)
        return agent_issue_confirmation_code(agent=agent) if agent is not None else ""
