"""A transfer between CLAS, in a real headless Chromium."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from alphasierra.demo import DEMO_PASSWORD
from alphasierra.testing import totp_code, with_second_factor

pytestmark = pytest.mark.browser


def log_in(page: Page, live_portal: str, email: str, secret: str | None = None) -> None:
    page.goto(f"{live_portal}/comptes/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if secret:
        page.locator("input[name=code]").fill(totp_code(secret))
        page.locator("main").get_by_role("button").first.click()
    expect(page.locator("header")).to_contain_text(email)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()


def test_alice_moves_from_sud_ouest_to_nord(page: Page, live_portal: str, cast):
    secrets = {}
    for person in (cast.chloe, cast.bruno):
        person.authenticator_set.all().delete()
        secrets[person.email] = with_second_factor(person)
    alice_id = cast.alice.agent.pk
    mail.outbox.clear()

    # Alice asks on her CLAS site.
    log_in(page, live_portal, "alice@example.fr")
    page.goto(f"{live_portal}/sud-ouest/transfert/")
    page.locator("#id_destination").select_option(label="CLAS Nord")
    page.get_by_label("Motif").select_option("move")
    # From today: accepted, the transfer takes effect at once.
    page.get_by_label("Date du changement").fill(timezone.localdate().isoformat())
    page.get_by_label("Message pour le CLAS de destination").fill("Mutation au SNA Nord.")
    page.get_by_role("button", name="Demander le transfert").click()
    expect(page.locator("main")).to_contain_text("Demande en cours")
    log_out(page)

    # Chloé is told, opens the request from the e-mail and accepts.
    request = [m for m in mail.outbox if "chloe@alpha-sierra.org" in m.to][-1]
    assert "Transfert à valider : Alice Martin" in request.subject
    link = re.search(r"http://127\.0\.0\.1:8000(/\S+)", str(request.body))
    assert link is not None
    log_in(page, live_portal, "chloe@alpha-sierra.org", secrets["chloe@alpha-sierra.org"])
    page.goto(f"{live_portal}{link.group(1)}")
    expect(page.locator("main")).to_contain_text("Mutation au SNA Nord.")
    page.get_by_role("button", name="Accepter le transfert").click()
    expect(page.locator("main")).to_contain_text("rattachée à votre CLAS")
    # The queue keeps the decision in its history, the request page is gone.
    expect(page.locator("main")).to_contain_text("Transferts traités")
    expect(page.get_by_role("row", name=re.compile("Martin Alice"))).to_contain_text("accepté")
    response = page.goto(f"{live_portal}{link.group(1)}")
    assert response is not None
    assert response.status == 404

    # Chloé sees Alice and her family in the register of Nord.
    page.goto(f"{live_portal}/nord/gestion/agents/?q=martin")
    page.get_by_role("link", name="Martin Alice").click()
    for relative in ("Julien", "Léa", "Hugo"):
        expect(page.locator("main")).to_contain_text(relative)
    log_out(page)

    # Bruno is told, and Alice's page is gone for him.
    assert any("a rejoint un autre CLAS" in m.subject for m in mail.outbox if "bruno@alpha-sierra.org" in m.to)
    log_in(page, live_portal, "bruno@alpha-sierra.org", secrets["bruno@alpha-sierra.org"])
    response = page.goto(f"{live_portal}/sud-ouest/gestion/agents/{alice_id}/")
    assert response is not None
    assert response.status == 404
    log_out(page)

    # Alice's account now says Nord.
    log_in(page, live_portal, "alice@example.fr")
    page.goto(f"{live_portal}/comptes/mon-compte/")
    expect(page.locator("main")).to_contain_text("Mon CLAS : CLAS Nord")


def test_alice_sees_her_accepted_transfer_to_come_and_cancels_it_from_mon_compte(page: Page, live_portal: str, cast):
    from datetime import timedelta

    from alphasierra.organisations.models import Organisation
    from alphasierra.transfers.services import transfer_accept, transfer_request

    nord = Organisation.objects.get(slug="nord")
    transfer = transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=nord,
        reason="move",
        effective_date=timezone.localdate() + timedelta(days=30),
        message="",
        actor=cast.alice,
    )
    transfer_accept(transfer_id=transfer.pk, destination=nord, actor=cast.chloe)

    log_in(page, live_portal, "alice@example.fr")
    page.goto(f"{live_portal}/comptes/mon-compte/")
    block = page.locator("#transfert")
    expect(block).to_contain_text("CLAS Nord")
    expect(block).to_contain_text("accepté, effectif le")
    block.get_by_role("button", name="Annuler mon transfert").click()

    expect(page).to_have_url(f"{live_portal}/comptes/mon-compte/")
    expect(page.locator("main")).to_contain_text("Votre demande de transfert est annulée.")
    expect(page.locator("#transfert")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Mon CLAS : CLAS Sud-Ouest")
