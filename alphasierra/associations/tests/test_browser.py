"""An association comes to know Alice, then stops, in a real headless Chromium."""

import pytest
from playwright.sync_api import Browser, Page, expect

from alphasierra.audit.models import AuditEvent
from alphasierra.demo import DEMO_PASSWORD
from alphasierra.testing import totp_code, with_second_factor

pytestmark = pytest.mark.browser


def log_in(page: Page, live_portal: str, start: str, email: str, secret: str | None = None) -> None:
    page.goto(f"{live_portal}{start}")
    page.locator("header").get_by_role("link", name="Connexion").click()
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if secret:
        page.locator("input[name=code]").fill(totp_code(secret))
        page.locator("main").get_by_role("button").first.click()
    expect(page.locator("header")).to_contain_text(email)


def test_aramis_knows_alice_until_she_withdraws(browser: Browser, live_portal: str, cast):
    cast.david.authenticator_set.all().delete()
    david_secret = with_second_factor(cast.david)
    contexts = [browser.new_context(), browser.new_context()]
    alice, david = (context.new_page() for context in contexts)
    try:
        walk(alice, david, live_portal, david_secret, cast)
    finally:
        for context in contexts:
            context.close()


def walk(alice: Page, david: Page, live_portal: str, david_secret: str, cast) -> None:

    # Alice logs in on her CLAS site, then opens ARAMIS: a notice tells her.
    log_in(alice, live_portal, "/sud-ouest/", "alice@example.fr")
    alice.goto(f"{live_portal}/aramis/")
    expect(alice.locator(".fr-notice")).to_contain_text("vous connaît désormais")

    # David finds her and opens her family.
    log_in(david, live_portal, "/aramis/", "david@alpha-sierra.org", david_secret)
    david.goto(f"{live_portal}/aramis/gestion/agents-connus/")
    david.get_by_label("Rechercher").fill("martin")
    david.get_by_role("button", name="Rechercher").click()
    david.get_by_role("link", name="Martin Alice").click()
    for relative in ("Julien", "Léa", "Hugo"):
        expect(david.locator("main")).to_contain_text(relative)
    detail_url = david.url

    # Alice withdraws from « Mon compte »; David's next request is a 404.
    alice.goto(f"{live_portal}/comptes/mon-compte/")
    alice.get_by_role("button", name="Retirer l'accès d'ARAMIS").click()
    expect(alice.locator("main")).to_contain_text("ne voit plus vos informations")
    response = david.goto(detail_url)
    assert response is not None
    assert response.status == 404

    # UNASACEM's staff never saw her.
    assert not AuditEvent.objects.filter(organisation__slug="unasacem", subject_id=cast.alice.pk).exists()
