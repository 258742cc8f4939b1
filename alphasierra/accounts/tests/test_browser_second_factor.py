"""Chloé sets up her second factor on the way to the transfers of her CLAS, in
a real headless Chromium, then logs in with it."""

import pytest
from playwright.sync_api import Page, expect

from alphasierra.demo import DEMO_PASSWORD
from alphasierra.testing import totp_code

pytestmark = pytest.mark.browser


def log_in(page: Page, email: str) -> None:
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


@pytest.mark.parametrize("width", [1280, 375])
def test_chloe_sets_up_totp_and_goes_on_to_the_page_she_asked_for(page: Page, live_portal: str, cast, width):
    cast.chloe.authenticator_set.all().delete()
    page.set_viewport_size({"width": width, "height": 900})
    asked = f"{live_portal}/nord/gestion/transferts/"

    page.goto(asked)
    log_in(page, cast.chloe.email)
    expect(page.locator("main")).to_contain_text("activez d'abord une double authentification")
    # allauth asks for the password again before adding a second factor.
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirmer").click()

    qr = page.get_by_role("img", name="QR code à scanner avec votre application d'authentification")
    expect(qr).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    assert secret not in (qr.get_attribute("alt") or "")
    # Reloading the page keeps the QR code already scanned valid.
    page.reload()
    expect(page.locator("#authenticator_secret")).to_have_value(secret)

    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main form").get_by_role("button", name="Activer").click()
    expect(page.locator("h1")).to_have_text("Codes de récupération")
    page.get_by_role("link", name="Continuer vers la page demandée").click()

    assert page.url == asked
    expect(page.locator("h1")).to_contain_text("Transferts")

    # Her next login asks for the code of her app, and for no security key.
    page.context.clear_cookies()
    page.goto(asked)
    log_in(page, cast.chloe.email)
    expect(page.locator("input[name=code]")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("clé de sécurité")
    expect(page.locator("#mfa_webauthn_authenticate")).to_have_count(0)
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main form").first.get_by_role("button").first.click()
    assert page.url == asked
