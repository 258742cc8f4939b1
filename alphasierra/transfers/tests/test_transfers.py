from datetime import date

import pytest
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.audit.models import AuditEvent
from alphasierra.organisations.models import Organisation, Role
from alphasierra.testing import listed_names
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.services import (
    TransferError,
    TransferStateError,
    transfer_accept,
    transfer_cancel,
    transfer_refuse,
    transfer_request,
)

pytestmark = pytest.mark.django_db


def ask(cast, slug: str = "nord", effective_date: date | None = None) -> Transfer:
    return transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=Organisation.objects.get(slug=slug),
        reason="move",
        # Today by default: accepted, the transfer takes effect at once.
        effective_date=effective_date or timezone.localdate(),
        message="Mutation à Lille.",
        actor=cast.alice,
    )


def test_a_request_goes_to_the_destinations_social_correspondents(cast, outbox):
    transfer = ask(cast)

    assert transfer.origin.slug == "sud-ouest"
    assert "Transfert à valider : Alice Martin" in outbox("chloe@alpha-sierra.org")[-1].subject
    assert f"/nord/gestion/transferts/{transfer.pk}/" in outbox("chloe@alpha-sierra.org")[-1].body_text
    assert AuditEvent.objects.filter(action="transfer.requested", subject=cast.alice).exists()


def test_without_social_correspondent_the_site_managers_decide_and_nadia_is_told(cast, outbox):
    ask(cast, slug="enac")

    assert "Transfert à valider" in outbox("responsable.enac@alpha-sierra.org")[-1].subject
    assert "sans correspondant social" in outbox("nadia@alpha-sierra.org")[-1].subject


@pytest.mark.parametrize(("slug", "message"), [("sud-ouest", "déjà rattaché"), ("aramis", "vers un CLAS")])
def test_a_request_to_the_own_clas_or_an_association_is_refused(cast, slug, message):
    with pytest.raises(TransferError, match=message):
        ask(cast, slug=slug)


def test_one_pending_request_at_a_time(cast):
    ask(cast)

    with pytest.raises(TransferError, match="déjà en cours"):
        ask(cast, slug="ouest")


def test_only_an_approved_agent_may_ask(cast):
    with pytest.raises(TransferError, match="validée"):
        transfer_request(
            agent_id=cast.paul.agent.pk,
            destination=Organisation.objects.get(slug="nord"),
            reason="move",
            effective_date=date(2027, 1, 1),
            message="",
            actor=cast.paul,
        )


def test_acceptance_moves_account_and_family_at_once(cast, outbox):
    transfer = ask(cast)
    nord = Organisation.objects.get(slug="nord")

    transfer_accept(transfer_id=transfer.pk, destination=nord, actor=cast.chloe)

    alice = Agent.objects.get(user=cast.alice)
    assert alice.clas == nord
    assert alice.relatives.count() == 3
    assert "Votre transfert est accepté" in outbox("alice@example.fr")[-1].subject
    assert "a rejoint un autre CLAS" in outbox("bruno@alpha-sierra.org")[-1].subject


def test_the_destination_only_decides_on_its_own_transfers(cast):
    transfer = ask(cast)
    ouest = Organisation.objects.get(slug="ouest")
    manager = User.objects.get(email="responsable.ouest@alpha-sierra.org")  # may decide there: no CSR

    with pytest.raises(Transfer.DoesNotExist):
        transfer_accept(transfer_id=transfer.pk, destination=ouest, actor=manager)


def test_a_transfer_is_decided_once(cast):
    transfer = ask(cast)
    nord = Organisation.objects.get(slug="nord")
    transfer_cancel(transfer_id=transfer.pk, user=cast.alice)

    with pytest.raises(TransferStateError):
        transfer_accept(transfer_id=transfer.pk, destination=nord, actor=cast.chloe)
    assert Agent.objects.get(user=cast.alice).clas.slug == "sud-ouest"


def test_a_refusal_gives_the_reason(cast, outbox):
    transfer = ask(cast)

    transfer_refuse(
        transfer_id=transfer.pk, destination=transfer.destination, actor=cast.chloe, reason="Pas d'affectation à Nord."
    )

    assert "Pas d'affectation à Nord." in outbox("alice@example.fr")[-1].body_text
    assert Agent.objects.get(user=cast.alice).clas.slug == "sud-ouest"


def test_an_agent_cannot_cancel_someone_elses_transfer(cast):
    transfer = ask(cast)

    with pytest.raises(Transfer.DoesNotExist):
        transfer_cancel(transfer_id=transfer.pk, user=cast.karim)


# Through the pages


def test_alice_asks_on_her_clas_site(client, cast):
    client.force_login(cast.alice)
    nord = Organisation.objects.get(slug="nord")

    response = client.post(
        "/sud-ouest/transfert/",
        {"destination": nord.pk, "reason": "retirement", "effective_date": "2027-01-01", "message": ""},
        follow=True,
    )

    assert "Demande en cours" in response.content.decode()
    assert Transfer.objects.get().reason == "retirement"


def test_the_form_reports_errors_next_to_the_fields(client, cast):
    client.force_login(cast.alice)

    body = client.post(
        "/sud-ouest/transfert/", {"destination": "", "reason": "x", "effective_date": "1990-01-01"}
    ).content.decode()

    assert 'id="id_destination-desc-error"' in body
    assert 'id="id_reason-desc-error"' in body
    assert 'id="id_effective_date-desc-error"' in body
    assert not Transfer.objects.exists()


def test_the_transfer_page_of_another_clas_leads_to_her_own(client, cast):
    client.force_login(cast.alice)

    response = client.get("/nord/transfert/")

    assert response.headers["Location"] == "/sud-ouest/transfert/"


def test_chloe_accepts_and_bruno_loses_sight_of_alice(client, cast):
    transfer = ask(cast)
    alice = cast.alice.agent.pk
    client.force_login(cast.chloe)
    queue = client.get("/nord/gestion/transferts/").content.decode()
    detail = client.get(f"/nord/gestion/transferts/{transfer.pk}/").content.decode()
    assert "Martin Alice" in queue
    assert "Julien" in detail  # the family, before deciding

    client.post(f"/nord/gestion/transferts/{transfer.pk}/accepter/")

    assert "Martin Alice" in listed_names(client.get("/nord/gestion/agents/", {"q": "martin"}).content.decode())
    client.force_login(cast.bruno)
    assert client.get(f"/sud-ouest/gestion/agents/{alice}/").status_code == 404
    client.force_login(cast.alice)
    assert "CLAS Nord" in client.get("/comptes/mon-compte/").content.decode()


def test_the_second_decision_is_told_it_came_too_late(client, cast):
    transfer = ask(cast)
    csr2 = Role.objects.get(kind="social_correspondent").user
    client.force_login(csr2)
    client.post(f"/nord/gestion/transferts/{transfer.pk}/accepter/")

    response = client.post(f"/nord/gestion/transferts/{transfer.pk}/refuser/", {"reason": "Non"}, follow=True)

    assert "déjà été traitée" in response.content.decode()


def test_a_transfer_of_another_clas_is_a_404(client, cast):
    transfer = ask(cast)
    client.force_login(cast.bruno)

    assert client.get(f"/sud-ouest/gestion/transferts/{transfer.pk}/").status_code == 404
    assert client.post(f"/sud-ouest/gestion/transferts/{transfer.pk}/accepter/").status_code == 404
