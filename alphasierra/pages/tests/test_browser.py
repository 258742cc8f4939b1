"""The portal shell in a real headless Chromium."""

import pytest
from playwright.sync_api import expect

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


def test_the_menu_opens_on_a_phone_with_the_portal_s_script_files_only(browser, live_portal, page_cache):
    """DSFR's script runs under a policy without nonce, from the page the cache serves."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    context.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (event) => window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for _ in range(3):  # the third visit is served by the page cache
            response = page.goto(f"{live_portal}/sud-ouest/")
        assert response is not None
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy
        assert "nonce" not in policy
        menu = page.locator("#menu-principal")
        assert not menu.is_visible()

        page.get_by_role("button", name="Menu").click()

        expect(menu).to_be_visible()
        expect(menu.get_by_role("link", name="Activités")).to_be_visible()
        assert page.evaluate("window.cspViolations") == []
        assert errors == []
    finally:
        context.close()
