"""Each of the managers' forms, sent twice (a double click, a page sent
again), does its work once."""

import pytest
from django.test import Client

from alphasierra.activities.models import Activity, Registration
from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.activities.tests.helpers import new_activity
from alphasierra.audit.models import AuditEvent
from alphasierra.mail.models import OutboxMessage
from alphasierra.once.tests.forms import post_form
from alphasierra.organisations.models import Organisation
from alphasierra.testing import make_agents

pytestmark = pytest.mark.django_db


def twice(client: Client, page: str, action: str, **values: object) -> None:
    form = post_form(client.get(page).content.decode(), action)
    data = {**form.data(), **values}
    first = client.post(action, data)
    second = client.post(action, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]


@pytest.fixture
def setting(client: Client, cast):
    client.force_login(cast.bruno)
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    activity = new_activity(sud_ouest, cast.bruno)
    return client, activity, f"/sud-ouest/gestion/activites/{activity.pk}/"


def test_editing_twice(setting, cast):
    client, _activity, detail = setting
    twice(client, f"{detail}modifier/", f"{detail}modifier/", place="Lourdes", capacity="5")

    assert AuditEvent.objects.filter(action="activity.updated").count() == 1


def test_closing_twice(setting):
    client, _activity, detail = setting
    twice(client, detail, f"{detail}clore/")

    assert AuditEvent.objects.filter(action="activity.closed").count() == 1


def test_cancelling_twice_sends_each_household_one_e_mail(setting, cast):
    client, activity, detail = setting
    registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )

    twice(client, f"{detail}annuler/", f"{detail}annuler/", reason="Tempête")

    assert OutboxMessage.objects.filter(to_email=cast.alice.email, subject__contains="Activité annulée").count() == 1


def test_registering_a_household_twice_makes_one_request(setting):
    client, activity, detail = setting
    agent = make_agents(1, activity.organisation, "approved", start=8100)[0]
    page = f"{detail}ajouter/?agent={agent.pk}"

    twice(client, page, f"{detail}ajouter/", people=[SELF])

    assert Registration.objects.filter(activity=activity, agent=agent).count() == 1


def test_removing_twice_removes_once(setting, cast):
    client, activity, _detail = setting
    registration = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF], accept_partial=False, by=cast.alice
    )
    page = f"/sud-ouest/gestion/activites/demandes/{registration.pk}/retirer/"

    twice(client, page, page, reason="Doublon")

    assert AuditEvent.objects.filter(action="activity.participant_removed").count() == 1
    assert Activity.objects.get(pk=activity.pk).registrations.get().state == "cancelled"
