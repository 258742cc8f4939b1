"""Garbled family forms and the rules of a whole family, on the three pages
that edit one: the sign-up, « Mon compte » and the register."""

import re

import pytest

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.services.family import FamilyRow, FamilyRuleError, agent_family_update
from alphasierra.agents.services.register import CORRECTABLE_FIELDS, agent_update
from alphasierra.agents.services.signup import RelativeDetails, agent_register
from alphasierra.agents.tests.test_views import SIGNUP, field_errors, signup_data
from alphasierra.audit.models import AuditEvent
from alphasierra.demo import _details
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db

GARBLED = "Le formulaire reçu était incomplet ou altéré"
MY_FAMILY = "/comptes/mon-compte/famille/"


def family_snapshot(agent: Agent) -> list[tuple[str, str, str]]:
    return sorted(agent.relatives.values_list("kind", "last_name", "first_name"))


def register_family(cast) -> str:
    return f"/sud-ouest/gestion/agents/{cast.alice.agent.pk}/famille/"


@pytest.fixture
def bruno(client, cast):
    client.force_login(cast.bruno)
    return client


@pytest.fixture
def alice(client, cast):
    client.force_login(cast.alice)
    return client


# Sign-up


@pytest.mark.parametrize("total", ["abc", "1e3", "-1", "99999", ""])
@pytest.mark.parametrize("button", ["ajouter_enfant", "envoyer"])
def test_a_garbled_children_count_on_the_sign_up_keeps_what_was_typed(client, total, button):
    data = signup_data(
        city="Colomiers",
        **{
            "enfants-TOTAL_FORMS": total,
            "enfants-0-last_name": "N'Diaye",
            "enfants-0-first_name": "Awa",
            button: "1",
        },
    )

    response = client.post(SIGNUP, data)

    assert response.status_code == 200
    body = response.content.decode()
    assert GARBLED in body
    assert 'value="Colomiers"' in body
    assert 'name="enfants-0-first_name" value="Awa"' in body
    assert 'name="enfants-TOTAL_FORMS" value="1"' in body
    assert not User.objects.filter(email="elodie@example.fr").exists()


def test_rows_beyond_the_limit_are_not_read(client):
    data = signup_data(**{"enfants-TOTAL_FORMS": "5000", "enfants-4999-first_name": "Awa"})

    response = client.post(SIGNUP, data)

    body = response.content.decode()
    assert response.status_code == 200
    assert GARBLED in body
    assert 'name="enfants-TOTAL_FORMS" value="30"' in body
    assert len(re.findall(r'name="enfants-\d+-first_name"', body)) == 30
    assert not User.objects.filter(email="elodie@example.fr").exists()


