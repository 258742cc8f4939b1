"""Who sees what of a transfer, in each of its states, and who decides it."""

import re
from datetime import date

import pytest
from django.utils import timezone

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.agents.validation import phone_display
from alphasierra.audit.models import AuditEvent
from alphasierra.mail.models import OutboxMessage
from alphasierra.organisations.models import Organisation, Role
from alphasierra.testing import PortalClient as Client  # staff logged in with their second factor
from alphasierra.testing import with_second_factor
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.services import (
    TransferError,
    transfer_accept,
    transfer_cancel,
    transfer_refuse,
    transfer_request,
)

pytestmark = pytest.mark.django_db

STATES = ("pending", "accepted", "refused", "cancelled")


def staff(email: str) -> User:
    user = User.objects.get(email=email)
    with_second_factor(user)
    return user


def ask(cast, slug: str = "nord", message: str = "Mutation à Lille.", effective_date: date | None = None) -> Transfer:
    return transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=Organisation.objects.get(slug=slug),
        reason="move",
        # Today by default: accepted, the transfer takes effect at once.
        effective_date=effective_date or timezone.localdate(),
        message=message,
        actor=cast.alice,
    )


def transfer_in(state: str, cast) -> Transfer:
    transfer = ask(cast)
    nord = transfer.destination
    if state == "accepted":
        transfer_accept(transfer_id=transfer.pk, destination=nord, actor=cast.chloe)
    elif state == "refused":
        transfer_refuse(transfer_id=transfer.pk, destination=nord, actor=cast.chloe, reason="Aucun poste à Nord.")
    elif state == "cancelled":
        transfer_cancel(transfer_id=transfer.pk, user=cast.alice)
    if state != "pending":
        # What Alice changes afterwards is none of Nord's business (unless she is now Nord's).
        Agent.objects.filter(user=cast.alice).update(address="3 place Neuve", personal_phone="+33698765432")
    transfer.refresh_from_db()
    return transfer


def personal_data(cast) -> list[str]:
    """What identifies Alice beyond her name: her address (old and new), her
    phones, her e-mail, her birth date, her family."""
    return [
        "rue des Lilas",
        "place Neuve",
        phone_display("+33612345678", region="FR"),
        phone_display("+33698765432", region="FR"),
        phone_display("+33561000000", region="FR"),
        "alice@example.fr",
        "1982",
        "Julien",
        "Léa",
        "Hugo",
    ]


def leaks(body: str, cast, *, reader: User | None = None) -> list[str]:
    """Alice's data in ``body``; the header of every page names the reader,
    so Alice reading a refusal sees her own address, which is no leak."""
    own = {reader.email} if reader is not None else set()
    return [value for value in personal_data(cast) if value in body and value not in own]


def persona(name: str, cast) -> User:
    if name == "nord_manager":
        return staff("responsable.nord@alpha-sierra.org")
    if name == "ouest_manager":
        return staff("responsable.ouest@alpha-sierra.org")
    return getattr(cast, name)


