"""Headers that matter once the portal runs in production: no copy of personal
data in caches, the language cookie as safe as the session's."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("bruno", "/sud-ouest/gestion/inscriptions/"),
        ("bruno", "/sud-ouest/gestion/agents/"),
        ("bruno", "/sud-ouest/gestion/agents/export.csv"),
        ("bruno", "/sud-ouest/gestion/agents/export.xlsx"),
        ("david", "/aramis/gestion/agents-connus/export.csv"),
    ],
)
def test_back_office_pages_and_exports_are_not_stored_by_any_cache(client: Client, cast, persona, path):
    client.force_login(getattr(cast, persona))

    response = client.get(path, secure=True)

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_a_public_page_may_still_be_cached(client: Client, cast):
    response = client.get("/sud-ouest/", secure=True)

    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_language_cookie_is_secure_httponly_and_lax_in_production(client: Client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)

    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
