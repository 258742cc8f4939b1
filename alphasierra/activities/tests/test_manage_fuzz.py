"""Hypothesis drives the managers' forms of the activities with hostile input
(the strategies of ``tests/test_fuzz``): never a 500, a French message next
to the field when refused and nothing stored then, and what is stored comes
back escaped, on the pages and in the e-mails."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from alphasierra.activities.models import Activity, Registration
from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.activities.tests.helpers import new_activity
from alphasierra.mail.models import OutboxMessage
from alphasierra.markdown import markdown_html
from alphasierra.organisations.models import Organisation
from alphasierra.tests.test_fuzz import FUZZ, SHOWN, assert_shown_escaped, rolled_back

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Journée ski",
    "description": "Départ **8 h**",
    "place": "Peyragudes",
    "starts_at": "2027-02-10T09:00",
    "ends_at": "2027-02-10T17:00",
    "registration_opens_at": "2027-01-01T08:00",
    "registration_closes_at": "2027-02-01T20:00",
    "capacity": "20",
    "price_agent": "15",
    "price_spouse": "15",
    "price_child": "8.50",
    "statuses": ["active", "retired"],
    "employers": ["dgac"],
    "admitted": ["agent", "children"],
    "child_min_age": "3",
    "child_max_age": "11",
}


@FUZZ
@given(field=st.sampled_from(list(VALID)), value=SHOWN)
@example(field="description", value="\x1f")
def test_the_activity_form_survives_anything_and_shows_it_escaped(client, cast, field, value):
    client.force_login(cast.bruno)
    with rolled_back():
        response = client.post("/sud-ouest/gestion/activites/nouvelle/", {**VALID, field: value})

        assert response.status_code in (200, 302)
        body = response.content.decode()
        if response.status_code == 200:
            assert not Activity.objects.exists()
            assert "fr-message--error" in body or "fr-alert--error" in body
            assert_shown_escaped(body, value)
        else:
            activity = Activity.objects.get()
            detail = client.get(f"/sud-ouest/gestion/activites/{activity.pk}/").content.decode()
            if field == "description":
                # Markdown: the page shows what the sanitiser made of the text
                # kept (test_markdown.py proves the sanitiser); the form strips
                # the ends as Python does, control characters \x1c-\x1f included.
                assert activity.description == value.strip()
                assert markdown_html(activity.description) in detail
            else:
                assert_shown_escaped(detail, value)
            if field == "title":
                listing = client.get("/sud-ouest/gestion/activites/").content.decode()
                assert_shown_escaped(listing, value)


@FUZZ
@given(reason=SHOWN)
def test_the_cancellation_reason_reaches_the_households_escaped(client, cast, reason):
    client.force_login(cast.bruno)
    with rolled_back():
        activity = new_activity(Organisation.objects.get(slug="sud-ouest"), cast.bruno)
        registration_request(
            activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
        )
        response = client.post(f"/sud-ouest/gestion/activites/{activity.pk}/annuler/", {"reason": reason})

        assert response.status_code in (200, 302)
        activity.refresh_from_db()
        sent = OutboxMessage.objects.filter(to_email=cast.alice.email, subject__contains="Activité annulée")
        if response.status_code == 200:
            assert activity.state == "published"
            assert not sent.exists()
            assert_shown_escaped(response.content.decode(), reason)
        else:
            assert activity.state == "cancelled"
            [message] = sent
            assert_shown_escaped(message.body_html, reason)
            assert_shown_escaped(client.get(f"/sud-ouest/gestion/activites/{activity.pk}/").content.decode(), reason)


@FUZZ
@given(field=st.sampled_from(["participants", "reason"]), value=SHOWN)
def test_the_removal_form_survives_anything(client, cast, field, value):
    client.force_login(cast.bruno)
    with rolled_back():
        activity = new_activity(Organisation.objects.get(slug="sud-ouest"), cast.bruno)
        registration = registration_request(
            activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
        )
        participant = registration.participants.get()
        data = {"participants": [str(participant.pk)], "reason": "Doublon", field: value}
        response = client.post(f"/sud-ouest/gestion/activites/demandes/{registration.pk}/retirer/", data)

        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert Registration.objects.get(pk=registration.pk).state == "confirmed"
            assert_shown_escaped(response.content.decode(), value)


@FUZZ
@given(field=st.sampled_from(["q", "agent", "people", "accept_partial"]), value=SHOWN)
def test_registering_a_household_by_hand_survives_anything(client, cast, field, value):
    client.force_login(cast.bruno)
    with rolled_back():
        activity = new_activity(Organisation.objects.get(slug="sud-ouest"), cast.bruno)
        url = f"/sud-ouest/gestion/activites/{activity.pk}/ajouter/"
        search = client.get(url, {field: value})
        assert search.status_code in (200, 404)
        if field == "q":  # the one value the page echoes
            assert_shown_escaped(search.content.decode(), value)
        response = client.post(url, {"agent": str(cast.alice.agent.pk), "people": [SELF], field: value})

        assert response.status_code in (200, 302, 404)
        if response.status_code != 302:
            assert not Registration.objects.filter(activity=activity).exists()


@FUZZ
@given(field=st.sampled_from(["etat", "page"]), value=SHOWN)
def test_the_list_of_activities_survives_any_filter(client, cast, field, value):
    client.force_login(cast.bruno)
    response = client.get("/sud-ouest/gestion/activites/", {field: value})

    assert response.status_code == 200
    # A state not in the list is named in its error message; a page number is never echoed.
    assert_shown_escaped(response.content.decode(), value if field == "etat" else "")
