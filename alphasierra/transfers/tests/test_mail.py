"""The e-mails of a transfer request, read from the outbox."""

from datetime import UTC, date, datetime

import pytest

from alphasierra.agents.models import Agent
from alphasierra.mail.services import message_render
from alphasierra.organisations.models import Organisation, Role
from alphasierra.organisations.zones import time_zone_for
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.services import transfer_refuse, transfer_request

pytestmark = pytest.mark.django_db

MESSAGE = "Mutation au <b>SNA Nord</b> & logement à Lille.\nMerci !"


def ask(cast, slug: str = "nord"):
    return transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=Organisation.objects.get(slug=slug),
        reason="retirement",
        effective_date=date(2027, 1, 4),
        message=MESSAGE,
        actor=cast.alice,
    )


def test_the_csr_is_greeted_by_name_and_told_everything_the_agent_wrote(cast, outbox):
    transfer = ask(cast)

    message = outbox("chloe@alpha-sierra.org")[-1]

    text = message.body_text
    assert text.startswith("Bonjour Madame Chloé Petit,")
    assert "vers le CLAS Nord." in text
    assert "()" not in text
    assert "Motif : départ à la retraite" in text
    assert "Date du changement : 4 janvier 2027" in text
    assert MESSAGE in text  # plain text: as typed
    assert f"/nord/gestion/transferts/{transfer.pk}/" in text
    html = message.body_html
    assert "Bonjour Madame Chloé Petit," in html
    assert "départ à la retraite" in html
    assert "4 janvier 2027" in html
    assert "Mutation au &lt;b&gt;SNA Nord&lt;/b&gt; &amp; logement à Lille.<br>Merci !" in html
    assert "<b>SNA Nord</b>" not in html


def test_a_reviewer_without_an_agent_record_gets_a_plain_greeting(cast, outbox):
    ask(cast, slug="enac")

    text = outbox("responsable.enac@alpha-sierra.org")[-1].body_text

    assert text.startswith("Bonjour,")
    assert "Motif : départ à la retraite" in text
    assert MESSAGE in text


def test_the_national_admin_is_told_she_may_decide(cast, outbox):
    Role.objects.filter(organisation__slug="enac").delete()
    transfer = ask(cast, slug="enac")

    text = outbox("nadia@alpha-sierra.org")[-1].body_text

    assert text.startswith("Bonjour Madame Nadia Haddad,")
    assert "ni correspondant social ni responsable de site" in text
    assert f"/enac/gestion/transferts/{transfer.pk}/" in text


def test_the_national_admin_is_told_everything_the_agent_wrote_too(cast, outbox):
    Role.objects.filter(organisation__slug="enac").delete()
    ask(cast, slug="enac")

    message = outbox("nadia@alpha-sierra.org")[-1]

    assert "Motif : départ à la retraite" in message.body_text
    assert "Date du changement : 4 janvier 2027" in message.body_text
    assert MESSAGE in message.body_text
    assert "Mutation au &lt;b&gt;SNA Nord&lt;/b&gt; &amp; logement à Lille.<br>Merci !" in message.body_html


REQUESTED_AT = datetime(2026, 11, 28, 6, 5, tzinfo=UTC)  # 17:05 in Nouméa, 07:05 in Paris


def test_an_email_to_an_agent_of_noumea_gives_noumea_time(cast, outbox):
    Agent.objects.filter(user=cast.karim).update(clas=Organisation.objects.get(slug="nouvelle-caledonie"))
    transfer = transfer_request(
        agent_id=cast.karim.agent.pk,
        destination=Organisation.objects.get(slug="nord"),
        reason="move",
        effective_date=date(2027, 1, 4),
        message="",
        actor=cast.karim,
    )
    Transfer.objects.filter(pk=transfer.pk).update(created_at=REQUESTED_AT)

    transfer_refuse(transfer_id=transfer.pk, destination=transfer.destination, actor=cast.chloe, reason="Pas de poste")

    message = outbox("karim@example.fr")[-1]
    assert "Demandé le : 28 novembre 2026 à 17:05 (heure de Nouméa)" in message.body_text
    assert "28 novembre 2026 à 17:05 (heure de Nouméa)" in message.body_html


def test_an_email_to_a_csr_in_paris_names_no_zone(cast, outbox):
    transfer = ask(cast)
    Transfer.objects.filter(pk=transfer.pk).update(created_at=REQUESTED_AT)
    transfer.refresh_from_db()

    rendered = message_render(
        template="transfer_requested",
        context={"transfer": transfer, "agent": transfer.agent, "review_url": "", "name": ""},
        organisation=transfer.destination,
        time_zone=time_zone_for(email="chloe@alpha-sierra.org"),
    )

    assert "Demandé le : 28 novembre 2026 à 07:05\n" in rendered.text
    assert "heure de" not in rendered.text
