import pytest
from django.conf import settings
from django.template.loader import get_template

from alphasierra.agents.models import Agent
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["sud-ouest", "nouvelle-caledonie", "aramis"])
def test_each_site_home_shows_its_name_in_the_banner(client, slug):
    organisation = Organisation.objects.get(slug=slug)

    response = client.get(f"/{slug}/")

    body = response.content.decode()
    assert f'<h1 id="bandeau-titre" class="fr-h1">{organisation.name}</h1>' in body
    assert 'class="fr-header"' in body
    assert 'class="fr-footer"' in body


def test_a_clas_home_offers_inscription_and_connexion(client):
    body = client.get("/sud-ouest/").content.decode()

    assert 'href="/sud-ouest/inscription/"' in body
    assert "Connexion" in body


def test_an_association_home_offers_connexion_but_no_inscription(client):
    body = client.get("/aramis/").content.decode()

    assert "/aramis/inscription/" not in body
    assert "Connexion" in body


def test_the_national_home_links_every_clas_and_association(client):
    body = client.get("/").content.decode()

    for organisation in Organisation.objects.exclude(kind="national"):
        assert f'href="/{organisation.slug}/"' in body, organisation.slug


def test_the_header_offers_every_site(client):
    body = client.get("/aramis/").content.decode()

    assert 'id="menu-clas"' in body
    assert 'href="/polynesie-francaise/"' in body
    assert 'href="/anafacem/"' in body


def test_inscription_on_an_association_points_to_the_clas_sites(client):
    response = client.get("/aramis/inscription/")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/sud-ouest/inscription/"' in body
    assert "<form" not in body.split('id="contenu"')[1]


def test_pages_are_french_by_default_whatever_the_browser_says(client):
    response = client.get("/sud-ouest/", headers={"accept-language": "en"})

    assert response.headers["Content-Language"] == "fr"
    assert "Votre CLAS" in response.content.decode()


def test_english_is_switchable_and_translated(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/sud-ouest/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sud-ouest/"

    body = client.get("/sud-ouest/").content.decode()

    assert '<html lang="en"' in body
    assert "Your CLAS" in body
    assert "Sign up" in body


def test_the_language_switch_refuses_an_outside_address(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response.headers["Location"] == "/"


def test_pages_render_without_javascript_content(client):
    # Everything a visitor needs is in the HTML; scripts only enhance it.
    body = client.get("/").content.decode()

    assert 'href="/#sites"' in body
    assert "<noscript" not in body


def test_every_template_compiles():
    template_dir = settings.PACKAGE_DIR / "templates"
    paths = sorted(template_dir.rglob("*.html")) + sorted(template_dir.rglob("*.txt"))

    compiled = [get_template(str(path.relative_to(template_dir))) for path in paths]

    assert len(compiled) == len(paths) > 10


def test_an_agent_awaiting_approval_is_told_on_an_association_site_that_their_clas_must_approve(client, cast):
    client.force_login(cast.paul)

    body = client.get("/aramis/").content.decode()

    assert 'id="inscription-en-attente"' in body
    assert "Votre inscription attend la validation de votre CLAS" in body
    assert "CLAS Sud-Ouest" in body
    assert "connectez-vous avec votre compte" not in body


def test_an_agent_whose_email_is_not_confirmed_is_asked_to_confirm_it_on_an_association_site(client, cast):
    Agent.objects.filter(user=cast.paul).update(state=Agent.State.EMAIL_PENDING)
    client.force_login(cast.paul)

    body = client.get("/aramis/").content.decode()

    assert "Confirmez votre adresse e-mail" in body
    assert "CLAS Sud-Ouest" in body
    assert "connectez-vous avec votre compte" not in body


def test_an_approved_agent_is_not_told_to_wait_on_an_association_site(client, cast):
    client.force_login(cast.alice)

    body = client.get("/aramis/").content.decode()

    assert 'id="inscription-en-attente"' not in body
    assert "vous connaît depuis le" in body
