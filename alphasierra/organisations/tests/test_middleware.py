import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_every_site_slug_resolves_to_its_organisation(client):
    for organisation in Organisation.objects.exclude(kind="national"):
        response = client.get(f"/{organisation.slug}/")

        assert response.status_code == 200, organisation.slug
        assert response.wsgi_request.organisation == organisation


def test_the_root_is_the_national_site(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response.wsgi_request.organisation.kind == "national"


@pytest.mark.parametrize("path", ["/inconnu/", "/inconnu/inscription/", "/SUD-OUEST/", "/national/"])
def test_an_unknown_site_gets_the_portal_404_page(client, path):
    response = client.get(path)

    assert response.status_code == 404
    body = response.content.decode()
    assert "Page introuvable" in body
    assert "fr-header" in body  # the portal's own DSFR page, not a bare error


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_site_gets_the_portal_page_even_in_debug(client, settings, debug):
    settings.DEBUG = debug

    response = client.get("/inconnu/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_an_unknown_path_under_a_site_is_a_404(client):
    response = client.get("/sud-ouest/pas-de-page-ici/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize("path", ["/i18n/", "/comptes/inscription/", "/_dev/"])
def test_portal_paths_never_serve_a_site_page(client, path):
    # "/i18n/" fits the "<slug:site>/" pattern but is not a site.
    assert client.get(path).status_code == 404


def test_the_organisation_is_resolved_with_one_query(client):
    # The home reads its content and activities too; the sites, once.
    with CaptureQueriesContext(connection) as queries:
        client.get("/aramis/")

    sites = [query for query in queries if 'FROM "organisations_organisation"' in query["sql"]]
    assert len(sites) == 1, [query["sql"] for query in queries]
