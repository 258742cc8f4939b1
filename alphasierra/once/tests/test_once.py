"""How the one-time token behaves: what comes back to the person keeps what
they typed, what was done is done once, what cannot be trusted does nothing."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.tests.test_concurrency import race
from alphasierra.once.models import SpentFormToken
from alphasierra.once.services import FIELD, TOKEN_MAX_AGE, form_token_new, form_token_purge
from alphasierra.once.tests.forms import post_form
from alphasierra.once.tests.test_forms import ALREADY_SENT, effects

EDIT = "/comptes/mon-compte/modifier/"
FAMILY = "/comptes/mon-compte/famille/"


def child_row(**values: str) -> dict[str, str]:
    row = {"kind": "child", "last_name": "Martin", "first_name": "Zoé", "birth_date": "2019-04-02", **values}
    return {f"famille-3-{name}": value for name, value in row.items()}


@pytest.mark.django_db
def test_a_form_sent_back_with_errors_keeps_what_was_typed_each_time(client, cast):
    client.force_login(cast.alice)
    data = post_form(client.get(EDIT).content.decode(), EDIT).data(postal_code="99999", city="Labège")

    first = client.post(EDIT, data)
    second = client.post(EDIT, data)  # a double click: the browser shows this one

    for response in (first, second):
        body = response.content.decode()
        assert response.status_code == 200
        assert 'value="Labège"' in body
        assert 'id="id_postal_code-desc-error"' in body
    # The page sent back carries a fresh token, which does the work once corrected.
    fixed = post_form(second.content.decode(), EDIT).data(postal_code="31670")
    assert fixed[FIELD] != data[FIELD]
    assert client.post(EDIT, fixed).status_code == 302
    assert client.post(EDIT, fixed).status_code == 302
    assert Agent.objects.get(user=cast.alice).city == "Labège"
    assert SpentFormToken.objects.count() == 1


@pytest.mark.django_db
def test_adding_a_row_twice_keeps_the_typing_and_adds_one_row(client, cast):
    Agent.objects.filter(user=cast.alice).update(children_count=3)
    client.force_login(cast.alice)
    data = post_form(client.get(FAMILY).content.decode(), FAMILY).data(
        "ajouter_ligne", **{"famille-0-first_name": "Jo"}
    )
    rows = int(data["famille-TOTAL_FORMS"])

    first = client.post(FAMILY, data)
    second = client.post(FAMILY, data)

    for response in (first, second):
        body = response.content.decode()
        assert response.status_code == 200
        assert f'name="famille-{rows}-first_name"' in body
        assert f'name="famille-{rows + 1}-first_name"' not in body
        assert 'value="Jo"' in body
    assert Relative.objects.filter(agent__user=cast.alice).count() == 3


@pytest.mark.django_db
def test_a_form_left_open_too_long_does_nothing_and_says_so(client, cast, monkeypatch):
    client.force_login(cast.alice)
    data = post_form(client.get(EDIT).content.decode(), EDIT).data(city="Muret")
    issued = time.time() - TOKEN_MAX_AGE.total_seconds() - 60
    with monkeypatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: issued)
        data[FIELD] = form_token_new(page=EDIT)
    before = effects()

    response = client.post(EDIT, data)

    assert response.status_code == 302
    assert response.headers["Location"] == EDIT
    assert effects() == before
    assert "ouverte depuis trop longtemps" in client.get(EDIT).content.decode()


@pytest.mark.django_db
def test_a_token_the_portal_did_not_issue_is_refused(client, cast):
    client.force_login(cast.alice)
    data = post_form(client.get(EDIT).content.decode(), EDIT).data(city="Muret")
    before = effects()

    response = client.post(EDIT, {**data, FIELD: data[FIELD][:-2] + "xx"})

    assert response.status_code == 400
    assert effects() == before
    assert not SpentFormToken.objects.exists()


@pytest.mark.django_db
def test_a_refused_person_spends_nothing_and_changes_nothing(client, cast):
    paul = cast.paul.agent
    client.force_login(cast.bruno)
    page = client.get(f"/sud-ouest/gestion/inscriptions/{paul.pk}/").content.decode()
    data = post_form(page, f"/sud-ouest/gestion/inscriptions/{paul.pk}/valider/").data()
    before = effects()
    karim = Client()
    karim.force_login(cast.karim)

    response = karim.post(f"/sud-ouest/gestion/inscriptions/{paul.pk}/valider/", data)

    assert response.status_code == 403
    assert effects() == before
    assert not SpentFormToken.objects.exists()
    # Bruno's own click still works.
    assert client.post(f"/sud-ouest/gestion/inscriptions/{paul.pk}/valider/", data).status_code == 302
    assert Agent.objects.get(pk=paul.pk).state == Agent.State.APPROVED


@pytest.mark.django_db
def test_the_daily_purge_forgets_only_tokens_past_their_age():
    SpentFormToken.objects.create(token="old", spent_at=timezone.now() - TOKEN_MAX_AGE - timedelta(minutes=1))
    SpentFormToken.objects.create(token="recent", spent_at=timezone.now() - TOKEN_MAX_AGE + timedelta(minutes=1))

    assert form_token_purge() == 1

    assert list(SpentFormToken.objects.values_list("token", flat=True)) == ["recent"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two requests writing at once need a server database (PostgreSQL)"
)
def test_two_submissions_at_the_same_moment_add_one_child(cast):
    Agent.objects.filter(user=cast.alice).update(children_count=3)
    browser = Client()
    browser.force_login(cast.alice)
    page = browser.get(FAMILY).content.decode()
    with_row = browser.post(FAMILY, post_form(page, FAMILY).data("ajouter_ligne"))
    data = post_form(with_row.content.decode(), FAMILY).data("enregistrer", **child_row())
    answers: list[int] = []

    def send() -> None:
        tab = Client()
        tab.cookies = browser.cookies
        answers.append(tab.post(FAMILY, data).status_code)

    assert race(send, send) == ["done", "done"]

    assert answers == [302, 302]
    assert Relative.objects.filter(agent__user=cast.alice, first_name="Zoé").count() == 1
    assert ALREADY_SENT in browser.get("/comptes/mon-compte/").content.decode()
