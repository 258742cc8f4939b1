"""The managers' pages of their activities, through the test client as a browser sends them."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import timezone

from alphasierra.activities.models import Activity, Participant, Registration
from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.activities.tests.helpers import new_activity
from alphasierra.audit.models import AuditEvent
from alphasierra.audit.selectors import audit_about
from alphasierra.once.tests.forms import post_form
from alphasierra.organisations.models import Organisation, Role
from alphasierra.testing import make_agents, with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def sud_ouest(cast) -> Organisation:
    return Organisation.objects.get(slug="sud-ouest")


@pytest.fixture
def bruno(client: Client, cast) -> Client:
    client.force_login(cast.bruno)
    return client


def alice_family(cast, activity: Activity, by=None) -> Registration:
    """Alice and her younger child (Hugo, 11 on the day; Léa is too old)."""
    hugo = cast.alice.agent.relatives.get(first_name="Hugo")
    return registration_request(
        activity_id=activity.pk,
        agent=cast.alice.agent,
        people=[SELF, hugo.pk],
        accept_partial=False,
        by=by or cast.alice,
    )


def submit(client: Client, page: str, action: str, **values: object):
    """Open ``page``, fill its form to ``action`` as a browser would, send it
    (a list: the boxes ticked of a group)."""
    form = post_form(client.get(page).content.decode(), action)
    return client.post(action, {**form.data(), **values})


def test_the_list_shows_each_activity_with_its_places(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    alice_family(cast, activity)
    new_activity(Organisation.objects.get(slug="nord"), cast.nadia, title="Sortie du Nord")

    page = bruno.get("/sud-ouest/gestion/activites/").content.decode()

    assert "Sortie au Pic du Midi" in page
    assert "2 / 4" in page
    assert "Sortie du Nord" not in page


def test_creating_keeps_every_value_typed_when_something_is_wrong(bruno, cast):
    page = "/sud-ouest/gestion/activites/nouvelle/"
    response = submit(
        bruno,
        page,
        page,
        title="Journée ski",
        place="Peyragudes",
        starts_at="2036-02-10T09:00",
        ends_at="2036-02-09T17:00",
        registration_opens_at="2036-01-01T08:00",
        registration_closes_at="2036-02-01T20:00",
        capacity="20",
        price_agent="15",
        price_spouse="15",
        price_child="8.5",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "La fin doit venir après le début." in html
    assert 'value="Peyragudes"' in html
    assert 'value="2036-02-10T09:00"' in html
    assert not Activity.objects.exists()


def test_a_new_activity_is_a_draft_entered_in_paris_time(bruno, cast):
    page = "/sud-ouest/gestion/activites/nouvelle/"
    response = submit(
        bruno,
        page,
        page,
        title="Journée ski",
        place="Peyragudes",
        starts_at="2036-02-10T09:00",
        ends_at="2036-02-10T17:00",
        registration_opens_at="2036-01-01T08:00",
        registration_closes_at="2036-02-01T20:00",
        capacity="20",
        price_agent="15",
        price_spouse="15",
        price_child="8.50",
        statuses=["active", "retired"],
        employers=["dgac", "meteo_france"],
        admitted=["agent", "spouse", "children"],
    )

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sud-ouest/gestion/activites/{activity.pk}/"
    assert activity.state == "draft"
    assert activity.starts_at == datetime(2036, 2, 10, 8, tzinfo=UTC)
    assert (activity.for_active, activity.for_retired, activity.children_admitted) == (True, True, True)


def test_an_activity_of_papeete_is_entered_and_shown_in_papeete_time_and_francs(client, cast):
    manager = make_agents(1, Organisation.objects.get(slug="polynesie-francaise"), "approved", start=9000)[0].user
    Role.objects.create(
        user=manager, organisation=Organisation.objects.get(slug="polynesie-francaise"), kind="site_manager"
    )
    with_second_factor(manager)
    client.force_login(manager)
    page = "/polynesie-francaise/gestion/activites/nouvelle/"
    form_page = client.get(page).content.decode()
    assert "heure de Papeete" in form_page
    assert 'step="1"' in form_page

    refused = submit(client, page, page, title="Tour de l'île", place="Papeete", starts_at="2036-03-06T10:00",
                     ends_at="2036-03-06T16:00", registration_opens_at="2036-02-01T08:00",
                     registration_closes_at="2036-03-01T18:00", capacity="30", price_agent="1500.50",
                     price_spouse="1500", price_child="500")  # fmt: skip
    assert "Le franc Pacifique n&#x27;a pas de centimes" in refused.content.decode()

    submit(client, page, page, title="Tour de l'île", place="Papeete", starts_at="2036-03-06T10:00",
           ends_at="2036-03-06T16:00", registration_opens_at="2036-02-01T08:00",
           registration_closes_at="2036-03-01T18:00", capacity="30", price_agent="1500",
           price_spouse="1500", price_child="500")  # fmt: skip
    activity = Activity.objects.get()
    assert activity.starts_at == datetime(2036, 3, 6, 20, tzinfo=UTC)
    detail = client.get(f"/polynesie-francaise/gestion/activites/{activity.pk}/").content.decode()
    assert "6 mars 2036 à 10:00 (heure de Papeete)" in detail
    prices = detail.replace("\u202f", " ").replace("\xa0", " ")
    assert "agent 1 500 FCFP, conjoint 1 500 FCFP, enfant 500 FCFP" in prices


def test_editing_shows_the_times_as_entered_and_records_the_change(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    page = f"/sud-ouest/gestion/activites/{activity.pk}/modifier/"
    html = bruno.get(page).content.decode()
    local_start = timezone.localtime(activity.starts_at, timezone.get_default_timezone())
    assert f'value="{local_start:%Y-%m-%dT%H:%M}"' in html

    response = submit(bruno, page, page, place="Lourdes")

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.place == "Lourdes"
    assert AuditEvent.objects.filter(action="activity.updated", actor=cast.bruno).exists()


def test_the_capacity_cannot_go_below_the_places_taken(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    alice_family(cast, activity)
    page = f"/sud-ouest/gestion/activites/{activity.pk}/modifier/"

    response = submit(bruno, page, page, capacity="1")

    assert "2 places sont déjà attribuées" in response.content.decode()
    activity.refresh_from_db()
    assert activity.capacity == 4


def test_the_detail_lists_the_households_with_ages_and_totals_and_records_the_consultation(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno, capacity=2)
    alice_family(cast, activity)
    karim_like = make_agents(1, sud_ouest, "approved", start=7000)[0]
    child = karim_like.relatives.get()
    child.birth_date = activity.starts_at.date().replace(year=activity.starts_at.year - 6)
    child.save()
    registration_request(
        activity_id=activity.pk, agent=karim_like, people=[SELF, child.pk], accept_partial=False, by=cast.bruno
    )

    html = bruno.get(f"/sud-ouest/gestion/activites/{activity.pk}/").content.decode()

    assert "Hugo Martin — enfant, 11 ans" in html
    assert "Liste d'attente" in html
    assert "2 / 2" in html  # places confirmed
    assert "17,50\xa0€" in html  # 12,50 for Alice, 5,00 for Hugo
    event = AuditEvent.objects.get(action="activity.participants_viewed")
    assert set(event.included.values_list("pk", flat=True)) == {cast.alice.pk, karim_like.user_id}
    # Alice sees it in « who saw my data ».
    assert event in audit_about(cast.alice)


def test_publishing_closing_and_duplicating(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno, publish=False)
    detail = f"/sud-ouest/gestion/activites/{activity.pk}/"

    submit(bruno, detail, f"{detail}publier/")
    activity.refresh_from_db()
    assert activity.state == "published"
    submit(bruno, detail, f"{detail}clore/")
    activity.refresh_from_db()
    assert activity.state == "closed"
    response = submit(bruno, detail, f"{detail}dupliquer/")
    copy = Activity.objects.exclude(pk=activity.pk).get()
    assert response["Location"] == f"/sud-ouest/gestion/activites/{copy.pk}/modifier/"
    assert copy.state == "draft"


def test_each_action_form_does_its_work_once_however_many_times_it_is_sent(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno, publish=False)
    detail = f"/sud-ouest/gestion/activites/{activity.pk}/"
    html = bruno.get(detail).content.decode()
    duplicate = post_form(html, f"{detail}dupliquer/")
    publish = post_form(html, f"{detail}publier/")

    for _ in range(2):
        bruno.post(f"{detail}dupliquer/", duplicate.data())
        bruno.post(f"{detail}publier/", publish.data())

    assert Activity.objects.count() == 2
    assert AuditEvent.objects.filter(action="activity.published").count() == 1


def test_creating_twice_from_the_same_page_makes_one_activity(bruno, cast):
    page = "/sud-ouest/gestion/activites/nouvelle/"
    form = post_form(bruno.get(page).content.decode(), page)
    data = form.data(title="Journée ski", place="Peyragudes", starts_at="2036-02-10T09:00",
                     ends_at="2036-02-10T17:00", registration_opens_at="2036-01-01T08:00",
                     registration_closes_at="2036-02-01T20:00", capacity="20", price_agent="15",
                     price_spouse="15", price_child="8")  # fmt: skip

    first, second = bruno.post(page, data), bruno.post(page, data)

    assert Activity.objects.count() == 1
    assert second["Location"] == first["Location"]


def test_cancelling_needs_a_reason_and_tells_the_households(bruno, cast, sud_ouest, outbox):
    activity = new_activity(sud_ouest, cast.bruno)
    alice_family(cast, activity)
    page = f"/sud-ouest/gestion/activites/{activity.pk}/annuler/"

    refused = submit(bruno, page, page, reason="")
    assert "Indiquez le motif de l&#x27;annulation" in refused.content.decode()
    submit(bruno, page, page, reason="Le téléphérique est fermé.")

    activity.refresh_from_db()
    assert activity.state == "cancelled"
    assert [m for m in outbox(cast.alice.email) if "Activité annulée" in m.subject]
    assert bruno.get(page)["Location"] == f"/sud-ouest/gestion/activites/{activity.pk}/"


def test_a_manager_registers_a_household_by_phone(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    page = f"/sud-ouest/gestion/activites/{activity.pk}/ajouter/"
    found = bruno.get(page, {"q": "martin"}).content.decode()
    assert f'href="?agent={cast.alice.agent.pk}"' in found

    chosen = bruno.get(page, {"agent": cast.alice.agent.pk}).content.decode()
    assert "Léa Martin (enfant) —" in chosen  # too old, with the reason, and not tickable
    hugo = cast.alice.agent.relatives.get(first_name="Hugo")
    form = post_form(chosen, page)
    response = bruno.post(page, {**form.data(), "people": [SELF, str(hugo.pk)]})

    assert response.status_code == 302
    registration = Registration.objects.get(activity=activity)
    assert (registration.state, registration.requested_by) == ("confirmed", cast.bruno)
    assert registration.participants.count() == 2
    assert AuditEvent.objects.filter(action="agent.viewed", subject=cast.alice).exists()


def test_an_agent_of_another_clas_cannot_be_added(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)

    response = bruno.get(f"/sud-ouest/gestion/activites/{activity.pk}/ajouter/", {"agent": cast.karim.agent.pk})

    assert response.status_code == 404


def test_removing_one_person_with_a_reason(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    registration = alice_family(cast, activity)
    hugo = registration.participants.get(first_name="Hugo")
    page = f"/sud-ouest/gestion/activites/demandes/{registration.pk}/retirer/"
    form = post_form(bruno.get(page).content.decode(), page)

    response = bruno.post(page, {**form.data(), "participants": [str(hugo.pk)], "reason": "Dossier incomplet"})

    assert response.status_code == 302
    hugo.refresh_from_db()
    assert (hugo.state, hugo.ending) == (Participant.State.CANCELLED, Participant.Ending.REMOVED)
    assert registration.participants.get(kind="agent").state == "confirmed"


def test_the_exports_are_formula_safe_and_audited(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    registration = alice_family(cast, activity)
    registration.participants.filter(kind="child").update(first_name="=HYPERLINK(1)")

    csv = bruno.get(f"/sud-ouest/gestion/activites/{activity.pk}/participants.csv")
    xlsx = bruno.get(f"/sud-ouest/gestion/activites/{activity.pk}/participants.xlsx")

    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()
    assert "'=HYPERLINK(1)" in text
    assert "12,50" in text
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="activity.exported").count() == 2


def test_the_sign_in_sheet_lists_the_confirmed_people_by_name(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    alice_family(cast, activity)

    html = bruno.get(f"/sud-ouest/gestion/activites/{activity.pk}/emargement/").content.decode()

    assert "Feuille d'émargement" in html
    assert html.index(">Hugo<") > 0
    assert "as-signature" in html


@pytest.mark.parametrize(
    ("persona", "status"), [("alice", 403), ("chloe", 404), ("david", 404), ("karim", 403), ("nadia", 404)]
)
def test_only_the_site_managers_reach_the_activities(client, cast, persona, status):
    client.force_login(getattr(cast, persona))

    assert client.get("/sud-ouest/gestion/activites/").status_code == status


def test_a_social_correspondent_is_refused_the_activities_of_their_clas(client, cast):
    client.force_login(cast.chloe)

    assert client.get("/nord/gestion/activites/").status_code == 403


def test_an_association_manager_manages_the_association_s_activities(client, cast):
    activity = new_activity(Organisation.objects.get(slug="aramis"), cast.david)
    client.force_login(cast.david)

    assert client.get(f"/aramis/gestion/activites/{activity.pk}/").status_code == 200
    assert client.get(f"/unasacem/gestion/activites/{activity.pk}/").status_code == 404


def test_the_detail_reads_in_english(bruno, cast, sud_ouest):
    activity = new_activity(sud_ouest, cast.bruno)
    alice_family(cast, activity)
    bruno.cookies["django_language"] = "en"

    html = bruno.get(f"/sud-ouest/gestion/activites/{activity.pk}/").content.decode()

    assert "Sign-in sheet" in html
    assert ">published<" in html
    assert "Close registration" in html
    assert "Hugo Martin — child, 11 years old" in html
