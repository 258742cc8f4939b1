"""The data of a benchmark run, and the people who will use it.

    python -m bench.prepare data --agents 100000 --activities 2000 --plan plan.json
    python -m bench.prepare count

``data`` fills a freshly migrated database: the agents and their families
(``bench.generate``), the activities (``bench.activities``), each site's staff
and content, then the accounts and sessions the scenarios log in with. It
writes them to the plan, a JSON file that ``bench.run``, ``bench.inprocess``
and ``bench.load`` read. It runs with the server's settings (the same
``SECRET_KEY``, database and cache), so that the sessions it opens are valid
on the server.

``count`` prints the rows a run must check afterwards (agents, outbox).
"""

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from random import Random

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alphasierra.settings")
django.setup()

from allauth.usersessions.models import UserSession  # noqa: E402 - needs django.setup()
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from alphasierra.accounts.models import User  # noqa: E402
from alphasierra.activities.models import Activity  # noqa: E402
from alphasierra.activities.services.publishing import activity_create, activity_publish  # noqa: E402
from alphasierra.agents.models import Agent  # noqa: E402
from alphasierra.agents.search import normalise  # noqa: E402
from alphasierra.content.selectors import draft_of  # noqa: E402
from alphasierra.content.services.editing import (  # noqa: E402
    home_draft_save,
    news_create,
    page_create,
    revision_publish,
)
from alphasierra.mail.models import OutboxMessage  # noqa: E402
from alphasierra.organisations.models import Organisation, Role  # noqa: E402
from alphasierra.testing import PortalClient, with_second_factor  # noqa: E402
from bench import activities, generate  # noqa: E402

# The password of every account the benchmark logs in with (hashed once).
PASSWORD = "le ciel de Toulouse est bleu"  # noqa: S105 - a benchmark database's
LOGIN_ACCOUNTS = 1_000  # more than a run's logins: each account logs in about once
CROWDED_SESSIONS = 300  # open sessions of the account that logs in while holding many
SESSIONS = 32  # one per connection of the load generator
REGISTERING_AGENTS = 300  # agents who ask for places during the run, each once per activity
REGISTRATION_ACTIVITIES = 4
MIN_AGENTS = 1_000
PAGES_PER_SITE = 3
NEWS_PER_SITE = 8


@dataclass
class Plan:
    """Who and what the scenarios use; written as JSON."""

    agents: int
    largest_clas: str
    password: str = PASSWORD
    login_accounts: list[str] = field(default_factory=list)  # for the load
    spare_accounts: list[str] = field(default_factory=list)  # for in-process logins, never used by the load
    crowded_account: str = ""
    crowded_sessions: int = 0
    agent_cookies: list[str] = field(default_factory=list)  # agents of the largest CLAS, logged in
    manager_cookies: list[str] = field(default_factory=list)  # its site managers, with their second factor
    register_queries: list[str] = field(default_factory=list)
    registrations: list[tuple[str, str]] = field(default_factory=list)  # (cookie, activity page) for the load
    spare_registrations: list[tuple[str, str]] = field(default_factory=list)  # for in-process


def _largest_clas() -> Organisation:
    return (
        Organisation.objects.filter(kind=Organisation.Kind.CLAS).annotate(n=Count("agents")).order_by("-n", "slug")[0]
    )


def _approved(organisation: Organisation, count: int, *, skip: int = 0) -> list[Agent]:
    return list(
        Agent.objects.filter(clas=organisation, state=Agent.State.APPROVED)
        .select_related("user")
        .order_by("pk")[skip : skip + count]
    )


def staff_set_up(rng: Random) -> dict[str, User]:
    """Each site's people with a role, taken among the agents as in real life:
    a site manager and two social correspondents per CLAS (the directory lists
    them), a manager per association, a national administrator. Written as
    rows (the service e-mails each one); the staff have their second factor.
    Returns the author of each site's content."""
    authors: dict[str, User] = {}
    roles = []
    used: set[int] = set()
    clas_agents = list(Agent.objects.filter(state=Agent.State.APPROVED).select_related("user", "clas").order_by("pk"))
    by_clas: dict[int, list[Agent]] = {}
    for agent in clas_agents[:20_000]:
        by_clas.setdefault(agent.clas_id, []).append(agent)
    largest = _largest_clas()
    for organisation in Organisation.objects.order_by("position"):
        if organisation.is_clas:
            people = rng.sample(by_clas[organisation.pk], 3)
            # The largest CLAS has a second site manager: the register's searches use both.
            first = Role.Kind.SITE_MANAGER
            second = Role.Kind.SITE_MANAGER if organisation.pk == largest.pk else Role.Kind.SOCIAL_CORRESPONDENT
            kinds = [first, second, Role.Kind.SOCIAL_CORRESPONDENT]
        else:
            people = [rng.choice(clas_agents)]
            kinds = [Role.Kind.ASSOCIATION_MANAGER if organisation.is_association else Role.Kind.NATIONAL_ADMIN]
        for agent, kind in zip(people, kinds, strict=True):
            if agent.user_id in used:
                continue
            used.add(agent.user_id)
            roles.append(Role(user=agent.user, organisation=organisation, kind=kind))
            with_second_factor(agent.user)
        authors[organisation.slug] = people[0].user
    Role.objects.bulk_create(roles)
    return authors


