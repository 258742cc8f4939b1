"""Every URL of the portal, for every persona and method, against objects of A
and of B in every state (the table is ``access_matrix.MATRIX``).

The routes come from Django's URL resolver, so a new view cannot escape: a
route missing from the table fails ``test_every_route_is_in_the_matrix``.

The world (the personas, and agents, transfers and association links in each
state) is built once for the class through the real services, and the
personas logged in once; each cell runs in a transaction rolled back after it.
A refused request must leave the database exactly as it was: every table is
compared, row by row, before and after it (``snapshot``), unless its SQL wrote
to none but the login session's tables (``tables_written``). A successful
action must have done what it says.
"""

import copy
import functools
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseFormSet, Form
from django.http import HttpResponseBase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image as PillowImage

from alphasierra.accounts.models import User
from alphasierra.activities.calendars import feed_token
from alphasierra.activities.models import CalendarFeed, Registration
from alphasierra.activities.services.calendar import calendar_feed_renew
from alphasierra.activities.services.registration import SELF, registration_cancel, registration_request
from alphasierra.activities.tests.agent_world import outing
from alphasierra.activities.tests.matrix_world import activities_world, activity_actions, world_has_every_state
from alphasierra.agents.forms.family import family_formset
from alphasierra.agents.forms.register import AgentCorrectionForm
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.services.approval import agent_approve, agent_reject
from alphasierra.agents.services.erasure import agent_erase, agent_request_deletion
from alphasierra.agents.services.signup import (
    AgentDetails,
    agent_confirm_email,
    agent_issue_confirmation_code,
    agent_register,
)
from alphasierra.associations.models import AssociationLink
from alphasierra.associations.services import association_visit, association_withdraw
from alphasierra.content.models import Image
from alphasierra.content.services.editing import news_create
from alphasierra.content.services.images import image_upload
from alphasierra.content.tests.matrix_world import content_actions, content_world, world_has_every_content_state
from alphasierra.content.tests.public_world import content_world_has_every_state, public_content_world
from alphasierra.mail.models import OutboxMessage
from alphasierra.organisations.models import Organisation, Role
from alphasierra.organisations.services import role_revoke
from alphasierra.testing import PortalClient as Client  # staff logged in with their second factor
from alphasierra.tests.access_matrix import (
    ACTIVITY_STATES,
    ALLAUTH_LOGGED_IN,
    ALLAUTH_PUBLIC,
    MATRIX,
    PERSONAS,
    REQUEST_STATES,
    TRANSFER_STATES,
    Route,
)
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.services import transfer_accept, transfer_cancel, transfer_refuse, transfer_request

SITES = {"clas": ("sud-ouest", "nord", "enac"), "association": ("aramis", "unasacem", "anafacem")}
OTHER_METHODS = ("GET", "HEAD", "PUT", "DELETE")


def routes() -> Iterator[tuple[str, str]]:
    def walk(patterns: list, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}"

    yield from walk(get_resolver().url_patterns, "", "")


ROUTES = dict(routes())


def test_every_route_is_in_the_matrix():
    missing = [
        route
        for route in ROUTES
        if route not in MATRIX and route not in ALLAUTH_PUBLIC | ALLAUTH_LOGGED_IN and not route.startswith("admin/")
    ]
    assert missing == []
    assert not set(MATRIX) - set(ROUTES), "the matrix names routes that no longer exist"


# --- The database, table by table -------------------------------------------

# Tables a refused request may write without changing anything that matters:
# the login session (Django's, and allauth's record of it with its last-seen
# time). Rate limits and caches live in the cache, not in the database; no
# table records refused attempts.
SNAPSHOT_EXCLUDED = {"sessions.session", "usersessions.usersession"}


