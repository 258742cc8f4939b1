"""The register of a CLAS (« Référentiel agents »): find, correct, export."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from alphasierra.agents.models import Agent
from alphasierra.agents.search import normalise, search_text_for
from alphasierra.agents.services.signup import AgentDetails, agent_register
from alphasierra.audit.models import AuditEvent
from alphasierra.organisations.models import Organisation
from alphasierra.testing import listed_names, make_agents, with_second_factor

pytestmark = pytest.mark.django_db
REGISTER = "/sud-ouest/gestion/agents/"


def add_agent(last_name: str, first_name: str, email: str, slug: str = "sud-ouest", **overrides) -> Agent:
    fields = {
        "civility": "mme",
        "last_name": last_name,
        "first_name": first_name,
        "employer": "dgac",
        "status": "active",
        "service": "SNA Sud-Ouest",
        "service_address": "Blagnac",
        "work_phone": "+33561000000",
        "personal_phone": "+33698765400",
        "address": "1 rue Haute",
        "postal_code": "31000",
        "city": "Toulouse",
        **overrides,
    }
    agent = agent_register(
        clas=Organisation.objects.get(slug=slug),
        email=email,
        password="phrase de passe longue",
        details=AgentDetails(**fields),
        request=None,
    )
    assert agent is not None
    return agent


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Hélène", "helene"), ("O'Connor", "oconnor"), ("O’Connor", "oconnor"), ("  Saint-Exupéry ", "saint exupery")],
)
def test_search_text_ignores_case_accents_and_punctuation(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize("query", ["helene", "HÉLÈNE", "OConnor", "o'connor", "connor hel", "sna sud"])
def test_bruno_finds_an_agent_however_the_name_is_typed(client, cast, query):
    add_agent("O'Connor", "Hélène", "helene@example.fr")
    client.force_login(cast.bruno)

    names = listed_names(client.get(REGISTER, {"q": query}).content.decode())

    assert "O'Connor Hélène" in names
    if "connor" in query.lower():
        assert "Martin Alice" not in names


def test_filters_and_sorting(client, cast):
    add_agent("Zola", "Émile", "emile@example.fr", employer="meteo_france", status="retired")
    client.force_login(cast.bruno)

    retired = listed_names(client.get(REGISTER, {"situation": "retired"}).content.decode())
    waiting = listed_names(client.get(REGISTER, {"etat": "email_pending"}).content.decode())
    by_name_desc = listed_names(client.get(REGISTER, {"tri": "-nom"}).content.decode())

    assert "Zola Émile" in retired
    assert "Martin Alice" not in retired
    assert "Zola Émile" in waiting
    assert "Martin Alice" not in waiting
    assert by_name_desc.index("Zola Émile") < by_name_desc.index("Martin Alice")


def test_a_bad_filter_value_is_ignored_not_an_error(client, cast):
    client.force_login(cast.bruno)

    response = client.get(REGISTER, {"etat": "inconnu", "tri": "'; DROP TABLE", "page": "9999"})

    assert response.status_code == 200
    assert "Martin Alice" in listed_names(response.content.decode())


def test_chloe_of_nord_sees_nothing_of_sud_ouest(client, cast):
    client.force_login(cast.chloe)
    alice = cast.alice.agent.pk

    nord_list = client.get("/nord/gestion/agents/", {"q": "martin"}).content.decode()
    nord_csv = b"".join(client.get("/nord/gestion/agents/export.csv").streaming_content).decode("utf-8-sig")

    assert client.get(f"/nord/gestion/agents/{alice}/").status_code == 404
    assert client.get(f"/sud-ouest/gestion/agents/{alice}/").status_code == 404
    assert "Martin" not in nord_list
    assert "Martin" not in nord_csv
    assert "Benali" in nord_csv


def test_the_detail_shows_the_family_and_is_audited(client, cast):
    client.force_login(cast.bruno)

    body = client.get(f"{REGISTER}{cast.alice.agent.pk}/").content.decode()

    assert "Julien" in body
    assert "Léa" in body
    assert "Hugo" in body
    assert AuditEvent.objects.filter(action="agent.viewed", actor=cast.bruno, subject=cast.alice).count() == 1


def test_bruno_corrects_alice_and_the_change_is_audited_before_and_after(client, cast):
    client.force_login(cast.bruno)
    url = f"{REGISTER}{cast.alice.agent.pk}/modifier/"
    form = client.get(url).content.decode()
    assert 'value="06 12 34 56 78"' in form  # shown in national form

    data = {
        "civility": "mme",
        "last_name": "Martin-Durand",
        "first_name": "Alice",
        "birth_date": "1982-04-12",
        "employer": "dgac",
        "status": "active",
        "service": "SNA Sud-Ouest",
        "service_address": "Aéroport de Toulouse-Blagnac\n31703 Blagnac",
        "work_phone": "05 61 00 00 00",
        "personal_phone": "06 12 34 56 78",
        "address": "12 rue des Lilas",
        "postal_code": "31000",
        "city": "Toulouse",
        "family_situation": "married",
        "children_count": "2",
    }
    response = client.post(url, data)

    assert response.status_code == 302
    alice = Agent.objects.get(user=cast.alice)
    assert alice.last_name == "Martin-Durand"
    assert alice.search_text == search_text_for(alice)
    event = AuditEvent.objects.get(action="agent.updated", subject=cast.alice)
    assert event.actor == cast.bruno
    assert event.data["changes"] == {"last_name": {"before": "Martin", "after": "Martin-Durand"}}


def test_a_correction_is_validated_like_the_sign_up(client, cast):
    client.force_login(cast.bruno)
    url = f"{REGISTER}{cast.alice.agent.pk}/modifier/"
    data = dict.fromkeys(["birth_date", "family_situation"], "")
    data.update(
        civility="mme",
        last_name="Martin",
        first_name="Alice",
        employer="dgac",
        status="active",
        service="SNA",
        service_address="Blagnac",
        work_phone="12",
        personal_phone="06 12 34 56 78",
        address="12 rue des Lilas",
        postal_code="00000",
        city="Toulouse",
        children_count="2",
    )

    body = client.post(url, data).content.decode()

    assert 'id="id_work_phone-desc-error"' in body
    assert 'id="id_postal_code-desc-error"' in body
    assert Agent.objects.get(user=cast.alice).postal_code == "31000"
    assert not AuditEvent.objects.filter(action="agent.updated").exists()


def test_the_csv_export_is_for_excel_in_french_with_the_family(client, cast):
    client.force_login(cast.bruno)

    response = client.get(f"{REGISTER}export.csv", {"q": "martin"})

    raw = b"".join(response.streaming_content)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, *agents = rows
    assert header[:3] == ["Nom", "Prénom", "État"]
    assert len(agents) == 1
    alice = dict(zip(header, agents[0], strict=True))
    assert alice["Nom"] == "Martin"
    # International for any reader, quoted so that Excel does not compute it.
    assert alice["Téléphone personnel"] == "'+33 6 12 34 56 78"
    assert alice["Conjoint"] == "Julien Martin (03/09/1980)"
    assert alice["Enfants"] == "Léa Martin (01/06/2012); Hugo Martin (20/02/2015)"
    event = AuditEvent.objects.get(action="register.exported")
    assert event.data == {"format": "csv", "filters": {"q": "martin"}, "rows": 1}


def test_the_xlsx_export_opens_with_openpyxl(client, cast):
    client.force_login(cast.bruno)

    response = client.get(f"{REGISTER}export.xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    names = {row[0] for row in rows[1:]}
    assert {"Martin", "Durand", "Lambert"} <= names
    assert "Benali" not in names


def test_a_formula_in_a_cell_is_not_run_by_excel(client, cast):
    add_agent("Dupont", "Jean", "jean@example.fr", service='=HYPERLINK("http://evil")')
    client.force_login(cast.bruno)

    raw = b"".join(client.get(f"{REGISTER}export.csv", {"q": "dupont"}).streaming_content).decode("utf-8-sig")

    assert "'=HYPERLINK" in raw


@pytest.mark.parametrize("path", ["", "export.xlsx"])
def test_query_count_does_not_grow_with_the_register(client, cast, path):
    client.force_login(cast.bruno)
    client.get(REGISTER)  # session and authenticators warm

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(f"{REGISTER}{path}")
        return len(captured)

    with_few = queries()
    make_agents(200, Organisation.objects.get(slug="sud-ouest"), "approved", 0)

    assert queries() == with_few


def family_data(agent: Agent, rows: list[dict[str, str]], extra: int = 0) -> dict[str, str]:
    data = {"famille-TOTAL_FORMS": str(len(rows) + extra), "famille-INITIAL_FORMS": str(agent.relatives.count())}
    for n, row in enumerate(rows):
        data.update({f"famille-{n}-{key}": value for key, value in row.items()})
    return data


def existing_rows(agent: Agent) -> list[dict[str, str]]:
    return [
        {
            "relative_id": str(r.pk),
            "kind": r.kind,
            "last_name": r.last_name,
            "first_name": r.first_name,
            "birth_date": r.birth_date.isoformat() if r.birth_date else "",
        }
        for r in agent.relatives.order_by("kind", "birth_date", "pk")
    ]


def test_bruno_corrects_alices_family_and_it_is_audited(client, cast):
    alice = cast.alice.agent
    client.force_login(cast.bruno)
    url = f"{REGISTER}{alice.pk}/famille/"
    assert "Julien" in client.get(url).content.decode()
    rows = existing_rows(alice)
    rows[0]["first_name"] = "Léna"  # a child's first name corrected
    rows[-1]["DELETE"] = "on"  # the spouse removed
    Agent.objects.filter(pk=alice.pk).update(children_count=3)
    rows.append({"kind": "child", "last_name": "Martin", "first_name": "Théo", "birth_date": "2020-01-01"})

    response = client.post(url, family_data(alice, rows))

    assert response.status_code == 302
    assert sorted(alice.relatives.values_list("kind", "first_name")) == [
        ("child", "Hugo"),
        ("child", "Léna"),
        ("child", "Théo"),
    ]
    changes = AuditEvent.objects.get(action="agent.family_updated").data["changes"]
    assert {
        "before": {"kind": "child", "last_name": "Martin", "first_name": "Léa", "birth_date": "2012-06-01"},
        "after": {"kind": "child", "last_name": "Martin", "first_name": "Léna", "birth_date": "2012-06-01"},
    } in changes
    assert any("removed" in change for change in changes)
    assert any("added" in change for change in changes)


def test_the_family_cannot_list_more_children_than_declared_nor_two_spouses(client, cast):
    alice = cast.alice.agent
    client.force_login(cast.bruno)
    url = f"{REGISTER}{alice.pk}/famille/"
    more_children = [*existing_rows(alice), {"kind": "child", "last_name": "Martin", "first_name": "Théo"}]
    two_spouses = [*existing_rows(alice), {"kind": "spouse", "last_name": "Autre", "first_name": "Conjoint"}]

    too_many = client.post(url, family_data(alice, more_children)).content.decode()
    spouses = client.post(url, family_data(alice, two_spouses)).content.decode()

    assert "La famille compterait 3 enfants alors que 2 sont déclarés" in too_many
    assert "Un seul conjoint" in spouses
    assert alice.relatives.count() == 3


def test_another_familys_member_id_is_a_404(client, cast):
    alice, karim = cast.alice.agent, cast.karim.agent
    stranger = karim.relatives.create(kind="child", last_name="Benali", first_name="Sami")
    client.force_login(cast.bruno)
    rows = [{"relative_id": str(stranger.pk), "kind": "child", "last_name": "Benali", "first_name": "Pirate"}]

    response = client.post(f"{REGISTER}{alice.pk}/famille/", family_data(alice, rows))

    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.first_name == "Sami"


def test_a_family_row_is_added_without_javascript(client, cast):
    alice = cast.alice.agent
    client.force_login(cast.bruno)
    data = family_data(alice, existing_rows(alice), extra=1)
    data["ajouter_ligne"] = "1"

    body = client.post(f"{REGISTER}{alice.pk}/famille/", data).content.decode()

    assert 'name="famille-TOTAL_FORMS" value="5"' in body
    assert "fr-message--error" not in body


def test_the_export_of_an_overseas_clas_gives_the_days_of_its_zone(client, cast):
    from datetime import UTC, datetime

    from alphasierra.accounts.models import User

    nouvelle_caledonie = Organisation.objects.get(slug="nouvelle-caledonie")
    Agent.objects.filter(user=cast.karim).update(
        clas=nouvelle_caledonie,
        created_at=datetime(2026, 11, 28, 20, 0, tzinfo=UTC),  # 29th, 07:00 in Nouméa
    )
    manager = User.objects.get(email="responsable.nouvelle-caledonie@alpha-sierra.org")
    with_second_factor(manager)
    client.force_login(manager)

    raw = b"".join(client.get("/nouvelle-caledonie/gestion/agents/export.csv").streaming_content)
    workbook = load_workbook(io.BytesIO(client.get("/nouvelle-caledonie/gestion/agents/export.xlsx").content))

    header, *agents = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    karim = dict(zip(header, agents[0], strict=True))
    assert karim["Inscrit le"] == "29/11/2026"
    assert str(list(workbook.active.values)[1][-1])[:10] == "2026-11-29"
