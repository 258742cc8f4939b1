"""Each export has the columns of the table it comes from: the same headers in
the same order, then what a spreadsheet needs besides; a row reads as on
screen, phones aside (international in files)."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from alphasierra.agents.models import Agent
from alphasierra.agents.validation import phone_to_e164
from alphasierra.associations.models import AssociationLink
from alphasierra.organisations.models import Organisation
from alphasierra.testing import html_table

pytestmark = pytest.mark.django_db

PHONES = {"Téléphone professionnel", "Téléphone personnel"}


def csv_table(text: str) -> tuple[list[str], list[list[str]]]:
    header, *rows = csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";")
    return header, rows


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def as_dialled(header: str, value: str) -> str:
    """A cell as a comparison sees it: a phone as its E.164 number, the quote
    that keeps Excel from computing a cell left out."""
    value = value.removeprefix("'")
    return phone_to_e164(value) if header in PHONES and value else value


def assert_same_row(headers: list[str], on_screen: list[str], in_file: list[str]) -> None:
    assert [as_dialled(h, v) for h, v in zip(headers, on_screen, strict=True)] == [
        as_dialled(h, v) for h, v in zip(headers, in_file[: len(headers)], strict=True)
    ]


@pytest.fixture
def alice_in_noumea(cast) -> Agent:
    Agent.objects.filter(user=cast.alice).update(personal_phone="+687751234")
    AssociationLink.objects.create(agent=cast.alice.agent, association=Organisation.objects.get(slug="aramis"))
    return Agent.objects.get(user=cast.alice)


@pytest.mark.parametrize(
    ("who", "page"),
    [("bruno", "/sud-ouest/gestion/agents/"), ("david", "/aramis/gestion/agents-connus/")],
    ids=["register", "association"],
)
def test_the_csv_export_begins_with_the_columns_and_rows_of_the_table(client, cast, alice_in_noumea, who, page):
    client.force_login(getattr(cast, who))

    headers, rows = html_table(client.get(page, {"q": "martin"}).content.decode())
    file_header, file_rows = csv_table(streamed(client.get(f"{page}export.csv", {"q": "martin"})))

    assert headers
    assert file_header[: len(headers)] == headers
    # And then the rest of the agent's data, once each.
    assert {"Civilité", "Adresse postale", "Conjoint", "Enfants"} <= set(file_header[len(headers) :])
    assert len(set(file_header)) == len(file_header)
    assert len(rows) == len(file_rows) == 1
    assert_same_row(headers, rows[0], file_rows[0])
    assert "+687 75 12 34" in rows[0]  # seen from metropolitan France


def test_the_association_export_has_the_clas_column_of_its_table(client, cast, alice_in_noumea):
    client.force_login(cast.david)

    file_header, (alice,) = csv_table(streamed(client.get("/aramis/gestion/agents-connus/export.csv")))

    assert dict(zip(file_header, alice, strict=True))["CLAS"] == "Sud-Ouest"


@pytest.mark.parametrize(
    ("who", "page"),
    [("bruno", "/sud-ouest/gestion/agents/"), ("david", "/aramis/gestion/agents-connus/")],
    ids=["register", "association"],
)
def test_the_xlsx_export_begins_with_the_columns_of_the_table(client, cast, alice_in_noumea, who, page):
    client.force_login(getattr(cast, who))

    headers, rows = html_table(client.get(page, {"q": "martin"}).content.decode())
    workbook = load_workbook(io.BytesIO(client.get(f"{page}export.xlsx", {"q": "martin"}).content))
    file_header, alice = [list(row) for row in workbook.active.iter_rows(values_only=True)]

    assert file_header[: len(headers)] == headers
    assert_same_row(headers, rows[0], ["" if v is None else str(v) for v in alice])
    # A text cell is never computed: the phone needs no quote there.
    assert "+687 75 12 34" in alice


def test_the_history_file_of_my_data_has_the_columns_and_rows_of_my_history(client, cast):
    client.force_login(cast.alice)

    headers, rows = html_table(client.get("/comptes/mon-compte/historique/").content.decode())
    archive = zipfile.ZipFile(io.BytesIO(client.get("/comptes/mon-compte/mes-donnees.zip").content))
    file_header, file_rows = csv_table(archive.read("historique.csv").decode("utf-8"))

    assert headers == ["Date", "Événement", "Par", "Site"]
    assert file_header == headers
    # The download itself is the newest event of the file, after the page was read.
    assert file_rows[1:] == rows
