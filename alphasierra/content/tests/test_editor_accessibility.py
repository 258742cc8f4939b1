"""axe-core on the content editor's forms sent back with their errors, in a
real Chromium: no serious or critical violation. The editor's pages
themselves are page types (``tests/page_types.py``), each checked by
``tests/test_accessibility.py``."""

import pytest
from django.conf import settings
from playwright.sync_api import Browser

from alphasierra.testing import PortalClient as Client
from alphasierra.tests.test_accessibility import serious_violations

pytestmark = pytest.mark.browser


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
        found = serious_violations(page)
    finally:
        context.close()

    assert found == []
