"""The portal shell in a real headless Chromium."""

import pytest

pytestmark = pytest.mark.browser


def test_the_site_switcher_opens_and_leads_to_another_site(page, live_portal):
    page.goto(f"{live_portal}/sud-ouest/")

    assert page.locator("h1").inner_text() == "CLAS Sud-Ouest"
    page.get_by_role("button", name="Les associations nationales").click()
    page.get_by_role("link", name="ARAMIS").click()

    page.wait_for_url(f"{live_portal}/aramis/")
    assert page.locator("h1").inner_text() == "ARAMIS"
    # Once DSFR's script has run, the no-script fallback link is hidden.
    assert page.locator("html").get_attribute("data-fr-js") == "true"
    assert not page.locator("#navigation").get_by_role("link", name="Tous les sites").is_visible()


def test_pages_work_without_javascript(browser, live_portal):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_portal}/nouvelle-caledonie/")
        assert page.locator("h1").inner_text() == "CLAS Nouvelle-Calédonie"

        page.locator("#navigation").get_by_role("link", name="Tous les sites").click()
        page.get_by_role("link", name="ANAFACEM").click()
        assert page.locator("h1").inner_text() == "ANAFACEM"

        page.get_by_role("button", name="English").click()
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()


def test_an_unknown_site_shows_the_portal_404_page(page, live_portal):
    response = page.goto(f"{live_portal}/inconnu/")

    assert response is not None
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page introuvable"
