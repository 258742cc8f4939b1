"""axe-core on the activities' form sent back with its errors, in a real
Chromium: no serious or critical violation. Every page of the managers is a
page type, checked by ``alphasierra/tests/test_accessibility.py``."""

import pytest
from django.conf import settings
from playwright.sync_api import Browser

from alphasierra.testing import PortalClient as Client
from alphasierra.tests.test_accessibility import serious_violations

pytestmark = pytest.mark.browser


def test_the_activity_form_sent_with_errors_stays_accessible(browser: Browser, live_portal: str, cast):
    client = Client()
    client.force_login(cast.bruno)
    context = browser.new_context()
    try:
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_portal,
                }
            ]
        )
        page = context.new_page()
        page.goto(f"{live_portal}/sud-ouest/gestion/activites/nouvelle/")
        page.get_by_label("Titre").fill("Journée ski")
        page.get_by_role("button", name="Créer le brouillon").click()
        assert page.get_by_text("Le formulaire contient des erreurs").is_visible()
        assert page.get_by_label("Titre").input_value() == "Journée ski"
        found = serious_violations(page)
    finally:
        context.close()

    assert found == []
