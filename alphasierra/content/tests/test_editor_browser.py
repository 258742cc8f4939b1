"""Bruno writes a page of Sud-Ouest in a real browser: an address already
taken, the preview, publishing, a second version, and the first one restored;
at a desktop's width and a phone's."""

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from alphasierra.content.models import Page as SitePage
from alphasierra.content.tests.drafts import a_news_item, a_page
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient as Client

pytestmark = pytest.mark.browser
SHOTS = "/tmp/shots-edit"  # noqa: S108 (screenshots to look at, kept out of the repository)


def shot(page: Page, name: str, width: int) -> None:
    page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


# The labels hold their hints (the Markdown's help names « adresse » too): fields are found by their id.


def open_menu_if_folded(page: Page) -> None:
    # On a phone, the back-office menu folds behind its button.
    button = page.get_by_role("button", name="Menu de gestion")
    if button.is_visible():
        button.click()


@pytest.mark.parametrize("width", [1280, 375])
def test_bruno_writes_previews_publishes_edits_and_restores_a_page(browser: Browser, live_portal: str, cast, width):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    a_page(sud_ouest, cast.bruno, title="Nos permanences", slug="nos-permanences")
    a_news_item(sud_ouest, cast.bruno, title="Arbre de Noël")
    client = Client()
    client.force_login(cast.bruno)
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_portal}])
    page = context.new_page()
    try:
        page.goto(f"{live_portal}/sud-ouest/gestion/")
        open_menu_if_folded(page)
        page.locator(".fr-sidemenu").get_by_role("link", name="Contenu du site").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Contenu du site")
        shot(page, "overview", width)

        # A second page at the same address: the error is next to the field, nothing typed is lost.
        page.get_by_role("link", name="Nouvelle page").click()
        page.locator("#id_title").fill("Nos permanences")
        page.locator("#id_body").fill("## Juillet et août\n\nLe **mardi**, de 9 h à 12 h.")
        page.get_by_role("button", name="Enregistrer le brouillon et voir l'aperçu").click()
        expect(page.get_by_text("Une autre page de ce site a déjà cette adresse.").first).to_be_visible()
        expect(page.locator("#id_body")).to_have_value("## Juillet et août\n\nLe **mardi**, de 9 h à 12 h.")
        shot(page, "page-editor-error", width)

        page.locator("#id_title").fill("Nos permanences d'été")
        page.locator("#id_slug").fill("permanences-ete")
        page.get_by_role("button", name="Enregistrer le brouillon et voir l'aperçu").click()
        expect(page.get_by_text("Aperçu — brouillon non publié")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Nos permanences d'été")
        expect(page.get_by_role("heading", level=2, name="Juillet et août")).to_be_visible()
        shot(page, "preview", width)

        page.get_by_role("button", name="Publier").click()
        expect(page.get_by_text("La page est publiée : elle est en ligne.")).to_be_visible()
        written = SitePage.objects.get(slug="permanences-ete")
        assert (written.state, written.title) == ("published", "Nos permanences d'été")

        # A second version, published in turn.
        page.locator("#id_title").fill("Nos permanences d'été 2027")
        page.get_by_role("button", name="Enregistrer le brouillon et voir l'aperçu").click()
        expect(page.get_by_text("Aperçu — brouillon non publié")).to_be_visible()
        page.get_by_role("button", name="Publier").click()
        expect(page.get_by_text("La page est publiée : elle est en ligne.")).to_be_visible()
        written.refresh_from_db()
        assert written.title == "Nos permanences d'été 2027"
        expect(page.get_by_text("version en ligne")).to_have_count(1)
        page.locator("#versions").scroll_into_view_if_needed()
        shot(page, "history", width)

        # The first version, back online.
        first = written.revisions.order_by("created_at", "pk").first()
        assert first is not None
        page.locator(f"a[href$='/versions/{first.pk}/']").click()
        expect(page.get_by_text("Aperçu — ancienne version, qui n'est plus en ligne")).to_be_visible()
        shot(page, "preview-old", width)
        page.get_by_role("button", name="Restaurer cette version").click()
        expect(page.get_by_text("est de nouveau en ligne")).to_be_visible()
        written.refresh_from_db()
        assert written.title == "Nos permanences d'été"
        assert written.revisions.count() == 3
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_bruno_writes_the_home_page_and_a_news_item(browser: Browser, live_portal: str, cast, width):
    client = Client()
    client.force_login(cast.bruno)
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_portal}])
    page = context.new_page()
    try:
        page.goto(f"{live_portal}/sud-ouest/gestion/")
        shot(page, "dashboard", width)
        page.locator("#contenu").get_by_role("link", name="Contenu du site").last.click()
        page.get_by_role("link", name="Modifier la page d'accueil").click()
        page.locator("#id_banner_title").fill("Bienvenue au CLAS Sud-Ouest")
        page.locator("#id_banner_text").fill("Sorties, séjours et rencontres des agents de Toulouse et de Bordeaux.")
        page.locator("#id_introduction").fill("Le CLAS organise des **sorties** tout au long de l'année.")
        page.locator("#id_tile_1_title").fill("Nos activités")
        page.locator("#id_tile_1_url").fill("/sud-ouest/activites/")
        page.locator("#id_tile_1_description").fill("Les sorties ouvertes aux inscriptions")
        page.locator("#id_tile_2_url").fill("https://meteofrance.com/")
        page.get_by_role("button", name="Enregistrer le brouillon et voir l'aperçu").click()
        expect(page.locator("#id_tile_2_title-desc-error")).to_have_text("Indiquez le titre de ce lien.")
        expect(page.locator("#id_tile_2_url")).to_have_value("https://meteofrance.com/")
        shot(page, "home-editor-error", width)

        page.locator("#id_tile_2_title").fill("Météo-France")
        page.get_by_role("button", name="Enregistrer le brouillon et voir l'aperçu").click()
        expect(page.get_by_text("Aperçu — brouillon non publié")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue au CLAS Sud-Ouest")
        expect(page.get_by_role("link", name="Météo-France")).to_have_attribute("href", "https://meteofrance.com/")
        shot(page, "home-preview", width)
        page.get_by_role("button", name="Publier").click()
        expect(page.get_by_text("La page d'accueil est publiée : elle est en ligne.")).to_be_visible()

        page.get_by_role("link", name="Contenu du site").last.click()
        page.get_by_role("link", name="Nouvelle actualité").click()
        page.locator("#id_title").fill("Arbre de Noël")
        page.locator("#id_summary").fill("Le spectacle des enfants, samedi 13 décembre à 15 h.")
        page.locator("#id_body").fill("Inscriptions **avant le 1er décembre** auprès du CLAS.")
        page.locator("#id_publish_on").fill("2036-12-01T09:00")
        shot(page, "news-editor", width)
        page.get_by_role("button", name="Enregistrer le brouillon et voir l'aperçu").click()
        expect(page.get_by_text("Aperçu — brouillon non publié")).to_be_visible()
        expect(page.get_by_text("Publiée le 1 décembre 2036 à 09:00")).to_be_visible()
        shot(page, "news-preview", width)
        page.get_by_role("button", name="Publier").click()
        expect(page.get_by_text("elle paraîtra sur le site le 1 décembre 2036 à 09:00")).to_be_visible()
        shot(page, "news-editor-published", width)
        page.get_by_role("link", name="Contenu du site").last.click()
        expect(page.get_by_text("programmée")).to_be_visible()
        shot(page, "overview-filled", width)
    finally:
        context.close()
