"""The data migration of the transfers app, run on transfers made before it."""

import datetime

import pytest

from alphasierra.tests.migrating import migrated_back
from alphasierra.transfers.models import Transfer

pytestmark = pytest.mark.django_db(transaction=True)


def test_0002_transfer_agent_name_gives_the_transfers_already_made_their_agent_name():
    with migrated_back("transfers", "0002_transfer_agent_name") as run:
        organisation = run.apps.get_model("organisations", "Organisation")
        transfer = run.apps.get_model("transfers", "Transfer")
        origin, destination = (
            organisation.objects.create(kind="clas", slug=slug, name=f"CLAS {slug}", short_name=slug)
            for slug in ("essai-depart", "essai-arrivee")
        )
        for last_name, first_name, state in [("Martin", "Alice", "accepted"), ("Benali", "Karim", "pending")]:
            transfer.objects.create(
                agent=run.agent_make(
                    clas=origin, last_name=last_name, first_name=first_name, email=f"{first_name.lower()}@example.fr"
                ),
                origin=origin,
                destination=destination,
                reason="move",
                effective_date=datetime.date(2026, 9, 1),
                state=state,
            )

        run.forward()

    assert sorted(Transfer.objects.values_list("agent_name", "state")) == [
        ("Benali Karim", "pending"),
        ("Martin Alice", "accepted"),
    ]
