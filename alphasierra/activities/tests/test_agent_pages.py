"""The agents' pages: each site's « Activités », an activity's page with the
household's request, « Mes inscriptions » and a request's page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from alphasierra.activities.models import CalendarFeed, Participant, Registration
from alphasierra.activities.services.registration import SELF, registration_cancel, registration_request
from alphasierra.activities.tests.agent_world import outing
from alphasierra.agents.models import Relative
from alphasierra.audit.models import AuditEvent
from alphasierra.demo import DEMO_PASSWORD
from alphasierra.testing import PortalClient, html_table, make_agents

pytestmark = pytest.mark.django_db


def logged_in(user) -> PortalClient:
    client = PortalClient()
    client.force_login(user)
    return client


def children_of(user) -> list[Relative]:
    return list(Relative.objects.filter(agent__user=user, kind="child").order_by("birth_date"))


def kids_outing(**fields):
    """The issue's outing: active agents and children aged 3 to 11 on the day."""
    return outing(for_retired=False, child_min_age=3, child_max_age=11, **fields)


def test_a_visitor_sees_what_the_site_offers_with_the_sign_up(client, cast):
    activity = outing()
    outing(state="draft", title="Brouillon secret")

    response = client.get("/sud-ouest/activites/")

    html = response.content.decode()
    assert response.status_code == 200
    assert activity.title in html
    assert "Brouillon secret" not in html
    assert 'href="/sud-ouest/inscription/"' in html


def test_the_description_is_markdown_shown_as_clean_html(client, cast):
    activity = outing(description="**Car** à 8 h <script>alert(1)</script> [plan](javascript:alert(2))")

    html = client.get(f"/sud-ouest/activites/{activity.pk}/").content.decode()

    assert "<strong>Car</strong>" in html
    assert "<script>alert(1)" not in html
    assert 'href="javascript' not in html


def test_alice_sees_the_outing_open_and_karim_does_not_see_it_on_his_site(cast):
    activity = outing()

    alice_page = logged_in(cast.alice).get("/sud-ouest/activites/").content.decode()
    karim_site = logged_in(cast.karim).get("/nord/activites/").content.decode()

    assert activity.title in alice_page
    assert "Inscriptions ouvertes" in alice_page
    assert activity.title not in karim_site


def test_an_agent_of_another_clas_is_told_why_not(cast):
    activity = outing()

    html = logged_in(cast.karim).get(f"/sud-ouest/activites/{activity.pk}/").content.decode()

    assert "Cette activité est réservée aux agents du CLAS Sud-Ouest." in html
    assert 'name="people"' not in html


def test_paul_awaiting_approval_is_told_his_registration_must_be_approved_first(cast):
    activity = outing()

    html = logged_in(cast.paul).get("/sud-ouest/activites/").content.decode()

    assert "Votre inscription doit d&#x27;abord être validée par votre CLAS." in html
    assert activity.title in html


def test_a_draft_is_not_found_and_an_activity_is_found_on_its_own_site_only(client, cast):
    draft = outing(state="draft")
    published = outing()

    assert client.get(f"/sud-ouest/activites/{draft.pk}/").status_code == 404
    assert client.get(f"/nord/activites/{published.pk}/").status_code == 404
    assert client.get(f"/sud-ouest/activites/{published.pk}/").status_code == 200


def test_each_person_shows_their_eligibility_and_the_reason_when_not(cast):
    # A month from now, Léa is 14 and Hugo 9: only Hugo goes.
    activity = kids_outing()
    day = timezone.localdate(activity.starts_at)
    Relative.objects.filter(agent__user=cast.alice, first_name="Léa").update(birth_date=day.replace(year=day.year - 14))
    Relative.objects.filter(agent__user=cast.alice, first_name="Hugo").update(birth_date=day.replace(year=day.year - 9))

    html = logged_in(cast.alice).get(f"/sud-ouest/activites/{activity.pk}/").content.decode()

    hugo, lea = sorted(children_of(cast.alice), key=lambda r: r.first_name)
    assert f'value="{hugo.pk}" id="id_people_' in html
    assert "Il faut avoir au plus 11 ans le jour du début." in html
    assert (
        f'value="{lea.pk}" id="id_people_2" disabled' in html or f'value="{lea.pk}" id="id_people_3" disabled' in html
    )


