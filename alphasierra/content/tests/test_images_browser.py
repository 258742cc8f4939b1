"""Bruno's images page in a real headless Chromium: two photos sent, a GIF
refused next to its field with his description kept, an image deleted after
he confirms, another kept while a news item shows it; what he sent is shown
by the browser, whatever the width."""

import io

import pytest
from django.conf import settings
from PIL import Image as Pillow
from playwright.sync_api import Browser, Page, expect

from alphasierra.content.models import Image
from alphasierra.content.services.editing import news_create
from alphasierra.testing import PortalClient

pytestmark = pytest.mark.browser
SHOTS = "/tmp/shots-img"  # noqa: S108 (screenshots to look at, kept out of the repository)


def photo(size: tuple[int, int], top: str, bottom: str, fmt: str = "JPEG") -> bytes:
    """A picture with a sky and a ground, as a camera would send it."""
    image = Pillow.new("RGB", size, bottom)
    image.paste(Pillow.new("RGB", (size[0], size[1] * 2 // 3), top))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def send(page: Page, name: str, mime: str, data: bytes, alt: str) -> None:
    page.locator("#id_file").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    page.get_by_role("textbox", name="Texte alternatif").fill(alt)
    page.get_by_role("button", name="Envoyer l'image").click()


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("width", [1280, 375])
def test_bruno_sends_two_photos_is_refused_a_gif_deletes_one_and_keeps_one_in_use(
    browser: Browser, live_portal: str, cast, settings_media, width
):
    client = PortalClient()
    client.force_login(cast.bruno)
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
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
    try:
        page.goto(f"{live_portal}/sud-ouest/gestion/contenu/images/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Images du site")

        send(page, "IMG_0412.JPG", "image/jpeg", photo((1200, 800), "#7fb3d5", "#2e7d32"), "Le car du CLAS au col")
        expect(page.get_by_text("L'image est enregistrée.")).to_be_visible()
        send(page, "affiche.png", "image/png", photo((600, 900), "#f5b041", "#6c3483", "PNG"), "L'affiche du loto")
        expect(page.get_by_role("heading", name="2 images envoyées")).to_be_visible()
        thumbnails = page.locator("img.as-thumbnail")
        expect(thumbnails).to_have_count(2)
        for index in range(2):
            thumbnails.nth(index).scroll_into_view_if_needed()
            # Served with its type under the portal's policies: the browser
            # decodes it (once it has come: a thumbnail loads when scrolled to).
            page.wait_for_function(
                "img => img.complete && img.naturalWidth > 0", arg=thumbnails.nth(index).element_handle()
            )
        code = page.get_by_role("textbox", name="Code Markdown à copier dans un texte").first
        assert code.input_value().startswith("![L'affiche du loto](/media/contenu/")
        assert fits_the_screen(page)
        page.screenshot(path=f"{SHOTS}/images-two-{width}.png", full_page=True)

        gif = io.BytesIO()
        Pillow.new("RGB", (40, 40), "red").save(gif, "GIF")
        send(page, "logo.png", "image/png", gif.getvalue(), "Le logo du CLAS")
        field = page.locator(".fr-upload-group")
        expect(field).to_contain_text("Ce fichier n'est pas une image JPEG, PNG ou WebP.")
        expect(page.get_by_role("textbox", name="Texte alternatif")).to_have_value("Le logo du CLAS")
        expect(page.locator("#erreurs")).to_be_visible()
        assert fits_the_screen(page)
        page.screenshot(path=f"{SHOTS}/images-error-{width}.png", full_page=True)
        assert Image.objects.count() == 2

        page.get_by_role("link", name="Supprimer l'image « Le car du CLAS au col »").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer l'image")
        assert fits_the_screen(page)
        page.screenshot(path=f"{SHOTS}/images-delete-{width}.png", full_page=True)
        page.get_by_role("button", name="Supprimer l'image").click()

        expect(page.get_by_text("L'image « Le car du CLAS au col » est supprimée.")).to_be_visible()
        expect(page.locator("img.as-thumbnail")).to_have_count(1)
        assert list(Image.objects.values_list("alt", flat=True)) == ["L'affiche du loto"]

        # The poster illustrates a news item being written: it cannot go.
        poster = Image.objects.get()
        news_create(
            organisation=poster.organisation,
            actor=cast.bruno,
            values={"title": "Loto du 12 décembre", "summary": "À la salle des fêtes", "body": "", "image": poster},
        )
        page.get_by_role("link", name="Supprimer l'image « L'affiche du loto »").click()
        expect(page.locator("main")).to_contain_text("Cette image est encore utilisée")
        expect(page.locator("main")).to_contain_text("l'actualité « Loto du 12 décembre »")
        expect(page.get_by_role("button", name="Supprimer l'image")).to_have_count(0)
        assert fits_the_screen(page)
        page.screenshot(path=f"{SHOTS}/images-in-use-{width}.png", full_page=True)
    finally:
        context.close()


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
