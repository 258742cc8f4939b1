"""The iCalendar file of an activity and the personal feed of confirmed activities."""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from alphasierra.activities.calendars import feed_token
from alphasierra.activities.models import CalendarFeed
from alphasierra.activities.services.calendar import calendar_feed_renew
from alphasierra.activities.services.registration import SELF, registration_cancel, registration_request
from alphasierra.activities.tests.agent_world import outing
from alphasierra.audit.models import AuditEvent
from alphasierra.testing import PortalClient

pytestmark = pytest.mark.django_db

TAHITI = ZoneInfo("Pacific/Tahiti")


def tahiti_outing():
    starts = datetime(2036, 3, 6, 10, 0, tzinfo=TAHITI)
    return outing(
        "polynesie-francaise",
        title="Sortie lagon",
        starts_at=starts,
        ends_at=starts.replace(hour=16),
        registration_opens_at=datetime(2026, 1, 1, tzinfo=TAHITI),
        registration_closes_at=datetime(2036, 3, 1, tzinfo=TAHITI),
        price_agent=1500,
        price_spouse=1500,
        price_child=800,
    )


def test_an_activity_s_file_is_in_its_organisation_s_zone(client, cast):
    activity = tahiti_outing()

    response = client.get(f"/polynesie-francaise/activites/{activity.pk}/calendrier.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert "DTSTART;TZID=Pacific/Tahiti:20360306T100000" in text
    assert "DTEND;TZID=Pacific/Tahiti:20360306T160000" in text
    assert "BEGIN:VTIMEZONE" in text
    assert "TZID:Pacific/Tahiti" in text
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Sortie lagon"
    assert event.decoded("dtstart") == activity.starts_at
    assert str(event["uid"]).startswith(f"activite-{activity.pk}@")
    assert f"/polynesie-francaise/activites/{activity.pk}/" in str(event["url"])


def test_a_draft_has_no_file(client, cast):
    draft = outing(state="draft")

    assert client.get(f"/sud-ouest/activites/{draft.pk}/calendrier.ics").status_code == 404


def test_the_feed_holds_the_confirmed_activities_only(client, cast):
    confirmed = outing(title="Confirmée")
    cancelled = outing(title="Annulée ensuite")
    registration_request(
        activity_id=confirmed.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )
    gone = registration_request(
        activity_id=cancelled.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )
    registration_cancel(registration_id=gone.pk, participant_ids=None, by=cast.alice)
    feed = calendar_feed_renew(user=cast.alice)

    response = client.get(f"/comptes/inscriptions/calendrier/{cast.alice.pk}/{feed_token(feed)}.ics")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    summaries = [str(e["summary"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]
    assert summaries == ["Confirmée"]
    assert "TZID=Europe/Paris" in response.content.decode()


def test_a_wrong_or_old_address_is_not_found(client, cast):
    feed = calendar_feed_renew(user=cast.alice)
    old = f"/comptes/inscriptions/calendrier/{cast.alice.pk}/{feed_token(feed)}.ics"

    calendar_feed_renew(user=cast.alice)

    assert client.get(old).status_code == 404
    assert client.get(f"/comptes/inscriptions/calendrier/{cast.karim.pk}/{feed_token(feed)}.ics").status_code == 404
    assert client.get(f"/comptes/inscriptions/calendrier/{cast.alice.pk}/0000.ics").status_code == 404


def test_the_address_is_a_keyed_hash_of_the_nonce_not_the_nonce(cast):
    feed = calendar_feed_renew(user=cast.alice)

    assert feed.nonce not in feed_token(feed)
    assert len(feed_token(feed)) == 64


def test_the_button_makes_a_new_address_and_is_audited(cast):
    client = PortalClient()
    client.force_login(cast.alice)

    first = client.post("/comptes/inscriptions/calendrier/nouvelle-adresse/")
    token = feed_token(CalendarFeed.objects.get(user=cast.alice))
    page = client.get("/comptes/inscriptions/").content.decode()
    client.post("/comptes/inscriptions/calendrier/nouvelle-adresse/")

    assert first.status_code == 302
    assert f"/comptes/inscriptions/calendrier/{cast.alice.pk}/{token}.ics" in page
    assert feed_token(CalendarFeed.objects.get(user=cast.alice)) != token
    assert list(
        AuditEvent.objects.filter(actor=cast.alice, action__startswith="activity.calendar")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["activity.calendar_created", "activity.calendar_renewed"]


def test_the_pacific_page_shows_local_time_with_its_zone_and_whole_francs(client, cast):
    activity = tahiti_outing()

    html = client.get(f"/polynesie-francaise/activites/{activity.pk}/").content.decode()

    assert "6 mars 2036 à 10:00 (heure de Papeete)" in html
    plain = html.replace("\u202f", " ").replace("\xa0", " ")
    assert "Agent : 1 500 FCFP" in plain
    assert "Enfant : 800 FCFP" in plain
    assert "1 500,00" not in plain
