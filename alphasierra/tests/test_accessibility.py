"""Every page type as a person meets it (``page_types.PAGE_TYPES``), in a real
Chromium: axe-core (RGAA's automated part) finds no serious or critical
violation, on the page types and on forms sent back with their errors; and at
1280 then 375 px every button and link shows its words and the page fits the
window (RGAA 10.11, ``test_visible_text``)."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from playwright.sync_api import Browser, Page

from alphasierra.activities.tests.agent_world import outing
from alphasierra.content.services.editing import news_create
from alphasierra.content.services.images import image_upload
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient as Client  # staff logged in with their second factor
from alphasierra.tests.page_types import PAGE_TYPES, PageType, SweptPortal, resize
from alphasierra.tests.test_visible_text import words_and_width_problems

pytestmark = pytest.mark.browser
PASSWORD = "alpha-sierra-demo"  # the demo accounts' password


def serious_violations(page: Page) -> list[str]:
    """What axe-core finds serious or critical on the page as it stands."""
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}) {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


# The widths of a desktop window and of a phone, looked at in one visit: the
# window is narrowed without loading the page again (``page_types.resize``).
WIDTHS = (1280, 375)


@pytest.mark.sweep
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=str)
def test_the_page_type_is_accessible_and_shows_its_words_at_every_width(swept_portal: SweptPortal, page_type: PageType):
    page, response = swept_portal.open(page_type, width=WIDTHS[0])
    assert response is not None
    assert response.status == page_type.status

    found = [f"axe: {violation}" for violation in serious_violations(page)]
    for width in WIDTHS:
        resize(page, width)
        found += [f"{width} px: {problem}" for problem in words_and_width_problems(page, width)]

    assert not found, "\n".join(dict.fromkeys(found))


def logged_in(persona: str, cast) -> Client:
    client = Client()
    if persona == "alice":
        # A real log-in, then the password typed again, as the sweeps' Alice.
        response = client.post("/comptes/login/", {"login": cast.alice.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.post("/comptes/reauthenticate/", {"password": PASSWORD}).status_code == 302
    else:
        client.force_login(getattr(cast, persona))
    return client


def test_a_form_with_errors_stays_accessible(browser: Browser, live_portal: str, cast):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{live_portal}/sud-ouest/inscription/")
        page.get_by_role("button", name="Créer mon compte").click()
        found = serious_violations(page)
    finally:
        context.close()

    assert found == []


def test_the_household_form_with_errors_and_its_review_stay_accessible(browser: Browser, live_portal: str, cast):
    activity = outing()
    client = logged_in("alice", cast)
    context = browser.new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_portal}])
    try:
        page = context.new_page()
        page.goto(f"{live_portal}/sud-ouest/activites/{activity.pk}/")
        page.get_by_role("button", name="Voir le total").click()
        errors = serious_violations(page)
        page.locator("label", has_text="Alice Martin").click()
        page.get_by_role("button", name="Voir le total").click()
        review = serious_violations(page)
    finally:
        context.close()

    assert errors + review == []


def _photo(colour: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    PillowImage.new("RGB", (300, 200), colour).save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def test_the_images_form_with_errors_and_an_image_in_use_stay_accessible(
    browser: Browser, live_portal: str, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    used = image_upload(organisation=sud_ouest, actor=cast.bruno, upload=_photo("orange"), alt="L'affiche du loto")
    news_create(
        organisation=sud_ouest,
        actor=cast.bruno,
        values={"title": "Loto", "summary": "Samedi", "body": "", "image": used, "publish_on": None},
    )
    client = logged_in("bruno", cast)
    context = browser.new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_portal}])
    try:
        page = context.new_page()
        page.goto(f"{live_portal}/sud-ouest/gestion/contenu/images/")
        page.locator("#id_file").set_input_files({"name": "a.png", "mimeType": "image/png", "buffer": b"GIF89a"})
        page.get_by_role("button", name="Envoyer l'image").click()
        page.locator("#erreurs").wait_for()
        errors = serious_violations(page)
        # An image in use: its deletion page says where, without a delete button.
        page.goto(f"{live_portal}/sud-ouest/gestion/contenu/images/{used.pk}/supprimer/")
        in_use = serious_violations(page)
    finally:
        context.close()

    assert errors + in_use == []
