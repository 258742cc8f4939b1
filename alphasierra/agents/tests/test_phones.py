"""Phones as each reader dials them: nationally on the pages of an
organisation of the number's own calling code, internationally everywhere
else, and always internationally in files."""

import csv
import io
import re

import pytest
from django.template import Context, Template

from alphasierra.agents.models import Agent
from alphasierra.agents.tests.test_register import add_agent
from alphasierra.associations.models import AssociationLink
from alphasierra.demo import _staff
from alphasierra.organisations.models import Organisation, Role
from alphasierra.testing import html_table, with_second_factor

pytestmark = pytest.mark.django_db

NOUMEA = "+687751234"
SHOWN_IN_PARIS = "+687 75 12 34"
SHOWN_IN_NOUMEA = "75 12 34"


def field_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag is not None, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def csv_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text), delimiter=";")
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize(
    ("site", "shown"),
    [
        ("nouvelle-caledonie", SHOWN_IN_NOUMEA),
        ("sud-ouest", SHOWN_IN_PARIS),
        ("aramis", SHOWN_IN_PARIS),
        (None, SHOWN_IN_PARIS),
    ],
)
def test_the_phone_filter_writes_for_the_organisation_it_is_given(site, shown):
    template = Template("{% load agents %}{{ number|phone:site }}|{{ number|phone }}")
    organisation = Organisation.objects.get(slug=site) if site else None

    rendered = template.render(Context({"number": NOUMEA, "site": organisation}))

    # Without an organisation, the form dialled from anywhere.
    assert rendered == f"{shown}|{SHOWN_IN_PARIS}"


@pytest.fixture
def alice_in_noumea(cast) -> Agent:
    """Alice, still of Sud-Ouest, now reached on a Nouméa mobile; ARAMIS knows her."""
    Agent.objects.filter(user=cast.alice).update(personal_phone=NOUMEA)
    AssociationLink.objects.create(agent=cast.alice.agent, association=Organisation.objects.get(slug="aramis"))
    return Agent.objects.get(user=cast.alice)


def test_mon_compte_shows_a_number_of_another_calling_code_with_it(client, alice_in_noumea):
    client.force_login(alice_in_noumea.user)

    body = client.get("/comptes/mon-compte/").content.decode()

    assert SHOWN_IN_PARIS in body
    assert "05 61 00 00 00" in body  # her work phone, in Toulouse: nationally


def test_the_edit_form_shows_it_so_and_keeps_it_when_saved_unchanged(client, alice_in_noumea):
    client.force_login(alice_in_noumea.user)
    form = client.get("/comptes/mon-compte/modifier/").content.decode()
    data = {
        name: field_value(form, name)
        for name in ("last_name", "first_name", "service", "work_phone", "personal_phone", "postal_code", "city")
    }
    assert data["personal_phone"] == SHOWN_IN_PARIS
    assert data["work_phone"] == "05 61 00 00 00"

    response = client.post(
        "/comptes/mon-compte/modifier/",
        {
            **data,
            "civility": "mme",
            "employer": "dgac",
            "status": "active",
            "service_address": alice_in_noumea.service_address,
            "address": alice_in_noumea.address,
            "birth_date": alice_in_noumea.birth_date.isoformat() if alice_in_noumea.birth_date else "",
            "family_situation": alice_in_noumea.family_situation,
            "children_count": alice_in_noumea.children_count,
        },
    )

    assert response.status_code == 302
    alice_in_noumea.refresh_from_db()
    assert (alice_in_noumea.personal_phone, alice_in_noumea.work_phone) == (NOUMEA, "+33561000000")


def test_the_register_list_detail_and_edit_of_sud_ouest_show_the_country_code(client, cast, alice_in_noumea):
    client.force_login(cast.bruno)
    register = "/sud-ouest/gestion/agents/"

    headers, rows = html_table(client.get(register, {"q": "martin"}).content.decode())
    alice = dict(zip(headers, rows[0], strict=True))
    detail = client.get(f"{register}{alice_in_noumea.pk}/").content.decode()
    form = client.get(f"{register}{alice_in_noumea.pk}/modifier/").content.decode()

    assert alice["Téléphone personnel"] == SHOWN_IN_PARIS
    assert alice["Téléphone professionnel"] == "05 61 00 00 00"
    assert SHOWN_IN_PARIS in detail
    assert field_value(form, "personal_phone") == SHOWN_IN_PARIS


