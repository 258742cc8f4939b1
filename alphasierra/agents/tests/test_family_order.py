"""The family reads spouse first, then the children from the eldest, on every page
that lists it and in the data download."""

import io
import json
import re
import zipfile

import pytest

from alphasierra.agents.models import Agent, Relative

pytestmark = pytest.mark.django_db

# Alice's family: Julien (spouse, 1980), Léa (2012), Hugo (2015).
IN_ORDER = ["Julien", "Léa", "Hugo"]


def first_names_in(body: str) -> list[str]:
    found = {name: body.find(name) for name in IN_ORDER}
    assert all(position >= 0 for position in found.values()), found
    return sorted(found, key=found.__getitem__)


def test_the_spouse_comes_first_then_the_children_by_birth(cast):
    agent = Agent.objects.get(user=cast.alice)
    # A child younger than the spouse but born before a second one, and one whose
    # birth date is unknown: it comes last.
    Relative.objects.create(agent=agent, kind=Relative.Kind.CHILD, last_name="Martin", first_name="Zoé")

    assert [r.first_name for r in agent.relatives.all()] == [*IN_ORDER, "Zoé"]


def test_mon_compte_lists_the_spouse_first(client, cast):
    client.force_login(cast.alice)

    assert first_names_in(client.get("/comptes/mon-compte/").content.decode()) == IN_ORDER


def test_the_family_editor_lists_the_spouse_first(client, cast):
    client.force_login(cast.alice)
    body = client.get("/comptes/mon-compte/famille/").content.decode()

    values = re.findall(r'name="famille-\d+-first_name"[^>]*value="([^"]*)"', body) or re.findall(
        r'value="([^"]*)"[^>]*name="famille-\d+-first_name"', body
    )
    assert values[:3] == IN_ORDER


def test_the_register_detail_lists_the_spouse_first(client, cast):
    client.force_login(cast.bruno)
    alice = Agent.objects.get(user=cast.alice)

    body = client.get(f"/sud-ouest/gestion/agents/{alice.pk}/").content.decode()

    assert first_names_in(body) == IN_ORDER


def test_the_association_detail_lists_the_spouse_first(client, cast):
    client.force_login(cast.alice)
    client.get("/aramis/")
    client.force_login(cast.david)
    alice = Agent.objects.get(user=cast.alice)

    body = client.get(f"/aramis/gestion/agents-connus/{alice.pk}/").content.decode()

    assert first_names_in(body) == IN_ORDER


def test_the_data_download_lists_the_spouse_first(client, cast):
    client.force_login(cast.alice)

    archive = zipfile.ZipFile(io.BytesIO(client.get("/comptes/mon-compte/mes-donnees.zip").content))

    assert [r["first_name"] for r in json.loads(archive.read("mes-donnees.json"))["famille"]] == IN_ORDER
    assert first_names_in(archive.read("famille.csv").decode("utf-8-sig")) == IN_ORDER
