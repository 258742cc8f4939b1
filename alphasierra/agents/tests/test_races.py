"""A decision or a correction that another person's action made stale, in the
middle of the request: a French message, nothing changed, never a 500."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.agents.services.erasure import agent_erase, agent_request_deletion
from alphasierra.mail.models import OutboxMessage
from alphasierra.organisations.models import Organisation
from alphasierra.testing import meanwhile, service_start_after_reading
from alphasierra.transfers.services import transfer_accept, transfer_request

pytestmark = pytest.mark.django_db


def erase(user: User) -> None:
    agent = Agent.objects.get(user=user)
    agent_request_deletion(user=user)
    agent_erase(agent_id=agent.pk, clas=agent.clas, manager=User.objects.get(email="bruno@alpha-sierra.org"))


def transfer_to_nord(user: User) -> None:
    nord = Organisation.objects.get(slug="nord")
    transfer = transfer_request(
        agent_id=user.agent.pk,
        destination=nord,
        reason="move",
        effective_date=timezone.localdate(),  # accepted, it takes effect at once
        message="Mutation à Lille.",
        actor=user,
    )
    transfer_accept(transfer_id=transfer.pk, destination=nord, actor=User.objects.get(email="chloe@alpha-sierra.org"))


def shown(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


@pytest.fixture
def bruno(client, cast):
    client.force_login(cast.bruno)
    return client


# Registrations


@pytest.mark.parametrize("decision", ["valider", "refuser"])
def test_deciding_on_a_request_erased_meanwhile(bruno, cast, decision):
    paul = cast.paul.agent
    mails = OutboxMessage.objects.filter(to_email__iexact="paul@example.fr").count()

    with meanwhile(lambda: erase(cast.paul), before=service_start_after_reading("agents_agent")):
        response = bruno.post(f"/sud-ouest/gestion/inscriptions/{paul.pk}/{decision}/", {"reason": "Inconnu"})

    assert response.status_code == 302
    assert response["Location"] == "/sud-ouest/gestion/inscriptions/"
    assert "n'existe plus dans votre CLAS" in shown(response)
    assert not Agent.objects.filter(pk=paul.pk).exists()
    # Nothing owed to the erased person (the erasure removed their mail).
    assert OutboxMessage.objects.filter(to_email__iexact="paul@example.fr").count() <= mails


@pytest.mark.parametrize("decision", ["valider", "refuser"])
def test_deciding_on_a_request_erased_before_is_a_404(bruno, cast, decision):
    paul = cast.paul.agent
    erase(cast.paul)

    response = bruno.post(f"/sud-ouest/gestion/inscriptions/{paul.pk}/{decision}/", {"reason": "Inconnu"})

    assert response.status_code == 404


def test_deciding_on_a_request_another_manager_decided(bruno, cast):
    paul = cast.paul.agent
    bruno.post(f"/sud-ouest/gestion/inscriptions/{paul.pk}/valider/")

    response = bruno.post(f"/sud-ouest/gestion/inscriptions/{paul.pk}/refuser/", {"reason": "Inconnu"})

    assert response.status_code == 302
    assert "déjà été traitée" in shown(response)
    assert Agent.objects.get(pk=paul.pk).state == Agent.State.APPROVED


# Register corrections


def correction(agent: Agent) -> dict[str, str]:
    return {
        "civility": agent.civility,
        "last_name": agent.last_name,
        "first_name": agent.first_name,
        "birth_date": "",
        "employer": agent.employer,
        "status": agent.status,
        "service": "Un autre service",
        "service_address": agent.service_address,
        "work_phone": agent.work_phone,
        "personal_phone": agent.personal_phone,
        "address": agent.address,
        "postal_code": agent.postal_code,
        "city": agent.city,
        "family_situation": agent.family_situation,
        "children_count": str(agent.children_count),
    }


def family_rows(agent: Agent) -> dict[str, str]:
    data = {"famille-TOTAL_FORMS": "1", "famille-INITIAL_FORMS": "0", "enregistrer": "1"}
    data.update({"famille-0-kind": "child", "famille-0-last_name": "Martin", "famille-0-first_name": "Zoé"})
    Agent.objects.filter(pk=agent.pk).update(children_count=3)
    return data


@pytest.mark.parametrize("page", ["modifier", "famille"])
@pytest.mark.parametrize("other", [transfer_to_nord, erase], ids=["transferred", "erased"])
def test_a_register_correction_after_the_agent_left_meanwhile(bruno, cast, page, other):
    alice = cast.alice.agent
    data = correction(alice) if page == "modifier" else family_rows(alice)

    with meanwhile(lambda: other(cast.alice), before=service_start_after_reading("agents_agent")):
        response = bruno.post(f"/sud-ouest/gestion/agents/{alice.pk}/{page}/", data)

    assert response.status_code == 302
    assert response["Location"] == "/sud-ouest/gestion/agents/"
    assert "ne fait plus partie du référentiel de votre CLAS" in shown(response)
    moved = Agent.objects.filter(pk=alice.pk).first()
    if moved is not None:
        assert moved.clas.slug == "nord"
        assert moved.service != "Un autre service"
        assert not moved.relatives.filter(first_name="Zoé").exists()


@pytest.mark.parametrize("page", ["modifier", "famille"])
def test_a_register_correction_after_the_agent_was_transferred_is_a_404(bruno, cast, page):
    alice = cast.alice.agent
    transfer_to_nord(cast.alice)

    response = bruno.post(f"/sud-ouest/gestion/agents/{alice.pk}/{page}/", correction(alice))

    assert response.status_code == 404
    assert Agent.objects.get(pk=alice.pk).service != "Un autre service"
