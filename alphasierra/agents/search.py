"""Accent-, case- and punctuation-insensitive search over the register.

Each agent keeps a normalised ``search_text`` (nom, prénom, e-mail, service),
written by the services: « Hélène O'Connor » is stored as « helene oconnor », so
that « helene » or « OConnor » finds her with a plain substring match, on
PostgreSQL (backed by a trigram index) as on SQLite.
"""

import unicodedata

from django.db.models import Q, QuerySet

from alphasierra.agents.models import Agent


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = []
    for char in decomposed:
        if unicodedata.category(char).startswith("M"):
            continue  # accents and other combining marks
        if char.isalnum():
            kept.append(char)
        elif char.isspace() or char in "-@.":
            kept.append(" ")
        # apostrophes and other punctuation vanish: « O'Connor » is « oconnor »
    return " ".join("".join(kept).split())


def search_text_for(agent: Agent) -> str:
    return normalise(f"{agent.last_name} {agent.first_name} {agent.user.email} {agent.service}")[:500]


def search_agents(agents: QuerySet[Agent], query: str) -> QuerySet[Agent]:
    """Agents matching every word of the query."""
    condition = Q()
    for term in normalise(query).split()[:8]:
        condition &= Q(search_text__contains=term)
    return agents.filter(condition)
