"""Hypothesis drives the content editor's forms with hostile input (the
strategies of ``tests/test_fuzz``): never a 500, a French message next to the
field when refused and nothing stored then; what is stored comes back
escaped, and the Markdown as the sanitiser rendered it when it was saved."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alphasierra.content.models import Revision
from alphasierra.tests.test_fuzz import FUZZ, PAYLOADS, SHOWN, assert_shown_escaped, rolled_back

pytestmark = pytest.mark.django_db

BASE = "/sud-ouest/gestion/contenu/"
PAGE = {"title": "Nos permanences", "slug": "", "body": "Le **mardi**.", "in_menu": "on", "menu_order": "1"}
NEWS = {"title": "Arbre de Noël", "summary": "Le 13 décembre.", "body": "À **15 h**.", "publish_on": "2036-12-01T09:00"}
HOME = {
    "banner_title": "Bienvenue",
    "banner_text": "Le CLAS près de chez vous.",
    "introduction": "Des **sorties**.",
    "tile_1_title": "Nos activités",
    "tile_1_url": "/sud-ouest/activites/",
    "tile_1_description": "Les sorties ouvertes",
}
# The Markdown of each form, shown as rendered when saved; a box ticked by any value, shown as ticked.
MARKDOWN = {"body", "introduction"}
NOT_TEXT = {"in_menu"}


def send(client: Any, url: str, valid: dict[str, str], field: str, value: str) -> None:
    response = client.post(url, {**valid, field: value})

    assert response.status_code in (200, 302)
    body = response.content.decode()
    if response.status_code == 200:
        assert not Revision.objects.exists()
        assert "fr-message--error" in body or "fr-alert--error" in body
        assert_shown_escaped(body, value)
        return
    revision = Revision.objects.get()
    preview = client.get(response["Location"]).content.decode()
    if field in MARKDOWN:
        # test_markdown.py proves the sanitiser; the page shows what it made of the text.
        assert revision.data[f"{field}_html"] in preview
    if field in MARKDOWN | NOT_TEXT:
        for payload in PAYLOADS:
            assert payload not in preview
    else:
        assert_shown_escaped(preview, value)


@FUZZ
@given(field=st.sampled_from(list(PAGE)), value=SHOWN)
def test_the_page_form_survives_anything_and_shows_it_escaped(client, cast, field, value):
    client.force_login(cast.bruno)
    with rolled_back():
        send(client, f"{BASE}pages/nouvelle/", PAGE, field, value)


@FUZZ
@given(field=st.sampled_from(list(NEWS)), value=SHOWN)
def test_the_news_form_survives_anything_and_shows_it_escaped(client, cast, field, value):
    client.force_login(cast.bruno)
    with rolled_back():
        send(client, f"{BASE}actualites/nouvelle/", NEWS, field, value)


@FUZZ
@given(field=st.sampled_from(list(HOME)), value=SHOWN)
def test_the_home_form_survives_anything_and_shows_it_escaped(client, cast, field, value):
    client.force_login(cast.bruno)
    with rolled_back():
        send(client, f"{BASE}accueil/", HOME, field, value)
