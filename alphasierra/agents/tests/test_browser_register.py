"""Bruno's path through the register, in a real headless Chromium."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from alphasierra.agents.models import Agent
from alphasierra.agents.services.signup import AgentDetails, agent_register
from alphasierra.demo import DEMO_PASSWORD, _staff
from alphasierra.mail.models import OutboxMessage
from alphasierra.organisations.models import Organisation, Role
from alphasierra.testing import totp_code

pytestmark = pytest.mark.browser


def test_bruno_sets_up_totp_finds_helene_without_accents_and_exports(page: Page, live_portal: str, tmp_path):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    _staff("bruno@alpha-sierra.org", sud_ouest, Role.Kind.SITE_MANAGER)
    helene = agent_register(
        clas=sud_ouest,
        email="helene@example.fr",
        password="phrase de passe longue",
        details=AgentDetails(
            civility="mme",
            last_name="O'Connor",
            first_name="Hélène",
            employer="meteo_france",
            status="retired",
            service="Centre météo de Toulouse",
            service_address="42 avenue Coriolis, Toulouse",
            work_phone="+33561070000",
            personal_phone="+33698765432",
            address="3 place du Capitole",
            postal_code="31000",
            city="Toulouse",
        ),
        request=None,
    )
    assert helene is not None
    Agent.objects.filter(pk=helene.pk).update(state=Agent.State.APPROVED)

    # Bruno logs in and asks for the register: a second factor comes first.
    page.goto(f"{live_portal}/sud-ouest/gestion/agents/")
    page.get_by_label("Adresse e-mail").fill("bruno@alpha-sierra.org")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("main")).to_contain_text("double authentification")
    # allauth asks for the password again before adding a second factor.
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main form").get_by_role("button").last.click()
    expect(page.locator("main")).to_contain_text("codes de récupération", ignore_case=True)
    # A security change is told by e-mail.
    assert OutboxMessage.objects.filter(to_email="bruno@alpha-sierra.org", subject__icontains="authenti").exists()

    # Search without accents nor apostrophe, open the detail.
    page.goto(f"{live_portal}/sud-ouest/gestion/agents/")
    page.get_by_label("Rechercher").fill("helene oconnor")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="O'Connor Hélène").click()
    expect(page.locator("h1")).to_have_text("Madame Hélène O'Connor")
    expect(page.locator("main")).to_contain_text("Centre météo de Toulouse")

    # Export the search to Excel and open the file.
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nom", "Prénom", "État")
    assert [row[:2] for row in rows[1:]] == [("O'Connor", "Hélène")]
