"""Every URL of the portal, for every persona, against objects of A and of B.

The routes come from Django's URL resolver, so a new view cannot escape: a
route missing from ``access_matrix.MATRIX`` fails ``test_every_route_is_in_the_matrix``.
"""

import re
from collections.abc import Iterator
from datetime import date

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from alphasierra.agents.models import Agent
from alphasierra.agents.services import AgentDetails, agent_register
from alphasierra.associations.models import AssociationLink
from alphasierra.mail.models import OutboxMessage
from alphasierra.organisations.models import Organisation, Role
from alphasierra.testing import PortalClient as Client  # staff logged in with their second factor
from alphasierra.tests.access_matrix import ALLAUTH_LOGGED_IN, ALLAUTH_PUBLIC, MATRIX, PERSONAS
from alphasierra.transfers.services import transfer_request

SITES = {"clas": ("sud-ouest", "nord"), "association": ("aramis", "unasacem")}


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


@pytest.fixture
def objects(cast) -> dict[str, int | str]:
    """Objects of A (Sud-Ouest, ARAMIS) and of B (Nord, UNASACEM)."""
    sud_ouest, nord = Organisation.objects.get(slug="sud-ouest"), Organisation.objects.get(slug="nord")
    aramis, unasacem = Organisation.objects.get(slug="aramis"), Organisation.objects.get(slug="unasacem")
    pierre = agent_register(
        clas=nord,
        email="pierre@example.fr",
        password="phrase de passe longue",
        details=AgentDetails(
            civility="m",
            last_name="Roux",
            first_name="Pierre",
            employer="dgac",
            status="active",
            service="SNA Nord",
            service_address="Lille",
            work_phone="+33320000001",
            personal_phone="+33644556677",
            address="1 rue",
            postal_code="59000",
            city="Lille",
        ),
        request=None,
    )
    assert pierre is not None
    Agent.objects.filter(pk=pierre.pk).update(state="awaiting_approval")
    alice, karim = cast.alice.agent, cast.karim.agent
    into_b = transfer_request(
        agent_id=alice.pk,
        destination=nord,
        reason="move",
        effective_date=date(2027, 1, 1),
        message="",
        actor=cast.alice,
    )
    into_a = transfer_request(
        agent_id=karim.pk,
        destination=sud_ouest,
        reason="move",
        effective_date=date(2027, 1, 1),
        message="",
        actor=cast.karim,
    )
    Agent.objects.filter(pk__in=[alice.pk, karim.pk]).update(deletion_requested_at=timezone.now())
    AssociationLink.objects.create(agent=alice, association=aramis)
    AssociationLink.objects.create(agent=karim, association=unasacem)
    return {
        "alice": alice.pk,
        "karim": karim.pk,
        "paul": cast.paul.agent.pk,
        "pierre": pierre.pk,
        "transfer_of_alice": into_b.pk,
        "transfer_of_karim": into_a.pk,
        "transfer_into_a": into_a.pk,
        "transfer_into_b": into_b.pk,
        "role_of_bruno": Role.objects.get(user=cast.bruno).pk,
        "message": OutboxMessage.objects.first().pk,  # type: ignore[union-attr]
    }


def url_for(route: str, variant: str, objects: dict[str, int | str]) -> str:
    spec = MATRIX[route]
    name = ROUTES[route]
    site_a, site_b = SITES[spec.sites]
    if variant == "association":
        site_a = site_b = "aramis"
    kwargs: dict[str, int | str] = {}
    if "<slug:site>" in route or "(?P<site>" in route:
        kwargs["site"] = site_b if variant == "B" else site_a
    if "(?P<fmt>" in route:
        kwargs["fmt"] = "csv"
    if "<slug:slug>" in route:
        kwargs["slug"] = site_b if variant == "B" else site_a
    if "<int:pk>" in route:
        kwargs["pk"] = objects[spec.objects[0] if variant == "A" else spec.objects[1]]
    return reverse(name, kwargs=kwargs)


def answer(response, method: str) -> str:
    status = response.status_code
    location = response.headers.get("Location", "")
    if status == 302 and location.startswith("/comptes/login/"):
        return "login"
    if status in (403, 404, 405):
        return str(status)
    if method == "POST" and status in (200, 302, 400):
        return "ok"
    if status == 302:
        return "redirect"
    if status == 200:
        return "ok"
    return str(status)


def check(route: str, persona: str, variant: str, cast, objects: dict[str, int | str]) -> str | None:
    """One cell of the matrix, rolled back afterwards; the mismatch, if any."""
    spec = MATRIX[route]
    expected = spec.expected[persona]
    if isinstance(expected, tuple):
        expected = expected[spec.variants.index(variant)]
    client = Client()
    with transaction.atomic():
        if persona != "anonymous":
            client.force_login(getattr(cast, persona))
        url = url_for(route, variant, objects)
        if spec.method == "POST":
            response = client.post(url, {"language": "en", "next": "/"} if route == "i18n/setlang/" else {})
        else:
            response = client.get(url)
        transaction.set_rollback(True)
    got = answer(response, spec.method)
    return None if got == expected else f"{spec.method} {url} as {persona} ({variant}): {got}, expected {expected}"


@pytest.mark.django_db
def test_the_access_matrix(cast, objects):
    # One test for the ~900 cells: the personas and objects are built once, and
    # each cell runs in a transaction rolled back after it (actions included).
    mismatches = [
        mismatch
        for route, spec in MATRIX.items()
        for persona in PERSONAS
        for variant in spec.variants
        if (mismatch := check(route, persona, variant, cast, objects))
    ]

    assert mismatches == []


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


@pytest.mark.django_db
def test_no_back_office_url_lets_staff_in_without_a_second_factor(cast, objects):
    staff = (cast.bruno, cast.chloe, cast.david, cast.nadia)
    for person in staff:
        person.authenticator_set.all().delete()
    leaks = []
    for route, spec in MATRIX.items():
        if "gestion" not in route:
            continue
        for person in staff:
            for variant in spec.variants:
                client = Client()
                client.force_login(person)
                url = url_for(route, variant, objects)
                response = client.post(url) if spec.method == "POST" else client.get(url)
                location = response.headers.get("Location", "")
                if response.status_code not in (403, 404) and not location.startswith("/comptes/2fa/totp/activate/"):
                    leaks.append(f"{spec.method} {url} as {person.email}: {response.status_code} {location}")

    assert leaks == []
