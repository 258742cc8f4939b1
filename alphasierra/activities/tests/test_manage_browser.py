"""Bruno runs an outing of Sud-Ouest in a real browser: creates it, publishes
it, registers a family taken by phone, prints the sign-in sheet and exports
the list."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, expect

from alphasierra.activities.models import Activity, Registration
from alphasierra.agents.models import Relative
from alphasierra.testing import PortalClient as Client

pytestmark = pytest.mark.browser


def test_bruno_publishes_an_outing_registers_a_family_prints_and_exports(browser: Browser, live_portal: str, cast):
    day = timezone.localdate() + timedelta(days=49)
    children = Relative.objects.filter(agent__user=cast.alice, kind="child")
    children.filter(first_name="Hugo").update(birth_date=day.replace(year=day.year - 8))
    children.filter(first_name="Léa").update(birth_date=day.replace(year=day.year - 13))
    client = Client()
    client.force_login(cast.bruno)
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
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
        page.goto(f"{live_portal}/sud-ouest/gestion/")
        page.locator(".fr-sidemenu").get_by_role("link", name="Activités").click()
        page.get_by_role("link", name="Nouvelle activité").click()
        page.get_by_label("Titre").fill("Sortie au zoo")
        page.get_by_label("Description").fill("Départ **8 h** devant le CLAS.")
        page.get_by_label("Lieu").fill("Zoo de Plaisance-du-Touch")
        # Seven weeks from now, whatever the day the test runs: Hugo is 8 then, Léa 13.
        page.locator("#id_starts_at").fill(f"{day:%Y-%m-%d}T10:00")
        page.locator("#id_ends_at").fill(f"{day:%Y-%m-%d}T17:00")
        page.get_by_label("Ouverture des inscriptions").fill(f"{day - timedelta(days=60):%Y-%m-%d}T08:00")
        page.get_by_label("Date limite d'inscription").fill(f"{day - timedelta(days=6):%Y-%m-%d}T18:00")
        page.get_by_label("Nombre de places").fill("4")
        page.get_by_label("Prix par agent (€)").fill("12.50")
        page.get_by_label("Prix par conjoint (€)").fill("12.50")
        page.get_by_label("Prix par enfant (€)").fill("5")
        page.get_by_label("retraités").uncheck(force=True)  # the DSFR label covers its box
        page.get_by_label("Âge minimum des enfants").fill("3")
        page.get_by_label("Âge maximum des enfants").fill("11")
        page.get_by_role("button", name="Créer le brouillon").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Sortie au zoo")
        page.get_by_role("button", name="Publier").click()
        expect(page.get_by_text("L'activité est publiée sur le site.")).to_be_visible()
        activity = Activity.objects.get(title="Sortie au zoo")
        assert (activity.state, activity.for_retired, activity.capacity) == ("published", False, 4)

        page.get_by_role("link", name="Inscrire une famille").click()
        page.get_by_label("Rechercher l'agent").fill("martin")
        page.get_by_role("button", name="Rechercher").click()
        page.get_by_role("link", name="Martin Alice").click()
        page.get_by_label("Alice Martin (agent)").check(force=True)
        page.get_by_label("Hugo Martin (enfant)").check(force=True)
        expect(page.get_by_label("Léa Martin (enfant)")).to_be_disabled()
        page.get_by_role("button", name="Inscrire").click()
        expect(page.get_by_text("La famille de Madame Alice Martin est inscrite.")).to_be_visible()
        assert Registration.objects.get(activity=activity).state == "confirmed"
        expect(page.get_by_text("17,50")).to_be_visible()

        page.get_by_role("link", name="Feuille d'émargement").click()
        expect(page.get_by_role("cell", name="Hugo")).to_be_visible()
        page.emulate_media(media="print")
        expect(page.locator(".fr-header")).to_be_hidden()
        page.emulate_media(media="screen")
        page.go_back()
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV").click()
        text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
        assert "Hugo" in text
        assert "12,50" in text
    finally:
        context.close()
