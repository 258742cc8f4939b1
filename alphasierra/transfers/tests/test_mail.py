"""The e-mails of a transfer request, read from the outbox."""

from datetime import date

import pytest

from alphasierra.organisations.models import Organisation, Role
from alphasierra.transfers.services import transfer_request

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