# Detail page of Alice's transfer into Nord: (persona, site) → status, by state.
DETAIL = {
    ("chloe", "nord"): {"pending": 200, "accepted": 404, "refused": 404, "cancelled": 404},
    ("nord_manager", "nord"): {"pending": 200, "accepted": 404, "refused": 404, "cancelled": 404},
    ("bruno", "sud-ouest"): dict.fromkeys(STATES, 404),
    ("bruno", "nord"): dict.fromkeys(STATES, 404),
    ("alice", "nord"): dict.fromkeys(STATES, 403),
    ("ouest_manager", "ouest"): dict.fromkeys(STATES, 404),
    ("ouest_manager", "nord"): dict.fromkeys(STATES, 404),
    ("david", "nord"): dict.fromkeys(STATES, 404),
    ("nadia", "nord"): dict.fromkeys(STATES, 404),  # Nord has a CSR
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("who", "site"), list(DETAIL))
def test_the_detail_page_in_each_state(client, cast, state, who, site):
    transfer = transfer_in(state, cast)
    reader = persona(who, cast)
    client.force_login(reader)
    events = AuditEvent.objects.count()

    response = client.get(f"/{site}/gestion/transferts/{transfer.pk}/")

    expected = DETAIL[(who, site)][state]
    assert response.status_code == expected
    body = response.content.decode()
    if expected == 200:
        # Only a pending request shows the destination's staff the agent's data.
        assert "rue des Lilas" in body
        assert "Julien" in body
        assert AuditEvent.objects.count() == events + 1  # "agent.viewed"
    else:
        assert leaks(body, cast, reader=reader) == []
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", ["chloe", "nord_manager"])
def test_the_queue_keeps_a_history_row_without_personal_data(client, cast, state, who):
    transfer = transfer_in(state, cast)
    Agent.objects.filter(user=cast.alice).update(last_name="Dupont")  # a later change of name
    client.force_login(persona(who, cast))

    body = client.get("/nord/gestion/transferts/").content.decode()

    assert leaks(body, cast) == []
    if state == "pending":
        assert f"/nord/gestion/transferts/{transfer.pk}/" in body
    else:
        # The name the request came with, the dates, the outcome, the reason.
        assert "Transferts traités" in body
        assert "Martin Alice" in body
        assert "Dupont" not in body
        assert transfer.get_state_display() in body
        assert f"/nord/gestion/transferts/{transfer.pk}/" not in body
    if state == "refused":
        assert "Aucun poste à Nord." in body
    if state == "accepted":
        # Nord now owns Alice: her page is in its register.
        assert f"/nord/gestion/agents/{cast.alice.agent.pk}/" in body


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(
    ("who", "site", "status"),
    [
        ("bruno", "sud-ouest", 200),
        ("alice", "nord", 403),
        ("ouest_manager", "nord", 404),
        ("david", "nord", 404),
        ("nadia", "nord", 404),
    ],
)
def test_the_queue_of_nord_shows_nothing_of_alice_to_anyone_else(client, cast, state, who, site, status):
    transfer_in(state, cast)
    reader = persona(who, cast)
    client.force_login(reader)

    response = client.get(f"/{site}/gestion/transferts/")

    assert response.status_code == status
    body = response.content.decode()
    assert leaks(body, cast, reader=reader) == []
    assert "Martin Alice" not in body


@pytest.mark.parametrize("state", STATES)
def test_alice_sees_her_own_request_page_only(client, cast, state):
    transfer_in(state, cast)
    client.force_login(cast.alice)

    assert client.get("/sud-ouest/transfert/").status_code in (200, 302)
    assert client.get("/nord/gestion/transferts/").status_code == 403


# Who decides


def snapshot(cast) -> tuple:
    return (
        list(Transfer.objects.values_list("state", "decided_by", "refusal_reason")),
        Agent.objects.get(user=cast.alice).clas_id,
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
    )


@pytest.mark.parametrize(("action", "data"), [("accepter", {}), ("refuser", {"reason": "Non."})])
def test_a_site_manager_does_not_decide_where_a_csr_does(client, cast, action, data):
    transfer = ask(cast)
    client.force_login(staff("responsable.nord@alpha-sierra.org"))
    before = snapshot(cast)

    response = client.post(f"/nord/gestion/transferts/{transfer.pk}/{action}/", data)

    assert response.status_code == 403
    assert snapshot(cast) == before


def test_the_site_manager_reads_the_request_without_the_buttons(client, cast):
    transfer = ask(cast)
    client.force_login(staff("responsable.nord@alpha-sierra.org"))

    body = client.get(f"/nord/gestion/transferts/{transfer.pk}/").content.decode()

    assert "Le correspondant social (CSR) de votre CLAS valide les transferts" in body
    assert "Accepter le transfert" not in body


