"""The whole of « Site content » in a real browser, as the portal's users live
it: Bruno publishes on Sud-Ouest a news item with a link and an image, and a
page « Nos permanences » in the menu; a visitor reads both, and what Bruno
pasted of a script runs nowhere; David cannot open Sud-Ouest's editor; Bruno
brings the previous version of the page back."""

import io
import urllib.request
from typing import Any

import pytest
from django.conf import settings
from PIL import Image as PillowImage
from playwright.sync_api import Browser, BrowserContext, Page, expect

from alphasierra.audit.models import AuditEvent
from alphasierra.content.models import NewsItem, Revision
from alphasierra.content.models import Page as SitePage
from alphasierra.testing import PortalClient as Client

pytestmark = pytest.mark.browser

HOSTILE = '<script>window.pwned = "script"</script>\n\n<img src="x" onerror="window.pwned = \'onerror\'">'


def logged_in(browser: Browser, live_portal: str, user: Any, width: int) -> BrowserContext:
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_portal}])
    return context


def photo() -> bytes:
    out = io.BytesIO()
    PillowImage.new("RGB", (320, 200), "darkgreen").save(out, "JPEG")
    return out.getvalue()


def save_and_publish(page: Page, published: str) -> None:
    page.get_by_role("button", name="Enregistrer le brouillon et voir l'aperçu").click()
    expect(page.get_by_text("Aperçu — brouillon non publié")).to_be_visible()
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text(published)).to_be_visible()


def served_html(url: str) -> str:
    with urllib.request.urlopen(url) as response:  # noqa: S310 -- the test's own live server
        return response.read().decode()


