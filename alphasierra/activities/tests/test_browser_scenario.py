"""The whole scenario of an outing, in a real headless Chromium: Bruno
publishes a 4-place outing on Sud-Ouest for active agents and children aged
3 to 11 on the day; Alice registers herself and her two children as one
request and sees the total; Karim of Nord does not see it; Zoé asks for two
places and waits at position 1; Alice cancels one child; Zoé is offered the
places by e-mail, accepts from its link and is confirmed; Bruno prints the
sign-in sheet and exports the list."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from alphasierra.activities.models import Activity, Registration
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.services.signup import RelativeDetails
from alphasierra.demo import DEMO_PASSWORD, _agent, _details
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient

pytestmark = pytest.mark.browser
PARIS = ZoneInfo("Europe/Paris")
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what a datetime-local field takes


def log_in(page: Page, email: str) -> None:
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def tick(page: Page, person: str) -> None:
    """A DSFR checkbox is ticked through its label, as a person clicks it."""
    page.locator("label", has_text=person).click()
    expect(page.get_by_label(person)).to_be_checked()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


def staff_context(browser: Browser, live_portal: str, user) -> BrowserContext:
    """A staff member's browser, logged in with their second factor (the
    second factor's own pages have their tests)."""
    client = PortalClient()
    client.force_login(user)
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_portal}])
    context.set_default_timeout(10_000)
    return context