def test_the_total_is_shown_before_confirming_and_nothing_is_asked_before(cast):
    activity = kids_outing()
    hugo = children_of(cast.alice)[1]
    client = logged_in(cast.alice)

    response = client.post(
        f"/sud-ouest/activites/{activity.pk}/", {"people": [SELF, hugo.pk], "places": "famille", "step": "revoir"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "32,50" in html  # 20,00 € + 12,50 €
    assert "Confirmer ma demande" in html
    assert not Registration.objects.exists()


def test_confirming_makes_one_request_for_the_household(cast):
    activity = kids_outing()
    hugo = children_of(cast.alice)[1]
    client = logged_in(cast.alice)

    response = client.post(
        f"/sud-ouest/activites/{activity.pk}/", {"people": [SELF, hugo.pk], "places": "famille", "step": "confirmer"}
    )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/comptes/inscriptions/{registration.pk}/"
    assert registration.state == "confirmed"
    assert registration.accept_partial is False
    assert sorted(p.first_name for p in registration.participants.all()) == ["Alice", "Hugo"]


def test_an_ineligible_person_sent_anyway_gets_a_message_next_to_the_field(cast):
    activity = kids_outing()
    lea = next(r for r in children_of(cast.alice) if r.first_name == "Léa")

    response = logged_in(cast.alice).post(
        f"/sud-ouest/activites/{activity.pk}/", {"people": [SELF, lea.pk], "places": "famille", "step": "confirmer"}
    )

    assert response.status_code == 400
    assert "Léa ne peut pas participer" in response.content.decode()
    assert 'name="people" value="agent" id="id_people_0" checked' in response.content.decode()
    assert not Registration.objects.exists()


def test_nobody_chosen_is_a_french_message_next_to_the_field(cast):
    activity = outing()

    response = logged_in(cast.alice).post(f"/sud-ouest/activites/{activity.pk}/", {"places": "famille"})

    assert response.status_code == 400
    assert "Cochez au moins une personne qui participe." in response.content.decode()


def test_the_anonymous_are_sent_to_log_in_to_register(client, cast):
    activity = outing()

    response = client.post(f"/sud-ouest/activites/{activity.pk}/", {"people": [SELF], "step": "confirmer"})

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")
    assert not Registration.objects.exists()


def test_a_waiting_request_shows_its_position_and_never_registered(cast):
    activity = kids_outing(capacity=2)
    hugo = children_of(cast.alice)[1]
    registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF, hugo.pk], accept_partial=False, by=cast.alice
    )
    bruno = cast.bruno.agent
    waiting = registration_request(
        activity_id=activity.pk, agent=bruno, people=[SELF], accept_partial=False, by=cast.bruno
    )

    mine = logged_in(cast.bruno).get("/comptes/inscriptions/").content.decode()
    page = logged_in(cast.bruno).get(f"/comptes/inscriptions/{waiting.pk}/").content.decode()

    assert waiting.state == "waiting"
    assert "En attente — position 1" in mine
    assert "En attente — position 1" in page
    assert "première sur la liste d'attente" in page
    for html in (mine, page):
        assert "inscrit" not in html.lower().replace("mes inscriptions", "").replace("inscription", "")


def test_my_registrations_gathers_every_site_with_its_status(cast):
    here = outing(title="Sortie à Gavarnie")
    there = outing("aramis", title="Séjour ARAMIS")
    client = logged_in(cast.alice)
    client.get("/aramis/")  # ARAMIS knows Alice from her first visit
    registration_request(
        activity_id=here.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )
    theirs = registration_request(
        activity_id=there.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )
    registration_cancel(registration_id=theirs.pk, participant_ids=None, by=cast.alice)

    headers, rows = html_table(client.get("/comptes/inscriptions/").content.decode())

    assert headers == ["Activité", "État", "Date", "Participants"]
    states = {row[0].split(" ")[2]: row[1] for row in rows}
    assert states == {"Gavarnie": "Confirmée", "ARAMIS": "Annulée"}


def test_someone_else_s_request_is_not_found(cast):
    activity = outing()
    registration = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )

    karim = logged_in(cast.karim)

    assert karim.get(f"/comptes/inscriptions/{registration.pk}/").status_code == 404
    assert karim.post(f"/comptes/inscriptions/{registration.pk}/annuler/").status_code == 404
    assert Registration.objects.get().state == "confirmed"


