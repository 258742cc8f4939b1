"""Every site's home: the default one while its managers have published
nothing, theirs once they have; in every case « Inscription » (CLAS) and
« Connexion » for visitors, the CLAS's correspondents, the coming activities
and the latest news."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from alphasierra.activities.models import Activity
from alphasierra.activities.tests.helpers import new_activity
from alphasierra.content.services.editing import home_draft_save
from alphasierra.content.tests import published
from alphasierra.content.tests.test_public_views import links, main_text
from alphasierra.organisations.models import Organisation, Role
from alphasierra.organisations.sites import SITES

pytestmark = pytest.mark.django_db

EVERY_SITE = [site.slug for site in SITES]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def home_path(organisation: Organisation) -> str:
    return organisation.get_absolute_url()


def banner(body: str) -> str:
    return body.split('<section class="as-banner', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("slug", EVERY_SITE)
def test_a_site_with_nothing_written_shows_a_clean_default_home(client, cast, slug):
    organisation = Organisation.objects.get(slug=slug)

    response = client.get(home_path(organisation))

    body = response.content.decode()
    text = main_text(body)
    assert response.status_code == 200
    assert f'<h1 id="bandeau-titre" class="fr-h1">{organisation.name}</h1>' in banner(body)
    buttons = [text for _href, text in links(banner(body))]
    assert buttons == (["Inscription", "Connexion"] if organisation.is_clas else ["Connexion"])
    if organisation.is_clas:
        assert f"/{slug}/inscription/" in banner(body)
        assert "Vos correspondants" in text
        for role in Role.objects.filter(organisation=organisation, kind__in=("site_manager", "social_correspondent")):
            assert role.user.email in text
    if not organisation.is_national:
        assert "Prochaines activités" in text
        assert "Aucune activité n'est proposée pour le moment" in text
        assert (f"/{slug}/activites/", "Toutes les activités") in links(body, within="contenu")
    # Nothing the managers could have written, and no empty section.
    assert 'class="as-content' not in body
    assert "Accès rapides" not in text
    assert "Toutes les actualités" not in text


@pytest.mark.parametrize("slug", [s for s in EVERY_SITE if s != "national"])
def test_every_home_shows_the_site_s_coming_activities_only(client, cast, slug):
    organisation = Organisation.objects.get(slug=slug)
    manager = published.manager_of(organisation)
    # Whole prices: the franc Pacifique of two CLAS has no cents.
    prices: dict[str, Any] = {name: Decimal(10) for name in ("price_agent", "price_spouse", "price_child")}
    coming = new_activity(organisation, manager, title="Journée au Futuroscope", days=10, **prices)
    draft = new_activity(organisation, manager, title="Pas encore publiée", days=12, publish=False, **prices)
    started = new_activity(organisation, manager, title="Déjà commencée", days=10, **prices)
    now = timezone.now()
    Activity.objects.filter(pk=started.pk).update(
        registration_opens_at=now - timedelta(days=3),
        registration_closes_at=now - timedelta(hours=2),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=5),
    )
    other = Organisation.objects.get(slug="aramis" if slug != "aramis" else "nord")
    new_activity(other, published.manager_of(other), title="Sortie d'un autre site", days=5)

    body = client.get(home_path(organisation)).content.decode()

    shown = links(body, within="prochaines-activites")
    assert shown == [(f"/{slug}/activites/{coming.pk}/", "Journée au Futuroscope")]
    assert draft.title not in body
    assert started.title not in body


def test_the_home_shows_the_next_few_activities_soonest_first_closed_ones_marked(client, cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    for days in (40, 10, 30, 20, 50):
        new_activity(sud_ouest, cast.bruno, title=f"Dans {days} jours", days=days)
    closed = Activity.objects.get(title="Dans 10 jours")
    Activity.objects.filter(pk=closed.pk).update(state=Activity.State.CLOSED)

    body = client.get("/sud-ouest/").content.decode()

    shown = [text for _href, text in links(body, within="prochaines-activites")]
    assert shown == ["Dans 10 jours", "Dans 20 jours", "Dans 30 jours", "Dans 40 jours"]
    assert "Inscriptions closes" in body.split('id="prochaines-activites"', 1)[1]


@pytest.mark.parametrize("persona", ["alice", "bruno", "karim"])
def test_a_logged_in_visitor_is_not_offered_inscription_nor_connexion(client, cast, persona):
    client.force_login(getattr(cast, persona))

    body = client.get("/sud-ouest/").content.decode()

    assert links(banner(body)) == []
    assert "Vos correspondants" in main_text(body)


# --- With what the managers published --------------------------------------------


def test_a_clas_home_shows_its_managers_banner_introduction_tiles_and_news(client, cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    photo = published.image(sud_ouest, alt="Des agents au départ de la randonnée")
    tiles = [
        {"title": "Billetterie", "url": "/sud-ouest/pages/billetterie/", "description": "Cinéma, parcs, spectacles"},
        {"title": "Chèques vacances", "url": "https://www.ancv.com/", "description": ""},
    ]
    published.home(
        sud_ouest,
        banner_title="Bienvenue au CLAS Sud-Ouest",
        banner_text="Sorties, billetterie et vacances des agents de Toulouse, Bordeaux et Pau.",
        image=photo,
        tiles=tiles,
    )
    now = timezone.now()
    for days, title in ((4, "La plus ancienne"), (3, "Troisième"), (2, "Deuxième"), (1, "La plus récente")):
        published.news(sud_ouest, title=title, publish_on=now - timedelta(days=days))

    body = client.get("/sud-ouest/").content.decode()

    top = banner(body)
    assert '<h1 id="bandeau-titre" class="fr-h1">Bienvenue au CLAS Sud-Ouest</h1>' in top
    assert "Toulouse, Bordeaux et Pau." in top
    assert f'src="{photo.url}" alt="Des agents au départ de la randonnée"' in top
    assert [text for _href, text in links(top)] == ["Inscription", "Connexion"]
    assert '<div class="as-content"><h2>Qui sommes-nous ?</h2>' in body
    assert "<strong>bénévoles</strong>" in body
    assert "Votre CLAS" not in main_text(body)  # the default text gives way to the managers'
    assert links(body, within="acces-rapides") == [
        ("/sud-ouest/pages/billetterie/", "Billetterie"),
        ("https://www.ancv.com/", "Chèques vacances"),
    ]
    assert "Cinéma, parcs, spectacles" in body
    assert '<a href="https://www.ancv.com/" rel="noopener noreferrer">' in body
    assert [text for _href, text in links(body, within="dernieres-actualites")] == [
        "La plus récente",
        "Deuxième",
        "Troisième",
    ]
    assert ("/sud-ouest/actualites/", "Toutes les actualités") in links(body, within="contenu")
    # What every home shows stays.
    assert "Vos correspondants" in main_text(body)
    assert "Prochaines activités" in main_text(body)


def test_a_tile_leading_to_a_script_is_shown_without_its_link(client, cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    published.home(
        sud_ouest,
        tiles=[
            {"title": "Piège", "url": "javascript:alert(1)", "description": ""},
            {"title": "Données", "url": "data:text/html,<script>alert(1)</script>", "description": ""},
            {"title": "Ailleurs", "url": "//evil.example/", "description": ""},
        ],
    )

    body = client.get("/sud-ouest/").content.decode()

    tiles = body.split('id="acces-rapides"', 1)[1].split("</ul>", 1)[0]
    for title in ("Piège", "Données", "Ailleurs"):
        assert title in tiles
    assert "<a " not in tiles
    assert "javascript:" not in body
    assert "evil.example" not in body


def test_a_home_saved_but_not_published_leaves_the_default_home(client, cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    home_draft_save(organisation=sud_ouest, actor=cast.bruno, values={"banner_title": "Brouillon du bandeau"})

    body = client.get("/sud-ouest/").content.decode()

    assert "Brouillon du bandeau" not in body
    assert '<h1 id="bandeau-titre" class="fr-h1">CLAS Sud-Ouest</h1>' in body


def test_another_site_s_home_content_is_never_shown_here(client, cast):
    nord = Organisation.objects.get(slug="nord")
    published.home(
        nord, banner_title="Bienvenue dans le Nord", tiles=[{"title": "Nord", "url": "/nord/", "description": ""}]
    )
    published.news(nord, title="Nouvelles du Nord")

    body = client.get("/sud-ouest/").content.decode()

    assert "Bienvenue dans le Nord" not in body
    assert "Nouvelles du Nord" not in body
    assert 'id="acces-rapides"' not in body


def test_an_association_home_shows_its_managers_content_and_keeps_its_callouts(client, cast):
    aramis = Organisation.objects.get(slug="aramis")
    published.home(aramis, banner_title="ARAMIS vous accueille", introduction="Séjours et loisirs **toute l'année**.")
    published.news(aramis, title="Séjour à la neige")
    client.force_login(cast.alice)

    body = client.get("/aramis/").content.decode()

    assert '<h1 id="bandeau-titre" class="fr-h1">ARAMIS vous accueille</h1>' in body
    assert "<strong>toute l'année</strong>" in body
    assert "Séjour à la neige" in body
    assert "vous connaît depuis le" in body  # the association's link with Alice, as before


def test_the_national_home_shows_its_own_content_news_and_every_site(client, cast):
    national = Organisation.objects.get(kind="national")
    published.home(national, banner_title="Alpha Sierra", introduction="Le portail **de tous** les CLAS.")
    published.news(national, title="Nouveau portail")
    published.news(Organisation.objects.get(slug="sud-ouest"), title="Sortie ski")

    body = client.get("/").content.decode()

    assert '<h1 id="bandeau-titre" class="fr-h1">Alpha Sierra</h1>' in body
    assert "<strong>de tous</strong>" in body
    assert [text for _href, text in links(body, within="dernieres-actualites")] == ["Nouveau portail"]
    assert ("/actualites/", "Toutes les actualités") in links(body, within="contenu")
    for site in Organisation.objects.exclude(kind="national"):
        assert f'href="/{site.slug}/"' in body
