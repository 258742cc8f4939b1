"""The French of real pages and e-mails: elision, « 1er », agreement with the
agent's civilité. Alice is « Madame », Karim and Paul « Monsieur »."""

import html
from datetime import UTC, datetime, time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone, translation
from django.utils.formats import date_format

from alphasierra.agents.models import Agent
from alphasierra.organisations.models import Organisation
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.services import transfer_accept, transfer_request, transfers_apply_due

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def test_mon_compte_writes_the_first_of_the_month_and_agrees_with_madame(client, cast):
    client.force_login(cast.alice)
    client.get("/aramis/")

    body = text_of(client.get("/comptes/mon-compte/"))

    assert "Léa Martin, date de naissance : 1er juin 2012" in body
    assert "12 avril 1982" in body
    assert "mariée" in body
    assert "marié(e)" not in body
    assert "Retirer l'accès d'ARAMIS" in body
    assert "de ARAMIS" not in body


def test_mon_compte_without_associations_agrees_with_monsieur(client, cast):
    client.force_login(cast.karim)

    body = text_of(client.get("/comptes/mon-compte/"))

    assert "en étant connecté." in body
    assert "connecté(e)" not in body


def test_the_register_detail_agrees_with_the_agent(client, cast):
    client.force_login(cast.bruno)
    alice = Agent.objects.get(user=cast.alice)
    alice.status = Agent.Status.RETIRED
    alice.save(update_fields=["status"])

    body = text_of(client.get(f"/sud-ouest/gestion/agents/{alice.pk}/"))

    assert ">validée</span>" in body
    assert "retraitée" in body
    assert "mariée" in body
    assert "1er juin 2012" in body


def test_the_association_tells_alice_she_is_connectee(client, cast):
    client.force_login(cast.alice)

    response = client.get("/aramis/")

    notices = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(n.startswith("Vous êtes connectée : l'association ARAMIS") for n in notices), notices


# The first of a month to come, whatever the day the tests run.
FIRST = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
with translation.override("fr"):
    FIRST_WRITTEN = "1er " + date_format(FIRST, "F Y")


def request_for_alice(cast) -> Transfer:
    return transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=Organisation.objects.get(slug="nord"),
        reason="retirement",
        effective_date=FIRST,
        message="",
        actor=cast.alice,
    )


def test_the_transfer_e_mails_date_the_first_of_the_month_and_agree_with_madame(cast, outbox):
    transfer = request_for_alice(cast)

    request = outbox(cast.chloe.email)[-1].body_text
    assert "Madame Alice Martin, agente du CLAS Sud-Ouest," in request
    assert f"Date du changement : {FIRST_WRITTEN}" in request

    transfer_accept(transfer_id=transfer.pk, destination=transfer.destination, actor=cast.chloe)

    scheduled = outbox(cast.alice.email)[-1]
    assert f"effectif le {FIRST_WRITTEN}" in scheduled.subject
    assert "vous restez rattachée à votre CLAS actuel" in scheduled.body_text

    transfers_apply_due(now=datetime.combine(FIRST, time(6), tzinfo=UTC))

    left = outbox(cast.bruno.email)[-1]
    assert "Madame Alice Martin est désormais rattachée au CLAS Nord" in left.body_text
    assert "rattachée au CLAS Nord" in left.body_html


def test_the_csr_is_told_alice_is_rattachee(client, cast):
    transfer = request_for_alice(cast)
    client.force_login(cast.chloe)

    response = client.post(f"/nord/gestion/transferts/{transfer.pk}/accepter/", follow=True)

    assert f"Madame Alice Martin sera rattachée à votre CLAS le {FIRST_WRITTEN}." in text_of(response)


def test_the_agent_is_told_she_will_be_prevenue(client, cast):
    client.force_login(cast.alice)
    nord = Organisation.objects.get(slug="nord")
    data = {"destination": nord.pk, "reason": "retirement", "effective_date": FIRST.isoformat(), "message": ""}

    response = client.post("/sud-ouest/transfert/", data, follow=True)

    assert "vous serez prévenue par e-mail" in text_of(response)


def test_the_register_and_the_requests_agree_with_each_agent(client, cast):
    client.force_login(cast.bruno)

    register = text_of(client.get("/sud-ouest/gestion/agents/"))
    requests = text_of(client.get("/sud-ouest/gestion/inscriptions/"))

    assert "<td>validée</td>" in register
    assert "<td>active</td>" in register
    assert "<td>actif</td>" in requests  # Paul


def test_the_association_list_agrees_with_each_agent(client, cast):
    client.force_login(cast.alice)
    client.get("/aramis/")
    client.force_login(cast.david)

    assert "<td>active</td>" in text_of(client.get("/aramis/gestion/agents-connus/"))


def test_in_english_the_helpers_leave_the_words_to_the_translation(client, cast):
    client.force_login(cast.alice)
    client.get("/aramis/")
    client.cookies["django_language"] = "en"

    try:
        body = text_of(client.get("/comptes/mon-compte/"))
    finally:
        translation.activate("fr")  # the portal's middleware leaves the request's language active

    assert "Withdraw access for ARAMIS" in body
    assert "born on 1 June 2012" in body
    assert "mariée" not in body
    assert "1er" not in body