def test_an_outing_from_publication_to_the_sign_in_sheet(
    browser: Browser, page: Page, live_portal: str, cast, settings
):
    settings.PORTAL_URL = live_portal
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    # A month from now, whatever the day the test runs.
    day = timezone.localdate(timezone=PARIS) + timedelta(days=30)
    starts, ends = datetime.combine(day, time(9), PARIS), datetime.combine(day, time(18), PARIS)
    opens = datetime.combine(day - timedelta(days=40), time(8), PARIS)
    deadline = datetime.combine(day - timedelta(days=2), time(12), PARIS)
    # Alice's children are 9 and 10 on the day; Julien is an adult; Zoé's Nina is 7.
    alice_children = Relative.objects.filter(agent__user=cast.alice, kind="child")
    alice_children.filter(first_name="Léa").update(birth_date=years_before(day, 10) + timedelta(days=20))
    alice_children.filter(first_name="Hugo").update(birth_date=years_before(day, 9) - timedelta(days=20))
    _agent(
        "zoe@example.fr",
        sud_ouest,
        _details(
            "Roux",
            "Zoé",
            family_situation="single",
            children_count=1,
            children=[RelativeDetails("Roux", "Nina", years_before(day, 7))],
        ),
        state=Agent.State.APPROVED,
        manager=cast.bruno,
    )
    bruno = staff_context(browser, live_portal, cast.bruno)
    back_office = bruno.new_page()

    # Bruno publishes the outing: 4 places, active agents, children aged 3 to 11 on the day.
    back_office.goto(f"{live_portal}/sud-ouest/gestion/")
    back_office.locator(".fr-sidemenu").get_by_role("link", name="Activités").click()
    back_office.get_by_role("link", name="Nouvelle activité").click()
    back_office.get_by_label("Titre").fill("Sortie au Pic du Midi")
    back_office.get_by_label("Description").fill("Départ en car à **8 h** devant le CLAS.")
    back_office.get_by_label("Lieu").fill("Pic du Midi de Bigorre")
    back_office.locator("#id_starts_at").fill(starts.strftime(LOCAL_INPUT))
    back_office.locator("#id_ends_at").fill(ends.strftime(LOCAL_INPUT))
    back_office.get_by_label("Ouverture des inscriptions").fill(opens.strftime(LOCAL_INPUT))
    back_office.get_by_label("Date limite d'inscription").fill(deadline.strftime(LOCAL_INPUT))
    back_office.get_by_label("Nombre de places").fill("4")
    back_office.get_by_label("Prix par agent (€)").fill("20")
    back_office.get_by_label("Prix par conjoint (€)").fill("20")
    back_office.get_by_label("Prix par enfant (€)").fill("12.50")
    back_office.get_by_label("retraités").uncheck(force=True)  # the DSFR label covers its box
    back_office.get_by_label("Âge minimum des enfants").fill("3")
    back_office.get_by_label("Âge maximum des enfants").fill("11")
    back_office.get_by_role("button", name="Créer le brouillon").click()
    expect(back_office.get_by_role("heading", level=1)).to_have_text("Sortie au Pic du Midi")
    back_office.get_by_role("button", name="Publier").click()
    expect(back_office.get_by_text("L'activité est publiée sur le site.")).to_be_visible()
    activity = Activity.objects.get(title="Sortie au Pic du Midi")
    assert (activity.state, activity.capacity, activity.for_retired) == ("published", 4, False)
    assert (activity.child_min_age, activity.child_max_age, activity.starts_at) == (3, 11, starts)
    mail.outbox.clear()

    # Alice finds the outing under « Activités » and registers herself and her two children.
    page.goto(f"{live_portal}/sud-ouest/")
    page.locator("header").get_by_role("link", name="Connexion").click()
    log_in(page, "alice@example.fr")
    page.locator("#navigation").get_by_role("link", name="Activités").click()
    page.get_by_role("link", name=activity.title).click()
    expect(page.locator("main")).to_contain_text("4 places libres sur 4")
    tick(page, "Alice Martin (vous)")
    tick(page, "Léa Martin (enfant)")
    tick(page, "Hugo Martin (enfant)")
    expect(page.get_by_label("Toute la famille ou personne", exact=False)).to_be_checked()
    page.get_by_role("button", name="Voir le total").click()
    expect(page.locator("#total")).to_have_text(re.compile(r"45,00\s€"))
    assert not Registration.objects.exists()
    page.get_by_role("button", name="Confirmer ma demande").click()
    expect(page.locator("main")).to_contain_text("Votre demande est confirmée")
    expect(page.locator("main")).to_contain_text("Confirmée")
    log_out(page)

    # Karim, of Nord, does not see it on his site, and is told why on Sud-Ouest's.
    page.goto(f"{live_portal}/comptes/login/?next=/nord/activites/")
    log_in(page, "karim@example.fr")
    expect(page.locator("h1")).to_have_text("Activités")
    expect(page.locator("main")).not_to_contain_text(activity.title)
    page.goto(f"{live_portal}/sud-ouest/activites/{activity.pk}/")
    expect(page.locator("main")).to_contain_text("réservée aux agents du CLAS Sud-Ouest")
    expect(page.locator("input[name=people]")).to_have_count(0)
    log_out(page)

    # Zoé asks for 2 places: one is left, she waits at position 1, never « inscrite ».
    page.goto(f"{live_portal}/comptes/login/?next=/sud-ouest/activites/{activity.pk}/")
    log_in(page, "zoe@example.fr")
    expect(page.locator("main")).to_contain_text("1 place libre sur 4")
    tick(page, "Zoé Roux (vous)")
    tick(page, "Nina Roux (enfant)")
    page.get_by_role("button", name="Voir le total").click()
    page.get_by_role("button", name="Confirmer ma demande").click()
    expect(page.locator("main")).to_contain_text("En attente — position 1")
    page.locator("#navigation").get_by_role("link", name="Mes inscriptions").click()
    expect(page.locator("main table")).to_contain_text("En attente — position 1")
    expect(page.locator("main")).not_to_contain_text("inscrite")
    log_out(page)

    # Alice cancels Hugo's place from « Mes inscriptions ».
    page.goto(f"{live_portal}/comptes/login/?next=/comptes/inscriptions/")
    log_in(page, "alice@example.fr")
    page.get_by_role("link", name=activity.title).click()
    page.get_by_role("button", name="Annuler pour Hugo").click()
    expect(page.locator("main")).to_contain_text("La place est annulée.")
    log_out(page)

    # Zoé is offered the two free places by e-mail, follows its link, logs in, accepts.
    offer = [m for m in mail.outbox if "zoe@example.fr" in m.to][-1]
    assert "Des places vous sont proposées" in offer.subject
    link = re.search(r"(http://\S+/comptes/inscriptions/\d+/)", str(offer.body))
    assert link is not None
    page.goto(link.group(1))
    log_in(page, "zoe@example.fr")
    expect(page.locator("main")).to_contain_text("Offre à accepter avant le")
    page.get_by_role("button", name="Accepter").click()
    expect(page.locator("main")).to_contain_text("votre inscription est confirmée")
    expect(page.locator("main")).to_contain_text("Confirmée")
    assert Registration.objects.get(agent__user__email="zoe@example.fr").state == "confirmed"

    # Bruno prints the sign-in sheet (without the portal's header on paper) and exports the list.
    back_office.goto(f"{live_portal}/sud-ouest/gestion/activites/{activity.pk}/")
    back_office.get_by_role("link", name="Feuille d'émargement").click()
    for first_name in ("Alice", "Léa", "Zoé", "Nina"):
        expect(back_office.get_by_role("cell", name=first_name, exact=True)).to_be_visible()
    expect(back_office.get_by_role("cell", name="Hugo", exact=True)).to_have_count(0)
    back_office.emulate_media(media="print")
    expect(back_office.locator(".fr-header")).to_be_hidden()
    back_office.emulate_media(media="screen")
    back_office.go_back()
    with back_office.expect_download() as download:
        back_office.get_by_role("link", name="CSV").click()
    exported = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    for first_name in ("Alice", "Léa", "Zoé", "Nina"):
        assert first_name in exported
    bruno.close()
