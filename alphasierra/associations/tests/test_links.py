"""When does an association know an agent, and what David (manager of ARAMIS) then sees."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from alphasierra.agents.models import Agent
from alphasierra.associations.models import AssociationLink
from alphasierra.associations.services import association_visit
from alphasierra.audit.models import AuditEvent
from alphasierra.organisations.models import Organisation, Role
from alphasierra.testing import html_table
from alphasierra.transfers.services import transfer_accept, transfer_request

pytestmark = pytest.mark.django_db

# agent state × visit × link before → link after, David's access to the agent
TABLE = [
    ("pending", "anonymous", None, None, 404),
    ("pending", "logged_in", None, None, 404),
    ("rejected", "logged_in", None, None, 404),
    ("approved", "anonymous", None, None, 404),
    ("approved", "logged_in", None, "active", 200),
    ("approved", "logged_in", "active", "active", 200),
    ("approved", "logged_in", "withdrawn", "withdrawn", 404),
    ("approved", "anonymous", "active", "active", 200),
    ("approved", "anonymous", "withdrawn", "withdrawn", 404),
    ("approved", "staff", None, None, 404),
]


@pytest.mark.parametrize(("state", "visit", "before", "after", "david_sees"), TABLE)
def test_link_and_access_table(client, cast, state, visit, before, after, david_sees):
    aramis = Organisation.objects.get(slug="aramis")
    person = {"pending": cast.paul, "rejected": cast.paul, "approved": cast.alice}[state]
    if visit == "staff":
        person = cast.david  # an approved agent too, but ARAMIS's own manager
    agent = person.agent
    if state == "rejected":
        Agent.objects.filter(pk=agent.pk).update(state="rejected", rejection_reason="Inconnu")
        person.is_active = False
        person.save(update_fields=["is_active"])
    if before:
        AssociationLink.objects.create(agent=agent, association=aramis, state=before)

    if visit != "anonymous":
        client.force_login(person)
    client.get("/aramis/")

    link = AssociationLink.objects.filter(agent=agent, association=aramis).first()
    assert (link.state if link else None) == after
    client.force_login(cast.david)
    assert client.get(f"/aramis/gestion/agents-connus/{agent.pk}/").status_code == david_sees


def test_the_first_visit_shows_a_notice_with_a_way_to_withdraw(client, cast):
    client.force_login(cast.alice)

    first = client.get("/aramis/").content.decode()
    second = client.get("/aramis/").content.decode()

    assert "fr-notice" in first
    assert "vous connaît désormais" in first
    assert 'href="/comptes/mon-compte/#associations"' in first
    assert "vous connaît désormais" not in second
    assert AuditEvent.objects.filter(action="association.linked", subject=cast.alice).count() == 1


def test_any_page_of_the_association_site_counts(client, cast):
    client.force_login(cast.alice)

    client.get("/unasacem/inscription/")

    assert AssociationLink.objects.filter(agent=cast.alice.agent, association__slug="unasacem").exists()


def test_alice_withdraws_and_a_later_visit_does_not_relink_until_she_asks(client, cast):
    client.force_login(cast.alice)
    client.get("/aramis/")

    client.post("/comptes/mon-compte/associations/aramis/retirer/")
    home = client.get("/aramis/").content.decode()

    link = AssociationLink.objects.get(agent=cast.alice.agent)
    assert link.state == "withdrawn"
    assert "Me faire connaître de l'association" in home

    client.post("/aramis/me-faire-connaitre/")

    link.refresh_from_db()
    assert link.state == "active"
    actions = list(AuditEvent.objects.filter(action__startswith="association.").values_list("action", flat=True))
    assert sorted(actions) == ["association.linked", "association.relinked", "association.withdrawn"]


def test_my_account_lists_the_associations_that_know_me(client, cast):
    client.force_login(cast.alice)
    client.get("/aramis/")

    body = client.get("/comptes/mon-compte/").content.decode()

    assert "ARAMIS" in body
    assert "Retirer l'accès d&#x27;ARAMIS" in body


def test_links_stay_after_a_transfer_and_go_with_the_account(client, cast):
    AssociationLink.objects.create(agent=cast.alice.agent, association=Organisation.objects.get(slug="aramis"))
    nord = Organisation.objects.get(slug="nord")
    transfer = transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=nord,
        reason="move",
        effective_date=timezone.localdate(),
        message="",
        actor=cast.alice,
    )
    transfer_accept(transfer_id=transfer.pk, destination=nord, actor=cast.chloe)

    assert AssociationLink.objects.filter(agent__user=cast.alice, state="active").count() == 1
    cast.alice.delete()
    assert not AssociationLink.objects.exists()


def test_david_lists_searches_and_exports_the_agents_aramis_knows(client, cast):
    aramis = Organisation.objects.get(slug="aramis")
    AssociationLink.objects.create(agent=cast.alice.agent, association=aramis)
    AssociationLink.objects.create(agent=cast.karim.agent, association=aramis, state="withdrawn")
    client.force_login(cast.david)

    listing = client.get("/aramis/gestion/agents-connus/", {"q": "alice"}).content.decode()
    csv = b"".join(client.get("/aramis/gestion/agents-connus/export.csv").streaming_content).decode("utf-8-sig")
    detail = client.get(f"/aramis/gestion/agents-connus/{cast.alice.agent.pk}/").content.decode()

    assert html_table(listing)[1][0][:3] == ["Martin", "Alice", "Sud-Ouest"]
    assert "Martin" in csv
    assert "Benali" not in csv  # withdrawn
    assert "Julien" in detail
    assert AuditEvent.objects.filter(action="agent.viewed", organisation=aramis, subject=cast.alice).exists()
    assert AuditEvent.objects.get(action="association.exported").data["rows"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "/aramis/gestion/agents-connus/",
        "/aramis/gestion/agents-connus/export.csv",
        "/aramis/gestion/agents-connus/{alice}/",
    ],
)
def test_association_back_office_urls(client, cast, url):
    aramis = Organisation.objects.get(slug="aramis")
    AssociationLink.objects.create(agent=cast.alice.agent, association=aramis)
    url = url.format(alice=cast.alice.agent.pk)
    from alphasierra.demo import _staff
    from alphasierra.testing import with_second_factor

    other_manager = _staff(
        "resp.unasacem@alpha-sierra.org", Organisation.objects.get(slug="unasacem"), Role.Kind.ASSOCIATION_MANAGER
    )
    with_second_factor(other_manager)

    assert client.get(url).status_code == 302  # anonymous: to the login
    client.force_login(cast.karim)
    assert client.get(url).status_code == 403  # an agent
    client.force_login(other_manager)
    assert client.get(url).status_code == 404  # the manager of another association
    client.force_login(cast.david)
    assert client.get(url).status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_first_visits_at_once_make_one_link(cast):
    aramis = Organisation.objects.get(slug="aramis")
    start = threading.Barrier(2)

    def visit() -> None:
        try:
            start.wait()
            association_visit(user=cast.alice, association=aramis)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=visit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert AssociationLink.objects.filter(agent__user=cast.alice, association=aramis).count() == 1