def test_aramis_in_paris_reads_the_country_code_in_its_list_and_detail(client, cast, alice_in_noumea):
    client.force_login(cast.david)

    headers, rows = html_table(client.get("/aramis/gestion/agents-connus/").content.decode())
    detail = client.get(f"/aramis/gestion/agents-connus/{alice_in_noumea.pk}/").content.decode()

    assert dict(zip(headers, rows[0], strict=True))["Téléphone personnel"] == SHOWN_IN_PARIS
    assert SHOWN_IN_PARIS in detail


def test_the_clas_of_nouvelle_caledonie_reads_its_own_numbers_nationally(client):
    noumea = Organisation.objects.get(slug="nouvelle-caledonie")
    agent = add_agent("Wamytan", "Roch", "roch@example.nc", slug="nouvelle-caledonie", personal_phone=NOUMEA)
    manager = _staff("resp.nc@alpha-sierra.org", noumea, Role.Kind.SITE_MANAGER)
    with_second_factor(manager)
    client.force_login(manager)
    register = "/nouvelle-caledonie/gestion/agents/"

    headers, rows = html_table(client.get(register).content.decode())
    detail = client.get(f"{register}{agent.pk}/").content.decode()
    form = client.get(f"{register}{agent.pk}/modifier/").content.decode()

    roch = dict(zip(headers, rows[0], strict=True))
    assert roch["Téléphone personnel"] == SHOWN_IN_NOUMEA
    # His work phone is in Toulouse: +33 from Nouméa.
    assert roch["Téléphone professionnel"] == "+33 5 61 00 00 00"
    assert SHOWN_IN_NOUMEA in detail
    assert field_value(form, "personal_phone") == SHOWN_IN_NOUMEA


@pytest.mark.parametrize(
    ("who", "url"),
    [("bruno", "/sud-ouest/gestion/agents/export.csv"), ("david", "/aramis/gestion/agents-connus/export.csv")],
)
def test_the_exports_write_every_number_internationally(client, cast, alice_in_noumea, who, url):
    client.force_login(getattr(cast, who))

    rows = csv_rows(client.get(url))

    alice = next(row for row in rows if row["Nom"] == "Martin")
    # Quoted: a cell starting with + would be computed by Excel.
    assert alice["Téléphone personnel"] == f"'{SHOWN_IN_PARIS}"
    assert alice["Téléphone professionnel"] == "'+33 5 61 00 00 00"


def test_the_nouvelle_caledonie_export_is_international_too(client):
    noumea = Organisation.objects.get(slug="nouvelle-caledonie")
    add_agent("Wamytan", "Roch", "roch@example.nc", slug="nouvelle-caledonie", personal_phone=NOUMEA)
    manager = _staff("resp.nc@alpha-sierra.org", noumea, Role.Kind.SITE_MANAGER)
    with_second_factor(manager)
    client.force_login(manager)

    (roch,) = csv_rows(client.get("/nouvelle-caledonie/gestion/agents/export.csv"))

    assert roch["Téléphone personnel"] == f"'{SHOWN_IN_PARIS}"


def test_the_directory_gives_overseas_correspondents_their_country_code(client, cast):
    noumea = Organisation.objects.get(slug="nouvelle-caledonie")
    agent = add_agent("Wamytan", "Roch", "roch@example.nc", slug="nouvelle-caledonie", work_phone="+687241234")
    Role.objects.create(user=agent.user, organisation=noumea, kind=Role.Kind.SOCIAL_CORRESPONDENT)

    national = client.get("/annuaire/").content.decode()
    own_site = client.get("/nouvelle-caledonie/").content.decode()

    assert "+687 24 12 34" in national
    # The CLAS's home page lists its correspondents, as Nouméa dials them.
    assert "Tél. 24 12 34" in own_site
