"""« Télécharger mes données » holds the household's requests for activities."""

import io
import json
import zipfile

import pytest

from alphasierra.activities.services.registration import SELF, registration_cancel, registration_request
from alphasierra.activities.tests.making import activity_make
from alphasierra.agents.models import Relative

pytestmark = pytest.mark.django_db


def test_the_download_holds_each_request_its_people_and_who_did_what(client, cast):
    activity = activity_make("sud-ouest", title="Journée au Pic du Midi")
    lea = Relative.objects.get(agent=cast.alice.agent, first_name="Léa")
    registration = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF, lea.pk], accept_partial=False, by=cast.bruno
    )
    registration_cancel(
        registration_id=registration.pk,
        participant_ids=[registration.participants.get(first_name="Léa").pk],
        by=cast.bruno,
        reason="Pas de place dans le car",
    )
    client.force_login(cast.alice)

    archive = zipfile.ZipFile(io.BytesIO(client.get("/comptes/mon-compte/mes-donnees.zip").content))

    [request] = json.loads(archive.read("mes-donnees.json"))["activites"]
    assert request["activity"] == "Journée au Pic du Midi"
    assert request["site"] == "CLAS Sud-Ouest"
    assert request["state"] == "confirmed"
    assert request["requested_by"] == "Bruno Lambert"
    assert request["starts_at"]
    alice, lea_there = request["participants"]
    assert (alice["first_name"], alice["state"], alice["ended_by"]) == ("Alice", "confirmed", "")
    assert (lea_there["first_name"], lea_there["state"], lea_there["ending"]) == ("Léa", "cancelled", "removed")
    assert lea_there["ending_reason"] == "Pas de place dans le car"
    assert lea_there["ended_by"] == "Bruno Lambert"
    table = archive.read("activites.csv").decode("utf-8-sig")
    assert "Journée au Pic du Midi" in table
    assert "Pas de place dans le car" in table