def test_the_sign_up_service_refuses_more_children_than_declared(cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    details = _details("Diaye", "Awa", children_count=1)
    details = details.__class__(**{**details.__dict__, "children": [_child("Sami"), _child("Lina")]})

    with pytest.raises(FamilyRuleError) as error:
        agent_register(clas=sud_ouest, email="awa@example.fr", password="x" * 20, details=details, request=None)

    assert error.value.code == "children_count_too_low"
    assert error.value.field == "children_count"
    assert "inférieur au nombre d'enfants indiqués (2)" in error.value.messages[0]
    assert not User.objects.filter(email="awa@example.fr").exists()


def _child(first_name: str) -> RelativeDetails:
    return RelativeDetails("Diaye", first_name)


# « Mon compte » and the register: the same editor


def new_row(kind: str, first_name: str) -> dict[str, str]:
    return {
        "famille-TOTAL_FORMS": "1",
        "famille-INITIAL_FORMS": "0",
        "famille-0-kind": kind,
        "famille-0-last_name": "Martin",
        "famille-0-first_name": first_name,
    }


@pytest.mark.parametrize("who", ["alice", "bruno"])
def test_adding_a_row_brings_the_person_back_to_the_new_row(request, cast, who):
    client = request.getfixturevalue(who)
    url = MY_FAMILY if who == "alice" else register_family(cast)
    data = {**new_row("child", "Hugo"), "famille-TOTAL_FORMS": "2", "ajouter_ligne": "1"}

    body = client.post(url, data).content.decode()

    assert len(re.findall(r'<fieldset class="fr-fieldset fr-mb-2w"', body)) == 3
    assert re.search(r'<select[^>]*name="famille-2-kind"[^>]*autofocus', body)
    assert len(re.findall(r"\bautofocus\b", body)) == 1
    assert 'name="famille-0-first_name" value="Hugo"' in body


@pytest.mark.parametrize("who", ["alice", "bruno"])
def test_the_family_errors_are_summed_up_at_the_top_with_links(request, cast, who):
    client = request.getfixturevalue(who)
    url = MY_FAMILY if who == "alice" else register_family(cast)
    data = {**new_row("child", ""), "enregistrer": "1"}

    body = client.post(url, data).content.decode()

    summary = re.search(r'id="erreurs" autofocus>(.*?)</div>', body, re.S)
    assert summary is not None
    assert re.findall(r'<a href="([^"]+)">', summary.group(1)) == ["#id_famille-0-first_name"]
    assert "Membre 1 — Prénom : " in summary.group(1)


@pytest.mark.parametrize("total", ["abc", "1e3", "99999"])
@pytest.mark.parametrize("button", ["ajouter_ligne", "enregistrer"])
@pytest.mark.parametrize("who", ["alice", "bruno"])
def test_a_garbled_family_form_is_shown_again_with_a_message(request, cast, who, button, total):
    client = request.getfixturevalue(who)
    url = MY_FAMILY if who == "alice" else register_family(cast)
    before = family_snapshot(cast.alice.agent)
    data = {**new_row("child", "Hugo"), "famille-TOTAL_FORMS": total, button: "1"}

    response = client.post(url, data)

    assert response.status_code == 200
    body = response.content.decode()
    assert GARBLED in body
    assert 'name="famille-0-first_name" value="Hugo"' in body
    assert family_snapshot(cast.alice.agent) == before


@pytest.mark.parametrize("who", ["alice", "bruno"])
def test_a_second_spouse_is_refused_even_when_the_first_is_left_out_of_the_form(request, cast, who):
    client = request.getfixturevalue(who)
    url = MY_FAMILY if who == "alice" else register_family(cast)
    before = family_snapshot(cast.alice.agent)
    events = AuditEvent.objects.count()

    response = client.post(url, {**new_row("spouse", "Paulette"), "enregistrer": "1"})

    assert response.status_code == 200
    assert "Un seul conjoint peut être indiqué." in response.content.decode()
    assert 'value="Paulette"' in response.content.decode()
    assert family_snapshot(cast.alice.agent) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("who", ["alice", "bruno"])
def test_no_more_children_than_declared_even_when_the_others_are_left_out(request, cast, who):
    client = request.getfixturevalue(who)
    url = MY_FAMILY if who == "alice" else register_family(cast)
    before = family_snapshot(cast.alice.agent)

    response = client.post(url, {**new_row("child", "Hugo"), "enregistrer": "1"})

    assert response.status_code == 200
    assert "La famille compterait 3 enfants alors que 2 sont déclarés" in response.content.decode()
    assert family_snapshot(cast.alice.agent) == before


def test_the_spouse_can_still_be_replaced_in_one_form(cast):
    agent = cast.alice.agent
    spouse = agent.relatives.get(kind="spouse")
    sud_ouest = Organisation.objects.get(slug="sud-ouest")

    agent_family_update(
        agent_id=agent.pk,
        clas=sud_ouest,
        actor=cast.alice,
        rows=[
            FamilyRow(kind="spouse", last_name="Martin", first_name="Paulette"),
            FamilyRow(kind="spouse", last_name="Martin", first_name="Julien", relative_id=spouse.pk, delete=True),
        ],
    )

    assert list(agent.relatives.filter(kind="spouse").values_list("first_name", flat=True)) == ["Paulette"]


def test_the_declared_children_cannot_drop_below_those_listed_whatever_the_form_saw(cast):
    agent = cast.alice.agent

    events = AuditEvent.objects.count()

    with pytest.raises(FamilyRuleError) as error:
        agent_update(
            agent_id=agent.pk,
            clas=agent.clas,
            actor=cast.bruno,
            changes={"children_count": 1, "city": "Muret"},
        )

    assert error.value.code == "children_count_too_low"
    assert error.value.field == "children_count"
    assert Agent.objects.get(pk=agent.pk).children_count == 2
    assert Agent.objects.get(pk=agent.pk).city != "Muret"
    assert Relative.objects.filter(agent=agent, kind="child").count() == 2
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("who", ["alice", "bruno"])
def test_a_family_form_without_its_counters_is_not_an_empty_family(request, cast, who):
    client = request.getfixturevalue(who)
    url = MY_FAMILY if who == "alice" else register_family(cast)
    before = family_snapshot(cast.alice.agent)

    response = client.post(url, {"famille-0-kind": "child", "famille-0-first_name": "Zoé", "enregistrer": "1"})

    assert response.status_code == 200
    body = response.content.decode()
    assert GARBLED in body
    assert 'name="famille-0-first_name" value="Zoé"' in body
    assert family_snapshot(cast.alice.agent) == before


# The rules, in the service, whatever a form sent


def family_rows(agent: Agent) -> list[FamilyRow]:
    """The family editor's rows for the family as it is (spouse first)."""
    return [
        FamilyRow(r.kind, r.last_name, r.first_name, birth_date=r.birth_date, relative_id=r.pk)
        for r in agent.relatives.all()
    ]


def refused(cast, rows: list[FamilyRow]) -> FamilyRuleError:
    """The error of a family update refused, once checked that nothing was written."""
    agent = cast.alice.agent
    before, events = family_snapshot(agent), AuditEvent.objects.count()
    with pytest.raises(FamilyRuleError) as error:
        agent_family_update(agent_id=agent.pk, clas=agent.clas, actor=cast.bruno, rows=rows)
    assert family_snapshot(agent) == before
    assert AuditEvent.objects.count() == events
    return error.value


def test_the_service_refuses_a_second_spouse_added_to_the_whole_family(cast):
    rows = [*family_rows(cast.alice.agent), FamilyRow(kind="spouse", last_name="Martin", first_name="Paulette")]

    error = refused(cast, rows)

    assert error.code == "two_spouses"
    assert error.messages == ["Un seul conjoint peut être indiqué."]
    assert error.row == 3


def test_the_service_refuses_a_second_spouse_when_the_first_is_left_out_of_the_rows(cast):
    error = refused(cast, [FamilyRow(kind="spouse", last_name="Martin", first_name="Paulette")])

    assert error.code == "two_spouses"
    assert error.row == 0


def test_the_service_refuses_a_child_who_becomes_a_second_spouse(cast):
    rows = family_rows(cast.alice.agent)
    child = rows[2]
    rows[2] = FamilyRow("spouse", child.last_name, child.first_name, relative_id=child.relative_id)

    error = refused(cast, rows)

    assert error.code == "two_spouses"
    assert error.row == 2


def test_the_service_refuses_more_children_than_declared(cast):
    rows = [*family_rows(cast.alice.agent), FamilyRow(kind="child", last_name="Martin", first_name="Hugo")]

    error = refused(cast, rows)

    assert error.code == "too_many_children"
    assert error.messages[0].startswith("La famille compterait 3 enfants alors que 2 sont déclarés")
    assert error.row == 3


def test_the_service_counts_the_children_left_out_of_the_rows(cast):
    error = refused(cast, [FamilyRow(kind="child", last_name="Martin", first_name="Hugo")])

    assert error.code == "too_many_children"
    assert error.row == 0


def test_the_service_counts_the_spouse_who_becomes_a_child(cast):
    rows = family_rows(cast.alice.agent)
    spouse = rows[0]
    rows[0] = FamilyRow("child", spouse.last_name, spouse.first_name, relative_id=spouse.relative_id)

    error = refused(cast, rows)

    assert error.code == "too_many_children"
    assert error.row == 0


def test_a_child_removed_makes_room_for_another(cast):
    agent = cast.alice.agent
    rows = family_rows(agent)
    leaving = rows[1]
    rows[1] = FamilyRow(kind="child", last_name="x", first_name="x", relative_id=leaving.relative_id, delete=True)
    rows.append(FamilyRow(kind="child", last_name="Martin", first_name="Hugo"))

    agent_family_update(agent_id=agent.pk, clas=agent.clas, actor=cast.bruno, rows=rows)

    assert agent.relatives.filter(kind="child").count() == 2
    assert agent.relatives.filter(first_name="Hugo").exists()


@pytest.mark.parametrize("who", ["alice", "bruno"])
def test_the_second_spouse_is_shown_next_to_its_row(request, cast, who):
    client = request.getfixturevalue(who)
    url = MY_FAMILY if who == "alice" else register_family(cast)

    body = client.post(url, {**new_row("spouse", "Paulette"), "enregistrer": "1"}).content.decode()

    assert field_errors(body, "famille-0-kind") == ["Un seul conjoint peut être indiqué."]
    assert '<a href="#id_famille-0-kind">' in body


def test_a_correction_below_the_children_listed_is_shown_next_to_the_number(client, cast):
    agent = cast.alice.agent
    client.force_login(cast.bruno)
    data = {name: getattr(agent, name) or "" for name in CORRECTABLE_FIELDS}
    data.update(children_count="1", birth_date="")

    body = client.post(f"/sud-ouest/gestion/agents/{agent.pk}/modifier/", data).content.decode()

    assert field_errors(body, "children_count") == [
        "Le nombre d&#x27;enfants ne peut pas être inférieur au nombre d&#x27;enfants indiqués (2)."
    ]
    assert Agent.objects.get(pk=agent.pk).children_count == 2
