"""A visitor reads what the managers of Sud-Ouest published, in a real
browser: a page from the site's menu, the news list, a news item, on a
desktop and on a phone. The pages are captured at 1280 and 375 pixels for a
person to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from alphasierra.activities.tests.helpers import new_activity
from alphasierra.content.models import NewsItem
from alphasierra.content.tests import published
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots-pub"  # noqa: S108 (screenshots to look at, kept out of the repository)

INTRODUCTION = """## Le CLAS, c'est vous

Le comité local d'action sociale organise **sorties, séjours et billetterie** pour les agents
de la DGAC et de Météo-France du Sud-Ouest, actifs et retraités, et leurs familles.

Nos permanences ont lieu le mardi et le jeudi, de 12 h à 14 h, au bâtiment B.
"""

BILLETTERIE = """Le CLAS négocie pour vous des tarifs réduits.

## Ce que nous proposons

| Partenaire | Réduction | Où retirer |
|---|---|---|
| Cinémas Gaumont | 30 % | Permanence du mardi |
| Cité de l'espace | 25 % | Sur commande |
| Aqualand | 20 % | Sur commande |

## Comment commander

1. Remplissez le bon de commande.
2. Déposez-le avec votre règlement à la permanence.
3. Vos billets vous attendent la semaine suivante.

Pour toute question : [écrivez-nous](mailto:clas.sud-ouest@example.fr).
"""


def world() -> None:
    """Sud-Ouest's home, two pages in its menu, four news items and two
    coming activities; Nord has written nothing, and offers an activity."""
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    hall = published.image(sud_ouest, alt="Des agents du CLAS au départ d'une randonnée", size=(800, 500))
    sapin = published.image(sud_ouest, alt="Le sapin de la salle des fêtes", size=(960, 540))
    published.home(
        sud_ouest,
        banner_title="Bienvenue au CLAS Sud-Ouest",
        banner_text="Sorties, billetterie et vacances des agents de Toulouse, Bordeaux, Biarritz et Pau.",
        image=hall,
        introduction=INTRODUCTION,
        tiles=[
            {
                "title": "Billetterie",
                "url": "/sud-ouest/pages/billetterie/",
                "description": "Cinémas, parcs, spectacles",
            },
            {"title": "Le bureau", "url": "/sud-ouest/pages/bureau/", "description": "Qui fait quoi au CLAS"},
            {"title": "Chèques vacances", "url": "https://www.ancv.com/", "description": "Le site de l'ANCV"},
        ],
    )
    published.page(sud_ouest, title="Le bureau", slug="bureau", in_menu=True, menu_order=1)
    published.page(sud_ouest, title="Billetterie", slug="billetterie", body=BILLETTERIE, in_menu=True, menu_order=2)
    now = timezone.now()
    published.news(
        sud_ouest,
        title="Arbre de Noël 2026",
        summary="Le spectacle des enfants aura lieu le samedi 12 décembre à la salle des fêtes de Blagnac.",
        body="Inscrivez vos enfants **avant le 20 novembre**.\n\nUn goûter suivra le spectacle.",
        image=sapin,
        publish_on=now - timedelta(hours=2),
    )
    published.news(
        sud_ouest,
        title="Assemblée générale",
        summary="L'assemblée générale du CLAS se tiendra le 5 février : venez nombreux.",
        publish_on=now - timedelta(days=3),
    )
    published.news(
        sud_ouest,
        title="Nouveaux tarifs de billetterie",
        summary="Les cinémas Gaumont rejoignent nos partenaires.",
        publish_on=now - timedelta(days=9),
    )
    published.news(
        sud_ouest,
        title="Séjour au ski",
        summary="Il reste des places à Saint-Lary.",
        publish_on=now - timedelta(days=20),
    )
    manager = published.manager_of(sud_ouest)
    new_activity(sud_ouest, manager, title="Sortie au Pic du Midi", days=12)
    new_activity(sud_ouest, manager, title="Journée à la Cité de l'espace", days=26, place="Toulouse")
    nord = Organisation.objects.get(slug="nord")
    new_activity(nord, published.manager_of(nord), title="Visite du Louvre-Lens", days=15, place="Lens")


def context_for(browser: Browser, media: str, *, width: int) -> BrowserContext:
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})

    # The uploads are served by the images' own view, tested with it; here the
    # pages around them are the subject: the browser reads the files directly.
    def serve(route: Route) -> None:
        name = route.request.url.split("/media/", 1)[1]
        route.fulfill(path=str(Path(media) / name), content_type="image/png")

    context.route("**/media/contenu/*", serve)
    return context


def read_the_news(page: Page, live_portal: str, *, phone: bool) -> None:
    def menu() -> None:
        if phone:
            page.get_by_role("button", name="Menu").click()

    page.goto(f"{live_portal}/sud-ouest/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue au CLAS Sud-Ouest")
    expect(page.get_by_role("img", name="Des agents du CLAS au départ d'une randonnée")).to_be_visible()

    menu()
    page.locator("#navigation").get_by_role("link", name="Billetterie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Billetterie")
    expect(page.get_by_role("cell", name="Cité de l'espace")).to_be_visible()

    menu()
    page.locator("#navigation").get_by_role("link", name="Actualités").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actualités")
    expect(page.locator("#actualites .fr-card")).to_have_count(4)
    expect(page.locator("#actualites .fr-card__title").first).to_have_text("Arbre de Noël 2026")

    page.get_by_role("link", name="Arbre de Noël 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbre de Noël 2026")
    expect(page.get_by_role("img", name="Le sapin de la salle des fêtes")).to_be_visible()
    expect(page.get_by_text("avant le 20 novembre")).to_be_visible()
    page.get_by_role("link", name="Toutes les actualités").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actualités")


@pytest.mark.parametrize(("width", "phone"), [(1280, False), (375, True)])
def test_a_visitor_reads_a_page_from_the_menu_the_news_and_a_news_item(
    browser: Browser, live_portal: str, cast, settings, tmp_path, width, phone
):
    settings.MEDIA_ROOT = tmp_path
    world()
    context = context_for(browser, str(tmp_path), width=width)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        read_the_news(page, live_portal, phone=phone)
    finally:
        context.close()


def test_the_public_pages_as_they_look_on_a_desktop_and_a_phone(
    browser: Browser, live_portal: str, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world()
    news = NewsItem.objects.get(title="Arbre de Noël 2026")
    pages = {
        "home-with-content": "/sud-ouest/",
        "default-home": "/nord/",
        "page": "/sud-ouest/pages/billetterie/",
        "news-list": "/sud-ouest/actualites/",
        "news-item": f"/sud-ouest/actualites/{news.pk}/",
        "contact": "/contact/",
    }
    Path(SHOTS).mkdir(exist_ok=True)
    for width in (1280, 375):
        context = context_for(browser, str(tmp_path), width=width)
        page = context.new_page()
        try:
            for name, path in pages.items():
                response = page.goto(f"{live_portal}{path}")
                assert response is not None
                assert response.status == 200, path
                # Nothing wider than the window: no sideways scrolling on a phone.
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, (name, width, overflow)
                page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        finally:
            context.close()
