"""A decision that arrives after something else changed the request: each is
played through the pages, the second action after the first has completed."""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from alphasierra.agents.models import Agent
from alphasierra.agents.services.erasure import agent_erase
from alphasierra.organisations.models import Organisation
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.services import transfer_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def transfer(cast) -> Transfer:
    return transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=Organisation.objects.get(slug="nord"),
        reason="move",
        effective_date=date(2027, 1, 1),
        message="Mutation à Lille.",
        actor=cast.alice,
    )


def decide(client, cast, transfer: Transfer, action: str):
    client.force_login(cast.chloe)
    data = {"reason": "Pas de poste à Nord."} if action == "refuser" else {}
    return client.post(f"/nord/gestion/transferts/{transfer.pk}/{action}/", data, follow=True)


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


@pytest.mark.parametrize("action", ["accepter", "refuser"])
def test_a_decision_after_the_agent_cancelled_is_told_so(client, cast, transfer, action):
    client.force_login(cast.alice)
    client.post(f"/sud-ouest/transfert/{transfer.pk}/annuler/")

    response = decide(client, cast, transfer, action)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/nord/gestion/transferts/"
    assert "déjà été traitée (annulé)" in messages_of(response)
    transfer.refresh_from_db()
    assert (transfer.state, transfer.refusal_reason) == ("cancelled", "")
    assert Agent.objects.get(user=cast.alice).clas.slug == "sud-ouest"


@pytest.mark.parametrize("action", ["accepter", "refuser"])
def test_a_decision_after_the_agent_was_erased_finds_nothing(client, cast, transfer, action):
    client.force_login(cast.alice)
    client.post("/comptes/mon-compte/supprimer/")
    assert Agent.objects.get(user=cast.alice).deletion_requested_at is not None
    client.force_login(cast.bruno)
    client.post(f"/sud-ouest/gestion/suppressions/{cast.alice.agent.pk}/confirmer/")
    assert not Agent.objects.filter(pk=cast.alice.agent.pk).exists()

    response = decide(client, cast, transfer, action)

    assert response.status_code == 404
    assert not Transfer.objects.exists()


def test_an_acceptance_after_the_agent_asked_to_be_erased_is_refused_with_a_reason(client, cast, transfer):
    client.force_login(cast.alice)
    client.post("/comptes/mon-compte/supprimer/")

    response = decide(client, cast, transfer, "accepter")

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/nord/gestion/transferts/"
    assert "a demandé la suppression de son compte" in messages_of(response)
    transfer.refresh_from_db()
    assert transfer.state == "pending"
    assert Agent.objects.get(user=cast.alice).clas.slug == "sud-ouest"


def test_a_refusal_after_the_agent_asked_to_be_erased_is_recorded(client, cast, transfer):
    client.force_login(cast.alice)
    client.post("/comptes/mon-compte/supprimer/")

    response = decide(client, cast, transfer, "refuser")

    assert response.redirect_chain[-1][0] == "/nord/gestion/transferts/"
    transfer.refresh_from_db()
    assert transfer.state == "refused"


@pytest.mark.parametrize("action", ["accepter", "refuser"])
def test_an_agent_erased_between_the_page_check_and_the_decision_is_a_404(client, cast, transfer, action):
    """The erasure lands after the view found the transfer, just before the
    service locks it: the service finds nothing, the page says so (404)."""
    Agent.objects.filter(user=cast.alice).update(deletion_requested_at=timezone.now())
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    erased: list[bool] = []

    def erase_first(execute, sql, params, many, context):
        # The service's lock reads the transfer alone with get() (the page's check joins
        # the agent): that is the moment the other request commits.
        if not erased and 'FROM "transfers_transfer"' in sql and "JOIN" not in sql and "LIMIT 21" in sql:
            erased.append(True)
            agent_erase(agent_id=cast.alice.agent.pk, clas=sud_ouest, manager=cast.bruno)
        return execute(sql, params, many, context)

    client.force_login(cast.chloe)
    data = {"reason": "Pas de poste à Nord."} if action == "refuser" else {}
    with connection.execute_wrapper(erase_first):
        response = client.post(f"/nord/gestion/transferts/{transfer.pk}/{action}/", data)

    assert erased
    assert response.status_code == 404
