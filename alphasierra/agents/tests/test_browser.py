"""The communiqué's path, in a real headless Chromium: sign-up, e-mail
confirmation, approval by the CLAS, then one sign-on for every site."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from alphasierra.demo import DEMO_PASSWORD, _staff
from alphasierra.organisations.models import Organisation, Role
from alphasierra.testing import sign_up_form_fill, totp_code, with_second_factor

pytestmark = pytest.mark.browser
PASSWORD = "le ciel de Toulouse est bleu"


def last_mail_to(email: str) -> mail.EmailMessage:
    return [m for m in mail.outbox if email in m.to][-1]


def link_in(message: mail.EmailMessage, live_portal: str) -> str:
    found = re.search(r"http://127\.0\.0\.1:8000(/\S+)", str(message.body))
    assert found is not None
    return f"{live_portal}{found.group(1)}"


def enter_totp(page: Page, secret: str) -> None:
    """The second step of a staff login: the code of the authenticator app."""
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main").get_by_role("button").first.click()


def log_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_alice_signs_up_is_approved_and_is_known_on_every_site(page: Page, live_portal: str, settings):
    settings.PORTAL_URL = "http://127.0.0.1:8000"
    bruno = _staff("bruno@alpha-sierra.org", Organisation.objects.get(slug="sud-ouest"), Role.Kind.SITE_MANAGER)
    bruno_secret = with_second_factor(bruno)
    mail.outbox.clear()

    # Alice signs up on her CLAS site, filling every field.
    page.goto(f"{live_portal}/sud-ouest/")
    page.locator("#bandeau-titre").locator("..").get_by_role("link", name="Inscription").click()
    sign_up_form_fill(page, email="alice@example.fr", password=PASSWORD, family_situation="married", children=2)
    page.get_by_label("Nom du conjoint", exact=True).fill("Martin")
    page.get_by_label("Prénom du conjoint").fill("Julien")
    page.get_by_label("Date de naissance du conjoint").fill("1980-09-03")
    for number, (first_name, birth_date) in enumerate([("Léa", "2012-06-01"), ("Hugo", "2015-02-20")]):
        page.get_by_role("button", name="Ajouter un enfant").click()
        page.locator(f"#id_enfants-{number}-last_name").fill("Martin")
        page.locator(f"#id_enfants-{number}-first_name").fill(first_name)
        page.locator(f"#id_enfants-{number}-birth_date").fill(birth_date)
    # Passwords never come back in a page: she types them again.
    page.get_by_label("Mot de passe", exact=False).first.fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.locator("h1")).to_have_text("Confirmez votre adresse e-mail")
    expect(page.locator("main")).to_contain_text("alice@example.fr")

    # She reads the confirmation e-mail and confirms.
    confirmation = last_mail_to("alice@example.fr")
    assert confirmation.subject == "[CLAS Sud-Ouest] Confirmez votre adresse e-mail"
    page.goto(link_in(confirmation, live_portal))
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("h1")).to_have_text("Adresse e-mail confirmée")

    # Bruno receives the request, logs in from the link, approves.
    request = last_mail_to("bruno@alpha-sierra.org")
    assert "Inscription à valider : Alice Martin" in request.subject
    page.goto(link_in(request, live_portal))
    log_in(page, "bruno@alpha-sierra.org", DEMO_PASSWORD)
    enter_totp(page, bruno_secret)
    expect(page.locator("h1")).to_have_text("Madame Alice Martin")
    expect(page.locator("main")).to_contain_text("Julien")
    expect(page.locator("main")).to_contain_text("Hugo")
    page.get_by_role("button", name="Valider l'inscription").click()
    expect(page.locator("main")).to_contain_text("est validée")
    page.get_by_role("button", name="Se déconnecter").click()

    # Alice is told, logs in on ARAMIS, and is known on every site.
    assert last_mail_to("alice@example.fr").subject == "[CLAS Sud-Ouest] Votre inscription est validée"
    page.goto(f"{live_portal}/aramis/")
    page.locator("header").get_by_role("link", name="Connexion").click()
    log_in(page, "alice@example.fr", PASSWORD)
    page.wait_for_url(f"{live_portal}/aramis/")
    expect(page.locator("header")).to_contain_text("alice@example.fr")
    for path in ["/sud-ouest/", "/"]:
        page.goto(f"{live_portal}{path}")
        expect(page.locator("header")).to_contain_text("alice@example.fr")

    # She logs out on /nord/ and is logged out everywhere.
    page.goto(f"{live_portal}/nord/")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{live_portal}/nord/")
    for path in ["/nord/", "/aramis/", "/sud-ouest/", "/"]:
        page.goto(f"{live_portal}{path}")
        expect(page.locator("header")).not_to_contain_text("alice@example.fr")
        expect(page.locator("header").get_by_role("link", name="Connexion")).to_be_visible()
