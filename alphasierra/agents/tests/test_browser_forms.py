"""Long forms in a real headless Chromium, on a phone: adding a row brings the
person back to it, and a form sent with errors gives the focus to its summary."""

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect

from alphasierra.demo import DEMO_PASSWORD
from alphasierra.testing import sign_up_form_fill

pytestmark = pytest.mark.browser
PHONE: ViewportSize = {"width": 375, "height": 740}


def assert_focused_and_in_view(page: Page, field: Locator) -> None:
    expect(field).to_be_focused()
    assert field.is_visible()
    box = field.bounding_box()
    assert box is not None
    viewport = page.viewport_size
    assert viewport is not None
    assert box["y"] >= 0, box
    assert box["y"] + box["height"] <= viewport["height"], box


def test_alice_adds_a_row_to_her_family_and_lands_on_it(page: Page, live_portal: str, cast):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_portal}/comptes/mon-compte/famille/")
    page.get_by_label("Adresse e-mail").fill("alice@example.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    rows = page.locator("fieldset")
    expect(rows.first).to_be_visible()
    before = rows.count()
    assert before >= 3  # her spouse, two children and the empty row
    rows.nth(before - 1).locator("[name$=-first_name]").fill("Zoé")

    page.get_by_role("button", name="Ajouter une ligne").click()

    expect(rows).to_have_count(before + 1)
    assert_focused_and_in_view(page, rows.last.locator("[name$=-kind]"))
    expect(rows.nth(before - 1).locator("[name$=-first_name]")).to_have_value("Zoé")


def test_a_child_row_added_at_sign_up_takes_the_focus_and_asks_the_passwords_again(page: Page, live_portal: str):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_portal}/sud-ouest/inscription/")
    sign_up_form_fill(page, email="elodie@example.fr", password="une phrase de passe assez longue", children=2)
    add = page.get_by_role("button", name="Ajouter un enfant")
    add.click()

    assert_focused_and_in_view(page, page.locator("#id_enfants-0-last_name"))
    for name in ("password1", "password2"):
        expect(page.locator(f"#id_{name}")).to_have_value("")
        expect(page.locator(f"#id_{name}-desc-notice")).to_contain_text("saisissez-le à nouveau")
    expect(page.locator("#id_city")).to_have_value("Toulouse")

    page.locator("#id_enfants-0-first_name").fill("Awa")
    add.click()

    assert_focused_and_in_view(page, page.locator("#id_enfants-1-last_name"))
    expect(page.locator("#id_enfants-0-first_name")).to_have_value("Awa")


def test_a_sign_up_sent_with_errors_gives_the_focus_to_the_summary(page: Page, live_portal: str):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_portal}/sud-ouest/inscription/")
    sign_up_form_fill(page, email="elodie@example.fr", password="court")
    page.get_by_label("Confirmation du mot de passe").fill("autre")
    page.get_by_label("Commune").fill("")

    page.get_by_role("button", name="Créer mon compte").click()

    summary = page.locator("#erreurs")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    links = summary.get_by_role("link")
    expect(links).to_have_count(3)
    # The link leads to the field.
    links.last.click()
    expect(page.locator("#id_city")).to_be_in_viewport()