def test_alice_cancels_one_child_and_the_waiting_household_is_offered_the_place(cast, outbox):
    activity = outing(capacity=3)
    hugo = children_of(cast.alice)[1]
    mine = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF, hugo.pk], accept_partial=False, by=cast.alice
    )
    (other,) = make_agents(1, activity.organisation, "approved", start=500)
    child = other.relatives.get()
    waiting = registration_request(
        activity_id=activity.pk, agent=other, people=[SELF, child.pk], accept_partial=False, by=other.user
    )
    assert waiting.state == "waiting"
    hugo_place = mine.participants.get(relative=hugo)

    response = logged_in(cast.alice).post(f"/comptes/inscriptions/{mine.pk}/annuler/", {"participant": hugo_place.pk})

    hugo_place.refresh_from_db()
    waiting.refresh_from_db()
    assert response.status_code == 302
    assert (hugo_place.state, hugo_place.ending) == ("cancelled", Participant.Ending.BY_AGENT)
    assert Registration.objects.get(pk=mine.pk).state == "confirmed"
    assert waiting.state == "offered"


def test_the_offer_is_accepted_in_one_click_from_the_request_page(cast, outbox):
    activity = outing(capacity=1)
    first = registration_request(
        activity_id=activity.pk, agent=cast.bruno.agent, people=[SELF], accept_partial=False, by=cast.bruno
    )
    waiting = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )
    registration_cancel(registration_id=first.pk, participant_ids=None, by=cast.bruno)
    waiting.refresh_from_db()
    assert waiting.state == "offered"
    link = f"/comptes/inscriptions/{waiting.pk}/"
    assert any(link in message.body_text for message in outbox(cast.alice.email))

    client = PortalClient()
    assert client.get(link)["Location"] == f"/comptes/login/?next={link}"
    login = client.post("/comptes/login/", {"login": cast.alice.email, "password": DEMO_PASSWORD, "next": link})
    page = client.get(login["Location"])
    response = client.post(f"{link}accepter/")

    waiting.refresh_from_db()
    assert login["Location"] == link
    assert "Accepter" in page.content.decode()
    assert response.status_code == 302
    assert waiting.state == "confirmed"


def test_releasing_the_offer_passes_the_places_on(cast):
    activity = outing(capacity=1)
    first = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )
    waiting = registration_request(
        activity_id=activity.pk, agent=cast.bruno.agent, people=[SELF], accept_partial=False, by=cast.bruno
    )
    registration_cancel(registration_id=first.pk, participant_ids=None, by=cast.alice)

    response = logged_in(cast.bruno).post(f"/comptes/inscriptions/{waiting.pk}/liberer/")

    waiting.refresh_from_db()
    assert response.status_code == 302
    assert waiting.state == "cancelled"


def test_cancelling_after_the_deadline_is_refused_with_a_message(cast):
    activity = outing()
    registration = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )
    type(activity).objects.filter(pk=activity.pk).update(
        registration_opens_at=timezone.now() - timedelta(days=3),
        registration_closes_at=timezone.now() - timedelta(days=1),
    )
    client = logged_in(cast.alice)

    page = client.get(f"/comptes/inscriptions/{registration.pk}/").content.decode()
    response = client.post(f"/comptes/inscriptions/{registration.pk}/annuler/", follow=True)

    assert "Annuler toute ma demande" not in page
    assert Registration.objects.get().state == "confirmed"
    assert response.redirect_chain[-1][0] == f"/comptes/inscriptions/{registration.pk}/"
    assert "fr-alert--warning" in response.content.decode()


def test_a_second_click_on_confirm_makes_no_second_request(cast):
    activity = outing()
    client = logged_in(cast.alice)
    review = client.post(
        f"/sud-ouest/activites/{activity.pk}/", {"people": [SELF], "places": "famille", "step": "revoir"}
    )
    html = review.content.decode()
    token = html.split('name="envoi_unique" value="')[-1].split('"')[0]
    data = {"people": [SELF], "places": "famille", "step": "confirmer", "envoi_unique": token}

    first = client.post(f"/sud-ouest/activites/{activity.pk}/", data)
    second = client.post(f"/sud-ouest/activites/{activity.pk}/", data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Registration.objects.count() == 1


def test_a_second_click_on_cancel_cancels_once(cast):
    activity = outing()
    registration = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )
    client = logged_in(cast.alice)
    html = client.get(f"/comptes/inscriptions/{registration.pk}/").content.decode()
    token = html.split('name="envoi_unique" value="')[-1].split('"')[0]

    client.post(f"/comptes/inscriptions/{registration.pk}/annuler/", {"envoi_unique": token})
    again = client.post(f"/comptes/inscriptions/{registration.pk}/annuler/", {"envoi_unique": token}, follow=True)

    assert "Ce formulaire a déjà été envoyé" in again.content.decode()
    assert Registration.objects.get().state == "cancelled"