def test_the_service_holds_the_rule_too(cast):
    transfer = ask(cast)
    before = snapshot(cast)
    manager = User.objects.get(email="responsable.nord@alpha-sierra.org")

    with pytest.raises(TransferError, match="correspondant social"):
        transfer_accept(transfer_id=transfer.pk, destination=transfer.destination, actor=manager)
    with pytest.raises(TransferError, match="correspondant social"):
        transfer_refuse(transfer_id=transfer.pk, destination=transfer.destination, actor=manager, reason="Non.")
    assert snapshot(cast) == before


@pytest.mark.parametrize(("action", "state"), [("accepter", "accepted"), ("refuser", "refused")])
def test_the_csr_decides(client, cast, action, state):
    transfer = ask(cast)
    client.force_login(cast.chloe)

    response = client.post(f"/nord/gestion/transferts/{transfer.pk}/{action}/", {"reason": "Non."})

    assert response.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.state, transfer.decided_by) == (state, cast.chloe)


def test_without_a_csr_the_site_manager_decides(client, cast):
    Role.objects.filter(user=cast.chloe, kind="social_correspondent").delete()
    transfer = ask(cast)
    client.force_login(staff("responsable.nord@alpha-sierra.org"))

    body = client.get(f"/nord/gestion/transferts/{transfer.pk}/").content.decode()
    client.post(f"/nord/gestion/transferts/{transfer.pk}/accepter/")

    assert "Accepter le transfert" in body
    transfer.refresh_from_db()
    assert transfer.state == "accepted"
    assert Agent.objects.get(user=cast.alice).clas.slug == "nord"


def review_link(message: OutboxMessage) -> str:
    link = re.search(r"http://127\.0\.0\.1:8000(/\S+)", message.body_text)
    assert link is not None
    return link.group(1)


@pytest.mark.parametrize("with_managers", [True, False])
def test_the_national_admin_opens_the_link_of_her_email_and_decides(client, cast, outbox, with_managers):
    if not with_managers:
        Role.objects.filter(organisation__slug="enac").delete()
    transfer = ask(cast, slug="enac")
    link = review_link(outbox("nadia@alpha-sierra.org")[-1])
    client.force_login(cast.nadia)

    page = client.get(link)
    queue = client.get("/enac/gestion/transferts/")
    response = client.post(f"{link}accepter/", follow=True)

    assert page.status_code == 200
    assert "Accepter le transfert" in page.content.decode()
    assert queue.status_code == 200
    assert "/enac/gestion/agents/" not in queue.content.decode()  # the register stays Enac's
    assert response.redirect_chain[-1] == ("/enac/gestion/transferts/", 302)
    transfer.refresh_from_db()
    assert (transfer.state, transfer.decided_by) == ("accepted", cast.nadia)
    assert Agent.objects.get(user=cast.alice).clas.slug == "enac"


def test_the_national_admin_refuses_where_there_is_no_csr(client, cast):
    transfer = ask(cast, slug="enac")
    client.force_login(cast.nadia)

    client.post(f"/enac/gestion/transferts/{transfer.pk}/refuser/", {"reason": "Pas d'affectation à l'ENAC."})

    transfer.refresh_from_db()
    assert (transfer.state, transfer.refusal_reason) == ("refused", "Pas d'affectation à l'ENAC.")


@pytest.mark.parametrize(("action", "data"), [("accepter", {}), ("refuser", {"reason": "Non."})])
def test_the_national_admin_stays_out_where_a_csr_decides(cast, action, data):
    transfer = ask(cast)
    client = Client()
    client.force_login(cast.nadia)
    before = snapshot(cast)

    assert client.get(f"/nord/gestion/transferts/{transfer.pk}/").status_code == 404
    assert client.get("/nord/gestion/transferts/").status_code == 404
    assert client.post(f"/nord/gestion/transferts/{transfer.pk}/{action}/", data).status_code == 404
    assert snapshot(cast) == before