def content_load(authors: dict[str, User], rng: Random) -> int:
    """Each site's home, pages and news, through the content services (the
    Markdown rendered and cleaned as when a manager writes it)."""
    written = 0
    for organisation in Organisation.objects.order_by("position"):
        author = authors[organisation.slug]
        name = organisation.name
        revision_publish(
            revision=home_draft_save(
                organisation=organisation,
                actor=author,
                values={
                    "banner_title": f"Bienvenue sur le site {name}",
                    "banner_text": "L'action sociale des agents et retraités de la DGAC et de Météo-France.",
                    "image": None,
                    "introduction": (
                        f"{name} organise des **sorties**, des **séjours** et l'**arbre de Noël** des enfants.\n\n"
                        "Inscrivez votre famille pour participer à ses activités."
                    ),
                    "tiles": [
                        {"title": "Nos permanences", "url": f"/{organisation.slug}/pages/page-1/", "description": ""},
                        {"title": "Les activités", "url": f"/{organisation.slug}/activites/", "description": ""},
                    ],
                },
            ),
            actor=author,
        )
        for number in range(1, PAGES_PER_SITE + 1):
            page = page_create(
                organisation=organisation,
                actor=author,
                values={
                    "title": f"Page {number} de {name}",
                    "slug": f"page-{number}",
                    "body": (
                        "## Nos permanences\n\nLe mardi de 9 h à 12 h, bâtiment A, bureau 112.\n\n"
                        "| Site | Jour | Horaires |\n|---|---|---|\n| Aéroport | mardi | 9 h – 12 h |\n"
                        "| Centre | jeudi | 13 h 30 – 16 h 30 |\n\n" + "Un paragraphe d'information. " * 40
                    ),
                    "in_menu": True,
                    "menu_order": number,
                },
            )
            revision_publish(revision=draft_of(page), actor=author)  # type: ignore[arg-type]
            written += 1
        for number in range(NEWS_PER_SITE):
            item = news_create(
                organisation=organisation,
                actor=author,
                values={
                    "title": f"Actualité {number + 1} : {rng.choice(activities.TITLES)}",
                    "summary": "Les inscriptions sont ouvertes aux agents et à leur famille.",
                    "body": "Les inscriptions sont ouvertes.\n\nRenseignements auprès de vos correspondants.",
                    "image": None,
                    "publish_on": timezone.now() - timedelta(days=3 * number),
                },
            )
            revision_publish(revision=draft_of(item), actor=author)  # type: ignore[arg-type]
            written += 1
    return written


def session_cookie(user: User) -> str:
    """A logged-in session of ``user`` (with its second factor, for staff),
    as the Cookie header a browser would send."""
    client = PortalClient()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def sessions_open(user: User, count: int) -> None:
    """``count`` live sessions of ``user``, as many logins from as many
    browsers leave them (the session rows and allauth's list of them)."""
    keys = []
    for _ in range(count):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    UserSession.objects.bulk_create(
        UserSession(user=user, session_key=key, ip="2001:db8::1", user_agent="alphasierra-bench") for key in keys
    )


def registration_activities(clas: Organisation, author: User) -> list[Activity]:
    """Activities of the largest CLAS open to every agent, with room for the
    whole run: what the registration scenario asks places in."""
    now = timezone.now()
    created = []
    for number in range(REGISTRATION_ACTIVITIES + 1):
        starts_at = now + timedelta(days=30 + number)
        activity = activity_create(
            organisation=clas,
            by=author,
            values={
                "title": f"Journée découverte {number + 1}",
                "description": "Visite guidée, **déjeuner** compris.",
                "place": "Aéroport",
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=8),
                "registration_opens_at": now - timedelta(days=1),
                "registration_closes_at": now + timedelta(days=20),
                "capacity": 100_000,
                "price_agent": Decimal(15),
                "price_spouse": Decimal(15),
                "price_child": Decimal(8),
            },
        )
        created.append(activity_publish(activity_id=activity.pk, organisation=clas, by=author))
    return created


