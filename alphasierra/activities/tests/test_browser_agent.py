"""The issue's scenario as the agents live it, in a real headless Chromium:
Alice registers her household as one request and sees the total; Karim of
Nord does not see the outing; Zoé waits at position 1, is offered the place
Alice's child leaves, and accepts it from the e-mail's link."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from alphasierra.activities.models import Registration
from alphasierra.activities.tests.agent_world import outing
from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.services.signup import RelativeDetails
from alphasierra.demo import DEMO_PASSWORD, _agent, _details, demo_data_load
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.browser
PARIS = ZoneInfo("Europe/Paris")


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


def test_a_household_registers_waits_is_offered_and_accepts(page: Page, live_portal: str, settings):
    settings.PORTAL_URL = live_portal
    demo_data_load()
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    bruno = Agent.objects.get(user__email="bruno@alpha-sierra.org").user
    # Alice's two children are 9 and 11 on the day of the outing.
    Relative.objects.filter(agent__user__email="alice@example.fr", first_name="Léa").update(birth_date=date(2017, 5, 1))
    _agent(
        "zoe@example.fr",
        sud_ouest,
        _details(
            "Roux",
            "Zoé",
            family_situation="single",
            children_count=1,
            children=[RelativeDetails("Roux", "Nina", date(2019, 3, 2))],
        ),
        state=Agent.State.APPROVED,
        manager=bruno,
    )
    # Published by Bruno: 4 places, active agents, children aged 3 to 11 on the day.
    activity = outing(
        capacity=4,
        for_retired=False,
        child_min_age=3,
        child_max_age=11,
        starts_at=datetime(2026, 12, 19, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 19, 18, 0, tzinfo=PARIS),
        registration_closes_at=datetime(2026, 12, 17, 12, 0, tzinfo=PARIS),
        created_by=bruno,
    )
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
    expect(page.get_by_label("Julien Martin (conjoint)")).to_be_enabled()
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