@functools.cache
def _snapshot_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    parts = []
    seen = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in SNAPSHOT_EXCLUDED or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        table = quote(meta.db_table)
        # Names from the models, never from input: S608 does not apply.
        if vendor == "postgresql":
            # The whole row as text, in a stable order.
            parts.append(
                f"SELECT '{meta.db_table}', (SELECT COUNT(*) FROM {table}), "  # noqa: S608
                f"(SELECT md5(COALESCE(string_agg(t::text, chr(30) ORDER BY t::text), '')) FROM {table} t)"
            )
        else:
            columns = " || char(31) || ".join(f"quote({quote(str(f.column))})" for f in meta.local_concrete_fields)
            parts.append(
                f"SELECT '{meta.db_table}', (SELECT COUNT(*) FROM {table}), "  # noqa: S608
                f"(SELECT group_concat(r, char(30)) FROM (SELECT {columns} AS r FROM {table} ORDER BY r))"
            )
    return " UNION ALL ".join(parts)


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row, for every table but the excluded ones."""
    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql(connection.vendor))
        rows = cursor.fetchall()
    return {table: (count, hashlib.sha256((content or "").encode()).hexdigest()) for table, count, content in rows}


def changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))


READ = re.compile(r"\s*(SELECT|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.IGNORECASE)
WRITE = re.compile(r'\s*(?:INSERT INTO|UPDATE|DELETE FROM) "?(\w+)"?[\s(]', re.IGNORECASE)


@contextmanager
def tables_written() -> Iterator[set[str]]:
    """The tables the block's SQL writes to: "?" for a statement that is
    neither a read nor a plain write (anything may have changed)."""
    written: set[str] = set()

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        if not READ.match(sql):
            write = WRITE.match(sql)
            written.add(write.group(1) if write else "?")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield written


@functools.cache
def _excluded_tables() -> frozenset[str]:
    return frozenset(apps.get_model(label)._meta.db_table for label in SNAPSHOT_EXCLUDED)


def changed_since(baseline: dict[str, tuple[int, str]], written: set[str]) -> list[str]:
    """The tables changed since ``baseline``. A block that wrote only to the
    excluded tables cannot have changed any other: the snapshot, which reads
    every row of every table, is then not needed."""
    if written <= _excluded_tables():
        return []
    return changed_tables(baseline, snapshot())


# --- The world ----------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    # objects[kind][state][variant] → pk (or slug)
    objects: dict[str, dict[str, dict[str, Any]]]
    agents: dict[str, Agent]
    code: str
    pending_email: str
    outbox_to_pending: int


def _details(first_name: str, city: str, postal_code: str) -> AgentDetails:
    return AgentDetails(
        civility="mme",
        last_name="Essai",
        first_name=first_name,
        employer="dgac",
        status="active",
        service="SNA",
        service_address="Aéroport",
        work_phone="+33561000000",
        personal_phone="+33612345678",
        address="1 rue de l'Essai",
        postal_code=postal_code,
        city=city,
    )


def _new_agent(name: str, clas: Organisation, manager: User, state: str) -> Agent:
    """An agent brought to ``state`` through the services."""
    city, postal_code = ("Toulouse", "31000") if clas.slug == "sud-ouest" else ("Lille", "59000")
    agent = agent_register(
        clas=clas,
        email=f"{name}@example.fr",
        password="phrase de passe longue",
        details=_details(name.capitalize(), city, postal_code),
        request=None,
    )
    assert agent is not None
    if state == "email_pending":
        return agent
    agent_confirm_email(user=agent.user)
    if state == "rejected":
        agent_reject(agent_id=agent.pk, clas=clas, manager=manager, reason="Inconnu du service")
    elif state != "awaiting_approval":
        agent_approve(agent_id=agent.pk, clas=clas, manager=manager)
        if state == "deletion_requested":
            agent_request_deletion(user=agent.user)
    return agent


def _link(user: User, association: Organisation, *, withdrawn: bool) -> None:
    association_visit(user=user, association=association)  # none for its own staff
    active = AssociationLink.objects.filter(agent__user=user, association=association, state="active")
    if withdrawn and active.exists():
        association_withdraw(user=user, association=association)


def _activities_world(users: dict[str, User], orgs: dict[str, Organisation]) -> dict[str, dict[str, dict[str, Any]]]:
    """Activities of A (Sud-Ouest) and B (Nord) in every state; requests of
    Alice (A) and Karim (B) in every state, each on its own activity (another
    agent of the CLAS takes the one place first where they must wait); Alice's
    calendar address, and one she has replaced."""
    now = timezone.now()
    activities: dict[str, dict[str, Any]] = {state: {} for state in ACTIVITY_STATES}
    requests: dict[str, dict[str, Any]] = {state: {} for state in REQUEST_STATES}
    for variant, slug, manager, owner in (
        ("A", "sud-ouest", users["bruno"], users["alice"]),
        ("B", "nord", users["nord_manager"], users["karim"]),
    ):
        start = now - timedelta(days=10)
        past_dates = {
            "starts_at": start,
            "registration_opens_at": start - timedelta(days=20),
            "registration_closes_at": start - timedelta(days=2),
        }
        for state in ACTIVITY_STATES:
            extra: dict[str, Any] = {"cancellation_reason": "Car indisponible"} if state == "cancelled" else {}
            extra.update(past_dates if state == "past" else {})
            activities[state][variant] = outing(slug, state=state, **extra).pk
        clas = orgs[slug]
        filler = Agent.objects.get(pk=_new_agent(f"place{variant.lower()}", clas, manager, "approved").pk)
        agent = owner.agent

        def ask(activity_id: int, who: Agent) -> Registration:
            return registration_request(
                activity_id=activity_id, agent=who, people=[SELF], accept_partial=False, by=who.user
            )

        requests["confirmed"][variant] = ask(outing(slug).pk, agent).pk
        cancelled = ask(outing(slug).pk, agent)
        registration_cancel(registration_id=cancelled.pk, participant_ids=None, by=owner)
        requests["cancelled"][variant] = cancelled.pk
        full = outing(slug, capacity=1).pk
        ask(full, filler)
        requests["waiting"][variant] = ask(full, agent).pk
        offered = outing(slug, capacity=1).pk
        first = ask(offered, filler)
        later_one = ask(offered, agent)
        registration_cancel(registration_id=first.pk, participant_ids=None, by=filler.user)
        requests["offered"][variant] = later_one.pk
    old_feed = calendar_feed_renew(user=users["alice"])
    old = (users["alice"].pk, feed_token(old_feed))
    current = calendar_feed_renew(user=users["alice"])
    feeds = {"current": {"A": (users["alice"].pk, feed_token(current))}, "renewed": {"A": old}}
    return {"activity": activities, "request": requests, "feed": feeds}


def _photo() -> SimpleUploadedFile:
    # The smallest JPEG Pillow writes: a 1 × 1 white picture.
    out = io.BytesIO()
    PillowImage.new("RGB", (1, 1), "white").save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def _images_world(users: dict[str, User], orgs: dict[str, Organisation]) -> dict[str, dict[str, dict[str, Any]]]:
    """Images of A (Sud-Ouest) and B (Nord): one free to delete, one a news
    item's draft shows; the national site's own; the address of one, and an
    address no image has."""
    images: dict[str, dict[str, Any]] = {"unused": {}, "used": {}}
    for variant, slug, manager in (("A", "sud-ouest", users["bruno"]), ("B", "nord", users["nord_manager"])):
        site = orgs[slug]
        images["unused"][variant] = image_upload(organisation=site, actor=manager, upload=_photo(), alt="Libre").pk
        used = image_upload(organisation=site, actor=manager, upload=_photo(), alt="Utilisée")
        news_create(
            organisation=site,
            actor=manager,
            values={"title": "Loto", "summary": "Samedi", "body": "", "image": used, "publish_on": None},
        )
        images["used"][variant] = used.pk
    national = next(o for o in orgs.values() if o.is_national)
    own = image_upload(organisation=national, actor=users["nadia"], upload=_photo(), alt="Carte des CLAS")
    served = Image.objects.get(pk=images["unused"]["A"]).file.name
    return {
        "image": images,
        "national_image": {"unused": {"A": own.pk, "B": images["unused"]["B"]}},
        "media": {"served": {"A": served}, "unknown": {"A": "contenu/" + "0" * 32 + ".jpg"}},
    }


def world_build() -> World:
    from alphasierra.demo import demo_data_load
    from alphasierra.organisations.sites import sites_seed
    from alphasierra.testing import with_second_factor

    if not Organisation.objects.exists():
        sites_seed(Organisation)
    demo_data_load()
    people = {user.email.split("@")[0]: user for user in User.objects.all()}
    users = {name: people[name] for name in PERSONAS if name not in ("anonymous", "nord_manager")}
    users["nord_manager"] = people["responsable.nord"]
    for name in ("bruno", "chloe", "nord_manager", "david", "nadia"):
        with_second_factor(users[name])
    orgs = {o.slug: o for o in Organisation.objects.all()}
    sud_ouest, nord, enac = orgs["sud-ouest"], orgs["nord"], orgs["enac"]
    bruno, nord_manager, nadia = users["bruno"], users["nord_manager"], users["nadia"]
    # C: a CLAS with no staff at all.
    for role in Role.objects.filter(organisation=enac):
        role_revoke(role_id=role.pk, actor=nadia)

    alice, karim, paul = (users[name].agent for name in ("alice", "karim", "paul"))
    agents: dict[str, dict[str, Any]] = {
        "awaiting_approval": {"A": paul.pk},
        "approved": {"A": alice.pk, "B": karim.pk},
    }
    pierre = _new_agent("pierre", nord, nord_manager, "awaiting_approval")
    agents["awaiting_approval"]["B"] = pierre.pk
    made = {"pierre": pierre}
    for state in ("email_pending", "rejected", "deletion_requested"):
        agents[state] = {}
        for variant, clas, manager in (("A", sud_ouest, bruno), ("B", nord, nord_manager)):
            name = f"{state.replace('_', '')}{variant.lower()}"
            made[name] = _new_agent(name, clas, manager, state)
            agents[state][variant] = made[name].pk
    # Erased after asking for a transfer: into B for the agent of A, and back.
    agents["erased"], erased_transfers = {}, {}
    when = timezone.localdate() + timedelta(days=30)
    for variant, clas, manager, other in (("A", sud_ouest, bruno, nord), ("B", nord, nord_manager, sud_ouest)):
        erased = _new_agent(f"erased{variant.lower()}", clas, manager, "deletion_requested")
        erased_transfers["B" if variant == "A" else "A"] = transfer_request(
            agent_id=erased.pk, destination=other, reason="move", effective_date=when, message="", actor=erased.user
        ).pk
        agent_erase(agent_id=erased.pk, clas=clas, manager=manager)
        agents["erased"][variant] = erased.pk
    pending = made["emailpendinga"]
    code = agent_issue_confirmation_code(agent=pending)

    # Transfers into A are Karim's, into B Alice's: one refused, one
    # cancelled, then the pending one. The accepted ones are history: how
    # Alice came from Nord to Sud-Ouest, and Karim the other way.
    transfers: dict[str, dict[str, Any]] = {state: {} for state in TRANSFER_STATES}
    transfers["erased"] = erased_transfers
    for variant, agent, destination, reviewer in (
        ("A", karim, sud_ouest, bruno),
        ("B", alice, nord, users["chloe"]),
    ):

        def ask(agent: Agent = agent, destination: Organisation = destination) -> Transfer:
            return transfer_request(
                agent_id=agent.pk,
                destination=destination,
                reason="move",
                effective_date=when,
                message="Mutation",
                actor=agent.user,
            )

        refused = ask()
        transfer_refuse(transfer_id=refused.pk, destination=destination, actor=reviewer, reason="Pas de poste")
        cancelled = ask()
        transfer_cancel(transfer_id=cancelled.pk, user=agent.user)
        transfers["refused"][variant], transfers["cancelled"][variant] = refused.pk, cancelled.pk
        transfers["pending"][variant] = ask().pk
    for variant, agent, origin, destination, reviewer in (
        ("A", alice, nord, sud_ouest, bruno),
        ("B", karim, sud_ouest, nord, users["chloe"]),
    ):
        transfers["accepted"][variant] = Transfer.objects.create(
            agent=agent,
            origin=origin,
            destination=destination,
            reason="move",
            effective_date=date(2020, 9, 1),
            state=Transfer.State.ACCEPTED,
            created_at=timezone.now() - timedelta(days=2000),
            decided_at=timezone.now() - timedelta(days=1990),
            decided_by=reviewer,
        ).pk
    # Accepted for a date to come: into A by an agent of B, and the other way.
    for variant, origin_manager, origin, destination, reviewer in (
        ("A", nord_manager, nord, sud_ouest, bruno),
        ("B", bruno, sud_ouest, nord, users["chloe"]),
    ):
        mover = _new_agent(f"scheduled{variant.lower()}", origin, origin_manager, "approved")
        transfers["scheduled"][variant] = transfer_accept(
            transfer_id=transfer_request(
                agent_id=mover.pk,
                destination=destination,
                reason="move",
                effective_date=when,
                message="",
                actor=mover.user,
            ).pk,
            destination=destination,
            actor=reviewer,
        ).pk
    zoe = _new_agent("zoe", sud_ouest, bruno, "approved")
    transfers["pending"]["C"] = transfer_request(
        agent_id=zoe.pk, destination=enac, reason="move", effective_date=when, message="", actor=zoe.user
    ).pk

    # Every persona who is an approved agent has visited every association
    # already (a first visit makes a link, even on a refused page): Alice is
    # known to ARAMIS, Karim to UNASACEM; every other link is withdrawn.
    aramis, unasacem, anafacem = orgs["aramis"], orgs["unasacem"], orgs["anafacem"]
    for name in ("alice", "karim", "bruno", "chloe", "david", "nadia"):
        for association in (aramis, unasacem, anafacem):
            active = (name, association) in (("alice", aramis), ("karim", unasacem))
            _link(users[name], association, withdrawn=not active)

    # The activities of A and B in every state, requests in every state (the agents' side and
    # the managers' side), and who a manager may add.
    activity_objects = {**_activities_world(users, orgs), **activities_world(users, orgs, zoe)}
    # Each site's content: pages and news in every state, versions in every standing.
    activity_objects |= content_world(users, orgs)
    # What visitors read: pages and news of A, B and the national site in every state.
    content_objects = public_content_world(orgs)
    image_objects = _images_world(users, orgs)

    objects: dict[str, dict[str, dict[str, Any]]] = {
        **activity_objects,
        **content_objects,
        **image_objects,
        "agent": agents,
        "transfer": transfers,
        "member": {"active": {"A": alice.pk, "B": karim.pk}, "withdrawn": {"A": karim.pk, "B": alice.pk}},
        "association": {"active": {"A": "aramis", "B": "unasacem"}, "withdrawn": {"A": "anafacem"}},
        "role": {"-": {"A": Role.objects.get(user=bruno).pk}},
        "message": {"-": {"A": OutboxMessage.objects.order_by("pk").first().pk}},  # type: ignore[union-attr]
    }
    return World(
        users=users,
        objects=objects,
        agents={**made, "alice": alice, "karim": karim, "paul": paul},
        code=code,
        pending_email=pending.user.email,
        outbox_to_pending=OutboxMessage.objects.filter(to_email=pending.user.email).count(),
    )


# --- Valid forms, and what a successful POST must have done -------------------


def form_data(form: Form | BaseFormSet) -> dict[str, Any]:
    """What the browser would send back for a form as shown."""
    data: dict[str, Any] = {}
    forms = [form.management_form, *form.forms] if isinstance(form, BaseFormSet) else [form]
    for each in forms:
        for bound in each:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, date):
                value = value.isoformat()
            data[bound.html_name] = value
    return data


def _correction(agent: Agent) -> dict[str, Any]:
    return {**form_data(AgentCorrectionForm(agent=agent)), "city": "Ville corrigée"}


def _family(agent: Agent) -> dict[str, Any]:
    formset = family_formset(agent)
    data = form_data(formset)
    row = 0 if agent.relatives.exists() else len(formset.forms) - 1
    data.update({f"famille-{row}-kind": "spouse", f"famille-{row}-last_name": "Essai"})
    data[f"famille-{row}-first_name"] = "Conjoint corrigé"
    if agent.relatives.exists():
        data[f"famille-{row}-kind"] = agent.relatives.first().kind  # type: ignore[union-attr]
    return data


@dataclass(frozen=True)
class Cell:
    world: World
    persona: str
    pk: Any  # the object of the URL, if any
    response: HttpResponseBase | None = None

    @property
    def user(self) -> User | None:
        return self.world.users.get(self.persona)

    def own_agent(self) -> Agent | None:
        return Agent.objects.filter(user=self.user).first() if self.user else None

    def object_agent(self) -> Agent:
        return Agent.objects.filter(pk=self.pk).first() or self.world.agents["alice"]


@dataclass(frozen=True)
class Action:
    payload: Callable[[Cell], dict[str, Any]]
    done: Callable[[Cell], bool]
    status: int = 302


def _signup(cell: Cell) -> dict[str, Any]:
    return {
        "email": "nouvelle@example.fr",
        "password1": "une phrase de passe longue",
        "password2": "une phrase de passe longue",
        "civility": "mme",
        "last_name": "Nouvelle",
        "first_name": "Inès",
        "employer": "dgac",
        "status": "active",
        "service": "SNA",
        "service_address": "Aéroport",
        "work_phone": "0561000000",
        "personal_phone": "0612345678",
        "address": "2 rue Neuve",
        "postal_code": "31000",
        "city": "Toulouse",
        "enfants-TOTAL_FORMS": "0",
        "enfants-INITIAL_FORMS": "0",
    }


def _transfer_of(cell: Cell) -> Transfer:
    return Transfer.objects.get(pk=cell.pk)


ACTIONS: dict[str, Action] = {
    "inscription/": Action(_signup, lambda c: False),
    "i18n/setlang/": Action(
        lambda c: {"language": "en", "next": "/"},
        lambda c: c.response is not None and c.response.cookies["django_language"].value == "en",
    ),
    "<slug:site>/inscription/": Action(_signup, lambda c: User.objects.filter(email="nouvelle@example.fr").exists()),
    "<slug:site>/inscription/renvoyer/": Action(
        lambda c: {"email": c.world.pending_email},
        lambda c: OutboxMessage.objects.filter(to_email=c.world.pending_email).count() > c.world.outbox_to_pending,
    ),
    "comptes/confirmation/renvoyer/": Action(
        lambda c: {"email": c.world.pending_email},
        lambda c: OutboxMessage.objects.filter(to_email=c.world.pending_email).count() > c.world.outbox_to_pending,
    ),
    "comptes/confirmation/code/": Action(
        lambda c: {"email": c.world.pending_email, "code": c.world.code},
        lambda c: Agent.objects.get(user__email=c.world.pending_email).state == "awaiting_approval",
    ),
    "comptes/mon-compte/modifier/": Action(
        lambda c: _correction(agent) if (agent := c.own_agent()) else {},
        lambda c: (agent := c.own_agent()) is not None and agent.city == "Ville corrigée",
    ),
    "comptes/mon-compte/famille/": Action(
        lambda c: _family(agent) if (agent := c.own_agent()) else {},
        lambda c: Relative.objects.filter(agent__user=c.user, first_name="Conjoint corrigé").exists(),
    ),
    "comptes/mon-compte/supprimer/": Action(
        lambda c: {}, lambda c: Agent.objects.filter(user=c.user, deletion_requested_at__isnull=False).exists()
    ),
    "comptes/mon-compte/associations/<slug:slug>/retirer/": Action(
        lambda c: {},
        lambda c: AssociationLink.objects.get(agent__user=c.user, association__slug=c.pk).state == "withdrawn",
    ),
    "<slug:site>/transfert/": Action(
        lambda c: {
            "destination": Organisation.objects.get(slug="ouest").pk,
            "reason": "move",
            "effective_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "message": "",
        },
        lambda c: Transfer.objects.filter(agent__user=c.user, state="pending", destination__slug="ouest").exists(),
    ),
    "<slug:site>/transfert/<int:pk>/annuler/": Action(lambda c: {}, lambda c: _transfer_of(c).state == "cancelled"),
    "<slug:site>/me-faire-connaitre/": Action(
        lambda c: {},
        lambda c: AssociationLink.objects.filter(agent__user=c.user, state="active", association__slug=c.pk).exists(),
    ),
    "<slug:site>/gestion/agents/<int:pk>/modifier/": Action(
        lambda c: _correction(c.object_agent()), lambda c: Agent.objects.get(pk=c.pk).city == "Ville corrigée"
    ),
    "<slug:site>/gestion/agents/<int:pk>/famille/": Action(
        lambda c: _family(c.object_agent()),
        lambda c: Relative.objects.filter(agent_id=c.pk, first_name="Conjoint corrigé").exists(),
    ),
    "<slug:site>/gestion/inscriptions/<int:pk>/valider/": Action(
        lambda c: {}, lambda c: Agent.objects.get(pk=c.pk).state == "approved"
    ),
    "<slug:site>/gestion/inscriptions/<int:pk>/refuser/": Action(
        lambda c: {"reason": "Inconnu du service"}, lambda c: Agent.objects.get(pk=c.pk).state == "rejected"
    ),
    "<slug:site>/gestion/suppressions/<int:pk>/confirmer/": Action(
        lambda c: {}, lambda c: not Agent.objects.filter(pk=c.pk).exists()
    ),
    "<slug:site>/gestion/transferts/<int:pk>/accepter/": Action(
        # Asked for a date to come: accepted, effective on that date.
        lambda c: {},
        lambda c: _transfer_of(c).state == "scheduled",
    ),
    "<slug:site>/gestion/transferts/<int:pk>/refuser/": Action(
        lambda c: {"reason": "Pas de poste"}, lambda c: _transfer_of(c).state == "refused"
    ),
    "gestion/roles/attribuer/": Action(
        lambda c: (
            {"user": c.world.users["karim"].pk, "organisation": Organisation.objects.get(slug="nord").pk}
            | {"kind": "social_correspondent"}
        ),
        lambda c: Role.objects.filter(user=c.world.users["karim"], kind="social_correspondent").exists(),
    ),
    "gestion/roles/<int:pk>/retirer/": Action(lambda c: {}, lambda c: not Role.objects.filter(pk=c.pk).exists()),
    # Activities, as agents reach them.
    "<slug:site>/activites/<int:pk>/": Action(
        lambda c: {"people": [SELF], "places": "famille", "step": "confirmer"},
        lambda c: Registration.objects.filter(activity_id=c.pk, agent__user=c.user, state="confirmed").exists(),
    ),
    "comptes/inscriptions/<int:pk>/annuler/": Action(
        lambda c: {}, lambda c: Registration.objects.get(pk=c.pk).state == "cancelled"
    ),
    "comptes/inscriptions/<int:pk>/accepter/": Action(
        lambda c: {}, lambda c: Registration.objects.get(pk=c.pk).state == "confirmed"
    ),
    "comptes/inscriptions/<int:pk>/liberer/": Action(
        lambda c: {}, lambda c: Registration.objects.get(pk=c.pk).state == "cancelled"
    ),
    "comptes/inscriptions/calendrier/nouvelle-adresse/": Action(
        lambda c: {}, lambda c: CalendarFeed.objects.filter(user=c.user).exists()
    ),
}


# The managers' forms of the activities.
ACTIONS.update({route: Action(payload, done) for route, (payload, done) in activity_actions(form_data).items()})
# The content editor's forms and actions.
ACTIONS.update({route: Action(payload, done) for route, (payload, done) in content_actions().items()})

# Each site's images.
MATRIX_IMAGE = "Image de la matrice"
_IMAGE_SENT = Action(
    lambda c: {"file": _photo(), "alt": MATRIX_IMAGE}, lambda c: Image.objects.filter(alt=MATRIX_IMAGE).exists()
)
_IMAGE_DELETED = Action(lambda c: {}, lambda c: not Image.objects.filter(pk=c.pk).exists())
ACTIONS.update(
    {
        "<slug:site>/gestion/contenu/images/": _IMAGE_SENT,
        "gestion/contenu/images/": _IMAGE_SENT,
        "<slug:site>/gestion/contenu/images/<int:pk>/supprimer/": _IMAGE_DELETED,
        "gestion/contenu/images/<int:pk>/supprimer/": _IMAGE_DELETED,
    }
)


# --- One cell -----------------------------------------------------------------


def url_for(route: str, variant: str, pk: Any) -> str:
    spec = MATRIX[route]
    site_a, site_b, site_c = SITES[spec.sites]
    if variant == "association":
        site_a = site_b = "aramis"
    site = {"B": site_b, "C": site_c}.get(variant, site_a)
    kwargs: dict[str, Any] = {}
    if "<slug:site>" in route or "(?P<site>" in route:
        kwargs["site"] = site
    if "(?P<fmt>" in route:
        kwargs["fmt"] = "csv"
    if "<slug:slug>" in route:
        kwargs["slug"] = pk
    if "<int:pk>" in route or "(?P<pk>" in route:
        kwargs["pk"] = pk
    if "(?P<name>" in route:
        kwargs["name"] = pk
    if "<int:user_id>" in route:
        kwargs["user_id"], kwargs["token"] = pk
    return reverse(ROUTES[route], kwargs=kwargs)


def answer_of(response: HttpResponseBase) -> str:
    status = response.status_code
    location = response.headers.get("Location", "")
    if status == 302:
        return "login" if location.startswith("/comptes/login/") else "redirect"
    if status in (200, 400):
        return "ok" if status == 200 else "form"
    return str(status)


def expected_cell(spec: Route, state: str, variant: str, persona: str, method: str) -> str:
    rows = spec.post_rows if method == "POST" and spec.post_rows is not None else spec.rows
    expected = rows[state][persona]
    if isinstance(expected, tuple):
        expected = expected[spec.only.get(state, spec.variants).index(variant)]
    if method in spec.methods.split():
        return expected
    if spec.methods == "POST":
        # An action refuses other methods, once past the login gate.
        return "login" if spec.rows[state]["anonymous"] == "login" and persona == "anonymous" else "405"
    # A page answers any method as a GET.
    return expected


@dataclass
class Context:
    world: World
    clients: dict[str, Client]
    cookies: dict[str, Any]
    baseline: dict[str, tuple[int, str]]


def run_cell(ctx: Context, route: str, state: str, variant: str, persona: str, method: str) -> str | None:
    """One cell, rolled back afterwards; the mismatch, if any."""
    spec = MATRIX[route]
    expected = expected_cell(spec, state, variant, persona, method)
    objects = ctx.world.objects.get(spec.objects, {}).get(state, {})
    pk = objects.get("B" if variant == "AxB" else variant) if spec.objects else None
    if spec.sites == "association" and not spec.objects:
        pk = SITES["association"][1 if variant == "B" else 0]
    url = url_for(route, variant, pk)
    client = ctx.clients[persona]
    action = ACTIONS.get(route)
    posts_form = method == "POST" and spec.methods != "GET"
    cache.clear()  # rate limits: each cell starts with none used
    client.cookies = copy.deepcopy(ctx.cookies[persona])  # and the persona's cookies as logged in
    cell = Cell(ctx.world, persona, pk)
    problem = None
    with transaction.atomic():
        data = action.payload(cell) if posts_form and action else {}
        with tables_written() as written:
            response = getattr(client, method.lower())(url, data) if method == "POST" else client.generic(method, url)
        got = answer_of(response)
        if expected.startswith("ok") and posts_form:
            cell = Cell(ctx.world, persona, pk, response)
            status = action.status if action else 302
            if response.status_code != status or not (action and action.done(cell)):
                problem = f"{response.status_code} and {'done' if action and action.done(cell) else 'not done'}"
        elif got not in expected.split("|") and not (expected == "form" and got == "ok"):
            problem = got
        elif got == "redirect" and spec.methods == "POST" and method == "POST" and not response.cookies.get("messages"):
            problem = "redirect without a message"
        elif (
            # Every answer but a success leaves the database as it was (a form
            # sent back with an error included).
            (got != "ok" or (expected == "form" and method != "GET"))
            and (changed := changed_since(ctx.baseline, written))
        ):
            problem = f"{got} but changed {changed}"
        transaction.set_rollback(True)
    if problem is None:
        return None
    return f"{method} {url} as {persona} ({state}, {variant}): {problem}, expected {expected}"


def cells(route: str) -> Iterator[tuple[str, str, str, str]]:
    """Every (state, variant, persona, method) of a route: its own methods in
    every state; the other methods (a page POSTed to included) in its first."""
    spec = MATRIX[route]
    own = spec.methods.split()
    others = [m for m in OTHER_METHODS if m not in own]
    for index, state in enumerate(spec.rows):
        for position, variant in enumerate(spec.only.get(state, spec.variants)):
            # The other methods: in the first state, on the first variant.
            methods = own + others if index == position == 0 else own
            for persona in PERSONAS:
                for method in methods:
                    yield state, variant, persona, method


@pytest.fixture(scope="class")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the whole table, and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield world_build()
        transaction.set_rollback(True)


@pytest.fixture(scope="class")
def context(world: World, django_db_blocker: Any) -> Iterator[Context]:
    """The personas logged in once for the whole table; each cell puts their
    cookies back and rolls its own changes back."""
    # Thousands of refusals would each log their traceback.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    with django_db_blocker.unblock(), transaction.atomic():
        clients = {persona: Client() for persona in PERSONAS}
        for persona, client in clients.items():
            if persona != "anonymous":
                client.force_login(world.users[persona])
        cookies = {persona: copy.deepcopy(client.cookies) for persona, client in clients.items()}
        yield Context(world, clients, cookies, snapshot())
        transaction.set_rollback(True)
    request_log.setLevel(level)


# The mark has pytest-django set the test database up; each test then runs in
# a savepoint of the class's world.
@pytest.mark.django_db
class TestTheAccessMatrix:
    @pytest.mark.parametrize("route", list(MATRIX))
    def test_route(self, route: str, context: Context) -> None:
        mismatches = [mismatch for cell in cells(route) if (mismatch := run_cell(context, route, *cell))]

        assert mismatches == []

    def test_the_world_has_every_state(self, context: Context) -> None:
        objects = context.world.objects
        for state, pks in objects["agent"].items():
            agents = Agent.objects.filter(pk__in=pks.values())
            if state == "erased":
                assert not agents.exists()
            elif state == "deletion_requested":
                assert {(a.state, a.deletion_requested_at is not None) for a in agents} == {("approved", True)}
            else:
                assert {a.state for a in agents} == {state}
        for state, pks in objects["transfer"].items():
            if state == "erased":
                assert not Transfer.objects.filter(pk__in=pks.values()).exists()
                continue
            assert {t.state for t in Transfer.objects.filter(pk__in=pks.values())} == {state}
        assert not Role.objects.filter(organisation__slug="enac").exists()
        assert world_has_every_state(objects)
        assert world_has_every_content_state(objects)
        assert content_world_has_every_state(objects)
        links = AssociationLink.objects.filter(agent__user__in=[context.world.users[p] for p in ("alice", "karim")])
        assert {(link.agent.user.email.split("@")[0], link.association.slug, link.state) for link in links} == {
            ("alice", "aramis", "active"),
            ("alice", "unasacem", "withdrawn"),
            ("alice", "anafacem", "withdrawn"),
            ("karim", "aramis", "withdrawn"),
            ("karim", "unasacem", "active"),
            ("karim", "anafacem", "withdrawn"),
        }

    def test_the_snapshot_sees_a_change_in_any_row(self, context: Context) -> None:
        with transaction.atomic():
            Relative.objects.filter(pk=Relative.objects.order_by("pk").first().pk).update(first_name="Autre")  # type: ignore[union-attr]
            assert changed_tables(context.baseline, snapshot()) == ["agents_relative"]
            transaction.set_rollback(True)
        with transaction.atomic():
            Organisation.objects.filter(slug="enac").update(name="ENAC")
            Transfer.objects.filter(state="refused").delete()
            assert changed_tables(context.baseline, snapshot()) == ["organisations_organisation", "transfers_transfer"]
            transaction.set_rollback(True)
        # The login sessions are left out on purpose.
        context.clients["alice"].get("/")
        assert changed_tables(context.baseline, snapshot()) == []

    def test_the_snapshot_is_skipped_only_where_no_table_that_counts_was_written(self, context: Context) -> None:
        relative = Relative.objects.order_by("pk").first()
        assert relative is not None
        with transaction.atomic(), tables_written() as written:
            Relative.objects.filter(pk=relative.pk).update(first_name="Autre")
            assert changed_since(context.baseline, written) == ["agents_relative"]
            transaction.set_rollback(True)
        assert written == {"agents_relative"}
        with transaction.atomic(), tables_written() as written, connection.cursor() as cursor:
            cursor.execute("DELETE FROM transfers_transfer WHERE state = %s", ["refused"])
            cursor.execute("WITH gone AS (SELECT 1) SELECT * FROM gone")
            transaction.set_rollback(True)
        assert written == {"transfers_transfer", "?"}
        # A page read by a logged-in persona writes to their session only.
        with tables_written() as written:
            assert context.clients["alice"].get("/comptes/mon-compte/").status_code == 200
        assert written
        assert changed_since(context.baseline, written) == []

    def test_the_world_has_every_activity_and_request_state(self, context: Context) -> None:
        from alphasierra.activities.models import Activity

        objects = context.world.objects
        for state, pks in objects["activity"].items():
            assert set(Activity.objects.filter(pk__in=pks.values()).values_list("state", flat=True)) == {state}
        for state, pks in objects["request"].items():
            owners = Registration.objects.filter(pk__in=pks.values()).values_list("state", "agent__user__email")
            assert sorted(owners) == [(state, "alice@example.fr"), (state, "karim@example.fr")]

    def test_no_back_office_url_lets_staff_in_without_a_second_factor(self, context: Context) -> None:
        world = context.world
        staff = [world.users[name] for name in ("bruno", "chloe", "nord_manager", "david", "nadia")]
        for person in staff:
            Authenticator.objects.filter(user=person).delete()
        leaks = []
        for route, spec in MATRIX.items():
            if "gestion" not in route:
                continue
            state = next(iter(spec.rows))
            for person in staff:
                for variant in spec.only.get(state, spec.variants):
                    client = Client()
                    client.force_login(person)
                    objects = world.objects.get(spec.objects, {}).get(state, {})
                    pk = objects.get("B" if variant == "AxB" else variant)
                    url = url_for(route, variant, pk)
                    response = client.post(url) if spec.methods == "POST" else client.get(url)
                    location = response.headers.get("Location", "")
                    if response.status_code not in (403, 404) and not location.startswith(
                        "/comptes/2fa/totp/activate/"
                    ):
                        leaks.append(f"{spec.methods} {url} as {person.email}: {response.status_code} {location}")

        assert leaks == []


# --- Pages outside the table ----------------------------------------------------

ACCOUNT_PAGES = sorted(ALLAUTH_PUBLIC | ALLAUTH_LOGGED_IN)


@pytest.mark.django_db
def test_account_pages_never_fail_nor_leak(cast):
    problems = []
    for route in ACCOUNT_PAGES:
        kwargs: dict[str, int | str] = {}
        if "<int:pk>" in route:
            kwargs["pk"] = 1
        if "(?P<key>" in route:
            kwargs["key"] = "cle-inventee"
        if "(?P<uidb36>" in route:
            kwargs["uidb36"] = "1"
        url = reverse(ROUTES[route], kwargs=kwargs)
        for persona in ("anonymous", "alice", "bruno"):
            client = Client()
            if persona != "anonymous":
                client.force_login(getattr(cast, persona))
            response = client.get(url)
            if response.status_code not in (200, 302, 404):
                problems.append(f"{url} as {persona}: {response.status_code}")
            if route in ALLAUTH_LOGGED_IN and persona == "anonymous" and response.status_code == 200:
                problems.append(f"{url} served to the anonymous")

    assert problems == []


ADMIN_ROUTES = sorted(route for route in ROUTES if route.startswith("admin/"))


@pytest.mark.django_db
def test_the_technical_admin_is_closed_to_everyone_but_superusers(cast):
    problems = []
    for route in ADMIN_ROUTES:
        if "(?P" in route or "\\" in route or route in {"admin/login/", "admin/logout/"}:
            continue  # regex routes are reached through their siblings
        path = "/" + re.sub(r"<[^>]+>", "1", route)
        for persona in ("bruno", "alice"):
            client = Client()
            client.force_login(getattr(cast, persona))
            response = client.get(path)
            location = response.headers.get("Location", "")
            if response.status_code not in (302, 404) or (
                response.status_code == 302 and not location.startswith("/admin/login/")
            ):
                problems.append(f"{path} as {persona}: {response.status_code} {location}")

    assert problems == []
    assert len(ADMIN_ROUTES) > 20