def register_queries(clas: Organisation) -> list[str]:
    """Searches of the register as managers type them, from 2 letters up:
    frequent and rare names, a first name, two words, a fragment."""
    rare = (
        Agent.objects.filter(clas=clas).values("last_name").annotate(n=Count("pk")).order_by("n", "last_name").first()
    )
    rare_name = normalise(rare["last_name"]).split()[0] if rare else "abgrall"
    return ["le", "ma", "lefev", "helene", "martin marie", "dubois", "jean-pierre", rare_name]


def data(agents: int, activity_count: int, seed: int, plan_path: Path) -> Plan:
    if agents < MIN_AGENTS:
        raise SystemExit(f"At least {MIN_AGENTS} agents: every CLAS needs its staff and the scenarios their people.")
    rng = Random(seed)
    started = time.perf_counter()
    created = generate.generate(agents, seed=seed)
    print(f"  {created.agents} agents, {created.spouses + created.children} relatives", flush=True)
    if activity_count:
        activities.generate(activity_count, seed=seed)
    authors = staff_set_up(rng)
    written = content_load(authors, rng)
    print(f"  staff and content of every site ({written} pages and news)", flush=True)

    clas = _largest_clas()
    plan = Plan(agents=created.agents, largest_clas=clas.slug)
    encoded = make_password(PASSWORD)  # hashed once, the same hash for every account below
    accounts = list(
        User.objects.filter(agent__state=Agent.State.APPROVED, roles__isnull=True).order_by("-pk")[
            : LOGIN_ACCOUNTS + 40
        ]
    )
    User.objects.filter(pk__in=[user.pk for user in accounts]).update(password=encoded)
    crowded, *others = accounts
    crowded.password = encoded
    plan.spare_accounts = [user.email for user in others[:39]]
    plan.login_accounts = [user.email for user in others[39:]]
    sessions_open(crowded, CROWDED_SESSIONS)
    plan.crowded_account, plan.crowded_sessions = crowded.email, CROWDED_SESSIONS

    people = _approved(clas, SESSIONS)
    plan.agent_cookies = [session_cookie(agent.user) for agent in people]
    managers = list(
        User.objects.filter(roles__organisation=clas, roles__kind=Role.Kind.SITE_MANAGER).order_by("pk")[:2]
    )
    plan.manager_cookies = [session_cookie(managers[number % len(managers)]) for number in range(SESSIONS)]
    plan.register_queries = register_queries(clas)
    if activity_count:
        targets = registration_activities(clas, managers[0])
        registering = _approved(clas, REGISTERING_AGENTS + 5, skip=SESSIONS)
        cookies = [session_cookie(agent.user) for agent in registering]
        paths = [f"/{clas.slug}/activites/{activity.pk}/" for activity in targets]
        # Each agent once per activity; one agent's turns far apart.
        plan.registrations = [(cookie, path) for path in paths[1:] for cookie in cookies[5:]]
        plan.spare_registrations = [(cookie, paths[0]) for cookie in cookies[:5]]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    plan_path.write_text(json.dumps(asdict(plan), indent=1))
    print(f"  plan written to {plan_path} ({time.perf_counter() - started:.0f} s)", flush=True)
    return plan


def count() -> dict[str, int]:
    return {"agents": Agent.objects.count(), "outbox": OutboxMessage.objects.count()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The data and the people of a benchmark run.")
    sub = parser.add_subparsers(dest="command", required=True)
    fill = sub.add_parser("data")
    fill.add_argument("--agents", type=int, required=True)
    fill.add_argument("--activities", type=int, default=2000)
    fill.add_argument("--seed", type=int, default=1)
    fill.add_argument("--plan", type=Path, required=True)
    sub.add_parser("count")
    args = parser.parse_args(argv)
    if settings.DEBUG:
        raise SystemExit("DEBUG is on: the benchmark prepares its data with the production settings.")
    if args.command == "data":
        data(args.agents, args.activities, args.seed, args.plan)
    else:
        json.dump(count(), sys.stdout)


if __name__ == "__main__":
    main()