@pytest.mark.parametrize("width", [1280, 375])
def test_bruno_publishes_news_and_a_page_a_visitor_reads_them_david_is_kept_out_bruno_restores(
    browser: Browser, live_portal: str, cast, width
):
    bruno = logged_in(browser, live_portal, cast.bruno, width)
    page = bruno.new_page()
    pwned: list[str] = []
    try:
        # An image, sent from the images page; its Markdown is copied from there.
        page.goto(f"{live_portal}/sud-ouest/gestion/contenu/images/")
        page.locator("#id_file").set_input_files({"name": "sapin.jpg", "mimeType": "image/jpeg", "buffer": photo()})
        page.get_by_role("textbox", name="Texte alternatif").fill("Le sapin du CLAS")
        page.get_by_role("button", name="Envoyer l'image").click()
        expect(page.get_by_text("L'image est enregistrée.")).to_be_visible()
        image_code = page.get_by_role("textbox", name="Code Markdown à copier dans un texte").first.input_value()
        assert image_code.startswith("![Le sapin du CLAS](/media/contenu/")

        # The news item: a Markdown link, the image in its text and as its picture, and a pasted script.
        page.goto(f"{live_portal}/sud-ouest/gestion/contenu/")
        page.get_by_role("link", name="Nouvelle actualité").click()
        page.locator("#id_title").fill("Arbre de Noël")
        page.locator("#id_summary").fill("Le spectacle des enfants, samedi à 15 h.")
        page.locator("#id_body").fill(
            f"Inscriptions sur [la billetterie](https://billetterie.example.org/noel).\n\n{image_code}\n\n{HOSTILE}"
        )
        page.locator("#id_image").select_option(label="Le sapin du CLAS (320 × 200 px)")
        save_and_publish(page, "L'actualité est publiée : elle est en ligne.")

        # The page, in the site's menu; then a second version of it.
        page.goto(f"{live_portal}/sud-ouest/gestion/contenu/pages/nouvelle/")
        page.locator("#id_title").fill("Nos permanences")
        page.locator("#id_slug").fill("permanences")
        page.locator("#id_body").fill(f"Le **mardi**, de 9 h à 12 h, bâtiment A.\n\n{HOSTILE}")
        page.get_by_label("Dans le menu du site").check(force=True)  # the DSFR label covers its box
        save_and_publish(page, "La page est publiée : elle est en ligne.")
        page.locator("#id_body").fill("Le **jeudi**, de 14 h à 17 h, bâtiment B.")
        save_and_publish(page, "La page est publiée : elle est en ligne.")
        permanences = SitePage.objects.get(organisation__slug="sud-ouest", slug="permanences")
        assert (permanences.state, permanences.in_menu, permanences.revisions.count()) == ("published", True, 2)

        # A visitor reads both, from the home page.
        visitor = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
        reader = visitor.new_page()
        reader.on("dialog", lambda dialog: pwned.append(dialog.message))
        reader.goto(f"{live_portal}/sud-ouest/")
        if width < 1000:
            reader.get_by_role("button", name="Menu").click()
        reader.get_by_role("link", name="Nos permanences").first.click()
        expect(reader.get_by_role("heading", level=1)).to_have_text("Nos permanences")
        expect(reader.get_by_text("Le jeudi, de 14 h à 17 h, bâtiment B.")).to_be_visible()

        reader.goto(f"{live_portal}/sud-ouest/")
        reader.get_by_role("link", name="Arbre de Noël").first.click()
        expect(reader.get_by_role("heading", level=1)).to_have_text("Arbre de Noël")
        link = reader.get_by_role("link", name="la billetterie")
        expect(link).to_have_attribute("href", "https://billetterie.example.org/noel")
        assert {"noopener", "noreferrer"} <= set((link.get_attribute("rel") or "").split())
        pictures = reader.get_by_role("img", name="Le sapin du CLAS")
        expect(pictures).to_have_count(2)  # the news item's picture, and the one in its text
        for index in range(2):
            assert pictures.nth(index).evaluate("img => img.complete && img.naturalWidth") == 320
        reader.screenshot(path=f"/tmp/shots-scenario/news-{width}.png", full_page=True)  # noqa: S108

        # The pasted script and event handler ran nowhere, and are not in what the server sent.
        news = NewsItem.objects.get(organisation__slug="sud-ouest", title="Arbre de Noël")
        for url in (f"{live_portal}/sud-ouest/actualites/{news.pk}/", f"{live_portal}/sud-ouest/pages/permanences/"):
            reader.goto(url)
            assert reader.evaluate("window.pwned") is None
            html = served_html(url)
            assert "<script>window.pwned" not in html
            assert "onerror" not in html
            assert "pwned" not in html
        assert pwned == []
        visitor.close()

        # David manages ARAMIS, not Sud-Ouest: its editor does not exist for him, and nothing changes.
        david = logged_in(browser, live_portal, cast.david, width)
        intruder = david.new_page()
        before = (Revision.objects.count(), AuditEvent.objects.filter(action__startswith="content.").count())
        for path in ("", "pages/nouvelle/", f"pages/{permanences.pk}/", f"actualites/{news.pk}/", "images/"):
            response = intruder.goto(f"{live_portal}/sud-ouest/gestion/contenu/{path}")
            assert response is not None
            assert response.status == 404, path
        assert (Revision.objects.count(), AuditEvent.objects.filter(action__startswith="content.").count()) == before
        david.close()

        # Bruno brings the first version back from the page's history.
        first = permanences.revisions.order_by("created_at", "pk").first()
        assert first is not None
        page.goto(f"{live_portal}/sud-ouest/gestion/contenu/pages/{permanences.pk}/")
        page.locator(f"a[href$='/versions/{first.pk}/']").click()
        page.get_by_role("button", name="Restaurer cette version").click()
        expect(page.get_by_text("est de nouveau en ligne")).to_be_visible()
        page.goto(f"{live_portal}/sud-ouest/pages/permanences/")
        expect(page.get_by_text("Le mardi, de 9 h à 12 h, bâtiment A.")).to_be_visible()
        permanences.refresh_from_db()
        assert "mardi" in permanences.body_html
        assert AuditEvent.objects.filter(action="content.restored", actor=cast.bruno).count() == 1
    finally:
        bruno.close()
