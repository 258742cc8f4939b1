"""The e-mails of a request, read from the outbox: what each says, in the
household's time zone and the organisation's currency."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from alphasierra.activities.services.registration import SELF, registration_cancel, registration_request
from alphasierra.activities.tests.making import activity_make, households
from alphasierra.agents.models import Relative

pytestmark = pytest.mark.django_db


def test_alice_is_told_who_is_confirmed_at_which_price(cast, outbox):
    activity = activity_make(title="Sortie <au> zoo")
    hugo = Relative.objects.get(agent=cast.alice.agent, first_name="Hugo")

    registration = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF, hugo.pk], accept_partial=False, by=cast.alice
    )

    message = outbox("alice@example.fr")[-1]
    assert message.subject == "[CLAS Sud-Ouest] Inscription confirmée : Sortie <au> zoo"
    text = message.body_text
    assert text.startswith("Bonjour Madame Alice Martin,")
    assert "- Alice Martin (12,50\xa0€)\n- Hugo Martin (5,00\xa0€)" in text
    assert "Lieu : Zoo de Plaisance-du-Touch" in text
    assert "Votre demande : http://" in text or "Votre demande : https://" in text
    assert "/comptes/inscriptions/" in text
    assert registration.pk
    assert "Sortie &lt;au&gt; zoo" in message.body_html


def test_a_waiting_household_reads_its_position_and_never_that_it_is_registered(cast, outbox):
    activity = activity_make(capacity=1)
    first, second = households(2)
    registration_request(activity_id=activity.pk, agent=first, people=[SELF], accept_partial=False, by=first.user)

    registration_request(activity_id=activity.pk, agent=second, people=[SELF], accept_partial=False, by=second.user)

    message = outbox(second.user.email)[-1]
    assert message.subject == "[CLAS Sud-Ouest] Liste d'attente : Sortie au zoo"
    assert "sur la liste d'attente, en position 1. Elle n'est pas encore une inscription." in message.body_text
    assert "confirmée" not in message.subject.lower()


def test_the_offer_names_its_deadline_in_the_households_zone_and_links_to_the_request(cast, outbox):
    tahiti = ZoneInfo("Pacific/Tahiti")
    activity = activity_make(
        "polynesie-francaise",
        title="Tour de l'île",
        capacity=1,
        starts_at=datetime(2036, 3, 6, 10, 0, tzinfo=tahiti),
        ends_at=datetime(2036, 3, 6, 16, 0, tzinfo=tahiti),
        registration_closes_at=datetime(2036, 3, 1, 12, 0, tzinfo=tahiti),
        price_agent=Decimal(1500),
        price_child=Decimal(750),
    )
    holder, waiting = households(2, "polynesie-francaise")
    held = registration_request(
        activity_id=activity.pk, agent=holder, people=[SELF], accept_partial=False, by=holder.user
    )
    registration_request(activity_id=activity.pk, agent=waiting, people=[SELF], accept_partial=False, by=waiting.user)

    registration_cancel(registration_id=held.pk, participant_ids=None, by=holder.user)

    confirmed = outbox(holder.user.email)[0].body_text
    assert "Du : 6 mars 2036 à 10:00 (heure de Papeete)" in confirmed
    assert "(1\u202f500\xa0FCFP)" in confirmed  # francs Pacifique: no decimals
    offer = outbox(waiting.user.email)[-1]
    assert offer.subject == "[CLAS Polynésie française] Des places vous sont proposées : Tour de l'île"
    until = (held.created_at + timedelta(hours=48)).astimezone(tahiti)
    assert f"Acceptez-les avant le {until.day}" in offer.body_text
    assert "(heure de Papeete)" in offer.body_text
    assert "Accepter ou libérer les places : http" in offer.body_text
