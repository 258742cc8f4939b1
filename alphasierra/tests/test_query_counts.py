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