def test_a_past_activity_shows_in_its_own_part_of_the_list(client, cast):
    start = timezone.now() - timedelta(days=10)
    old = outing(
        state="past",
        title="Sortie de l'an dernier",
        starts_at=start,
        registration_opens_at=start - timedelta(days=20),
        registration_closes_at=start - timedelta(days=2),
    )

    html = client.get("/sud-ouest/activites/").content.decode()

    assert "Activités passées" in html
    assert old.title.replace("'", "&#x27;") in html
    assert date.today().year >= 2026


def test_after_the_deadline_the_page_says_closed_and_a_request_is_refused(cast):
    activity = outing()
    type(activity).objects.filter(pk=activity.pk).update(
        registration_opens_at=timezone.now() - timedelta(days=3),
        registration_closes_at=timezone.now() - timedelta(minutes=1),
    )
    client = logged_in(cast.alice)

    page = client.get(f"/sud-ouest/activites/{activity.pk}/").content.decode()
    response = client.post(f"/sud-ouest/activites/{activity.pk}/", {"people": [SELF], "step": "confirmer"})

    assert "Les inscriptions sont closes." in page
    assert 'name="people"' not in page
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_a_partial_place_is_asked_for_when_chosen_and_the_first_people_go(cast):
    activity = outing(capacity=1)
    hugo = children_of(cast.alice)[1]

    logged_in(cast.alice).post(
        f"/sud-ouest/activites/{activity.pk}/",
        {"people": [SELF, hugo.pk], "places": "partielle", "step": "confirmer"},
    )

    registration = Registration.objects.get()
    people = {p.first_name: p.state for p in registration.participants.all()}
    assert registration.accept_partial is True
    assert people == {"Alice": "confirmed", "Hugo": "waiting"}
    assert registration.state == "waiting"  # never « inscrit » while Hugo waits


def offered_to_alice(cast) -> Registration:
    activity = outing(capacity=1)
    first = registration_request(
        activity_id=activity.pk, agent=cast.bruno.agent, people=[SELF], accept_partial=False, by=cast.bruno
    )
    waiting = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )
    registration_cancel(registration_id=first.pk, participant_ids=None, by=cast.bruno)
    waiting.refresh_from_db()
    assert waiting.state == "offered"
    return waiting


def form_token(client, url: str) -> str:
    return client.get(url).content.decode().split('name="envoi_unique" value="')[-1].split('"')[0]


@pytest.mark.parametrize("action", ["accepter", "liberer"])
def test_a_second_click_on_an_offer_answer_acts_once(cast, action):
    offered = offered_to_alice(cast)
    client = logged_in(cast.alice)
    token = form_token(client, f"/comptes/inscriptions/{offered.pk}/")

    client.post(f"/comptes/inscriptions/{offered.pk}/{action}/", {"envoi_unique": token})
    events = AuditEvent.objects.count()
    again = client.post(f"/comptes/inscriptions/{offered.pk}/{action}/", {"envoi_unique": token}, follow=True)

    offered.refresh_from_db()
    assert "Ce formulaire a déjà été envoyé" in again.content.decode()
    assert offered.state == ("confirmed" if action == "accepter" else "cancelled")
    assert AuditEvent.objects.count() == events


def test_a_second_click_on_a_new_calendar_address_makes_one(cast):
    client = logged_in(cast.alice)
    token = form_token(client, "/comptes/inscriptions/")

    client.post("/comptes/inscriptions/calendrier/nouvelle-adresse/", {"envoi_unique": token})
    nonce = CalendarFeed.objects.get(user=cast.alice).nonce
    again = client.post("/comptes/inscriptions/calendrier/nouvelle-adresse/", {"envoi_unique": token}, follow=True)

    assert "Ce formulaire a déjà été envoyé" in again.content.decode()
    assert CalendarFeed.objects.get(user=cast.alice).nonce == nonce
