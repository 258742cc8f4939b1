"""Each back-office list makes the same number of SQL queries with 5 or 200 rows."""

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.associations.models import AssociationLink
from alphasierra.audit.models import AuditEvent
from alphasierra.content.models import Image
from alphasierra.organisations.models import Organisation
from alphasierra.testing import make_agents
from alphasierra.transfers.models import Transfer

pytestmark = pytest.mark.django_db


def awaiting(n: int, start: int, sud_ouest: Organisation, **_: object) -> None:
    make_agents(n, sud_ouest, "awaiting_approval", start)


def deletions(n: int, start: int, sud_ouest: Organisation, **_: object) -> None:
    make_agents(n, sud_ouest, "approved", start, deletion_requested_at=timezone.now())


def transfers(n: int, start: int, sud_ouest: Organisation, nord: Organisation, **_: object) -> None:
    agents = make_agents(n, nord, "approved", start)
    Transfer.objects.bulk_create(
        Transfer(agent=a, origin=nord, destination=sud_ouest, reason="move", effective_date=date(2027, 1, 1))
        for a in agents
    )


def members(n: int, start: int, aramis: Organisation, nord: Organisation, **_: object) -> None:
    agents = make_agents(n, nord, "approved", start)
    AssociationLink.objects.bulk_create(AssociationLink(agent=a, association=aramis) for a in agents)


def events(n: int, start: int, sud_ouest: Organisation, actor: User, **_: object) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(action="agent.viewed", actor=actor, organisation=sud_ouest, subject=actor) for _ in range(n)
    )


def images(n: int, start: int, sud_ouest: Organisation, actor: User, **_: object) -> None:
    Image.objects.bulk_create(
        Image(
            organisation=sud_ouest,
            file=f"contenu/{index:032x}.jpg",
            alt=f"Image {index}",
            format="jpeg",
            width=40,
            height=30,
            size=1000,
            uploaded_by=actor,
        )
        for index in range(start, start + n)
    )


PAGES: list[tuple[str, str, Callable[..., None]]] = [
    ("/sud-ouest/gestion/inscriptions/", "bruno", awaiting),
    ("/sud-ouest/gestion/suppressions/", "bruno", deletions),
    ("/sud-ouest/gestion/transferts/", "bruno", transfers),
    ("/aramis/gestion/agents-connus/", "david", members),
    ("/aramis/gestion/agents-connus/export.xlsx", "david", members),
    ("/gestion/journal/", "nadia", events),
    ("/sud-ouest/gestion/contenu/images/", "bruno", images),
]


@pytest.mark.parametrize(("url", "persona", "fill"), PAGES)
def test_the_query_count_does_not_grow_with_the_rows(client: Client, cast, url, persona, fill):
    context = {
        "sud_ouest": Organisation.objects.get(slug="sud-ouest"),
        "nord": Organisation.objects.get(slug="nord"),
        "aramis": Organisation.objects.get(slug="aramis"),
        "actor": cast.karim,
    }
    client.force_login(getattr(cast, persona))
    fill(5, 0, **context)
    client.get(url)  # the session, warmed

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    with_five = queries()
    fill(195, 5, **context)

    assert queries() == with_five


# What every back-office page costs before its own work: the session, the
# person, the sites, their roles and second factor, the site's menu.
FIXED_COST_MAX = 8


def test_a_back_office_page_costs_at_most_8_queries_before_its_own(client: Client, cast):
    client.force_login(cast.bruno)
    url = "/sud-ouest/gestion/agents/?q=personne-de-ce-nom"  # the register, no row to show
    client.get(url)  # the session's first request records it (« Mes sessions ouvertes »)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)

    assert response.status_code == 200
    assert "0 agent" in response.content.decode()
    queries = [q["sql"] for q in captured.captured_queries]
    own = [sql for sql in queries if '"agents_agent"' in sql]  # the register's count
    fixed = [sql for sql in queries if sql not in own]
    listed = "\n".join(sql[:200] for sql in fixed)
    assert len(own) == 1, "\n".join(own)
    assert len(fixed) <= FIXED_COST_MAX, f"{len(fixed)} queries before the page's own:\n{listed}"
    # Read once each, whoever asks (the decorator, the access rules, the header).
    assert sum('FROM "organisations_role"' in sql for sql in fixed) == 1, listed
    assert sum('FROM "mfa_authenticator"' in sql for sql in fixed) == 1, listed
    # Nothing written to show a page.
    assert not [sql for sql in fixed if sql.startswith(("INSERT", "UPDATE", "DELETE", "SAVEPOINT"))], listed


def test_the_admin_reads_the_second_factor_once_per_page(client: Client, cast):
    client.force_login(cast.nadia)
    client.get("/admin/")

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/")

    assert response.status_code == 200
    second_factor = [q["sql"] for q in captured.captured_queries if 'FROM "mfa_authenticator"' in q["sql"]]
    assert len(second_factor) == 1, "\n".join(second_factor)
