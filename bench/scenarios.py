"""What the benchmark measures: the pages, who asks for them, and the budget
of each (bench/README.md, « Budgets »). No Django: ``bench.run`` reads it to
drive wrk, ``bench.inprocess`` to serve the same requests in-process."""

from dataclasses import dataclass
from itertools import cycle, islice
from typing import Any
from urllib.parse import quote

from bench.stats import Budget

# Anonymous public pages: the same for every visitor of a site.
ANONYMOUS = Budget(floor_share=0.25)
# Pages of a logged-in person, at 32 clients.
AUTHENTICATED = Budget(floor_share=0.10, p95_ms=50)
# The register's search in the largest CLAS, any query of 2 letters or more.
REGISTER_SEARCH = Budget(floor_share=0.10, p95_ms=50, server_p95_ms=20)
# What every back-office page costs before its own work.
BACKOFFICE_FIXED = Budget(server_median_ms=5, max_queries=8)
# Full password logins and sign-ups, as a share of Argon2id verifications/s.
LOGIN_SHARE = 0.80
SIGNUP_SHARE = 0.60
# Resident memory of one app server (its gunicorn processes).
MEMORY_MB = 200

# The empty back-office page of bench/urls.py, served in-process only.
BACKOFFICE_FIXED_NAME = "back-office fixed cost (empty page)"


@dataclass(frozen=True)
class Page:
    """A page under load: each request takes the next (path, cookie) pair."""

    name: str
    requests: list[tuple[str, str]]
    budget: Budget


def _pairs(paths: list[str], cookies: list[str]) -> list[tuple[str, str]]:
    """Every path with every cookie, interleaved: each session asks for each
    path, and consecutive requests differ in both."""
    if not cookies:
        return [(path, "") for path in paths]
    count = len(paths) * len(cookies)
    return list(zip(islice(cycle(paths), count), (cookie for cookie in cookies for _ in paths), strict=True))


def pages(plan: dict[str, Any]) -> list[Page]:
    clas = plan["largest_clas"]
    searches = [f"/{clas}/gestion/agents/?q={quote(query)}" for query in plan["register_queries"]]
    agents, managers = plan["agent_cookies"], plan["manager_cookies"]
    return [
        Page("national home /", _pairs(["/"], []), ANONYMOUS),
        Page("CLAS home /sud-ouest/", _pairs(["/sud-ouest/"], []), ANONYMOUS),
        Page("directory /annuaire/", _pairs(["/annuaire/"], []), ANONYMOUS),
        Page("association home /aramis/", _pairs(["/aramis/"], []), ANONYMOUS),
        Page("sign-up form /sud-ouest/inscription/", _pairs(["/sud-ouest/inscription/"], []), ANONYMOUS),
        Page("login page /comptes/login/", _pairs(["/comptes/login/"], []), ANONYMOUS),
        Page("« Mon compte » /comptes/mon-compte/", _pairs(["/comptes/mon-compte/"], agents), AUTHENTICATED),
        Page(f"activity list /{clas}/activites/", _pairs([f"/{clas}/activites/"], agents), AUTHENTICATED),
        Page(f"register search /{clas}/gestion/agents/?q=…", _pairs(searches, managers), REGISTER_SEARCH),
    ]
