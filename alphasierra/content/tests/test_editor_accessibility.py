"""axe-core on the content editor's pages, in a real Chromium: no serious or
critical violation, the forms sent with errors included."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Browser

from alphasierra.content.models import Home
from alphasierra.content.selectors import draft_of
from alphasierra.content.tests.drafts import a_home, a_news_item, a_page, an_image, newest, page_draft
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient as Client
from alphasierra.tests.test_accessibility import scan

pytestmark = pytest.mark.browser

PAGES: list[tuple[str, str | None]] = [
    ("/sud-ouest/gestion/contenu/", "bruno"),
    ("/sud-ouest/gestion/contenu/accueil/", "bruno"),
    ("/sud-ouest/gestion/contenu/pages/nouvelle/", "bruno"),
    ("/sud-ouest/gestion/contenu/pages/{page}/", "bruno"),
    ("/sud-ouest/gestion/contenu/actualites/nouvelle/", "bruno"),
    ("/sud-ouest/gestion/contenu/actualites/{news}/", "bruno"),
    ("/sud-ouest/gestion/contenu/versions/{draft}/", "bruno"),
    ("/sud-ouest/gestion/contenu/versions/{old}/", "bruno"),
    ("/sud-ouest/gestion/contenu/versions/{home}/", "bruno"),
    ("/sud-ouest/gestion/contenu/versions/{news_version}/", "bruno"),
    ("/gestion/contenu/", "nadia"),
]


def test_no_serious_or_critical_violation_on_the_editor(browser: Browser, live_portal: str, cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    image = an_image(sud_ouest)
    page = a_page(sud_ouest, cast.bruno)
    old = newest(page)
    page_draft(page, cast.bruno, title="Nos permanences d'hiver")
    draft = page_draft(page, cast.bruno, title="Nos permanences d'été")
    news = a_news_item(sud_ouest, cast.bruno, image=image)
    tiles = [{"title": "Nos activités", "url": "/sud-ouest/activites/", "description": "Les sorties"}]
    a_home(sud_ouest, cast.bruno, publish=False, tiles=tiles, image=image)
    home = draft_of(Home.objects.get())
    assert home is not None
    ids = {"page": page.pk, "news": news.pk, "draft": draft.pk, "old": old.pk, "home": home.pk}

    assert scan(browser, live_portal, cast, PAGES, **ids, news_version=newest(news).pk) == []


@pytest.mark.parametrize(
    ("path", "typed"),
    [
        ("/sud-ouest/gestion/contenu/pages/nouvelle/", {"#id_body": "Le texte."}),
        ("/sud-ouest/gestion/contenu/actualites/nouvelle/", {"#id_title": "Noël", "#id_publish_on": ""}),
        ("/sud-ouest/gestion/contenu/accueil/", {"#id_tile_1_url": "/sud-ouest/activites/"}),
    ],
)
def test_the_editors_sent_with_errors_stay_accessible(browser: Browser, live_portal: str, cast, path, typed):
    client = Client()
    client.force_login(cast.bruno)
    context = browser.new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_portal}])
    try:
        page = context.new_page()
        page.goto(f"{live_portal}{path}")
        for selector, value in typed.items():
            page.locator(selector).fill(value)
        page.get_by_role("button", name="Enregistrer le brouillon et voir l'aperçu").click()
        assert page.get_by_text("Le formulaire contient des erreurs").is_visible()
        results = Axe().run(page)
    finally:
        context.close()

    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
