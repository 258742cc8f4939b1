"""axe-core on the managers' pages of the activities, in a real Chromium: no
serious or critical violation, a form sent with errors included."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Browser

from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.activities.tests.helpers import new_activity
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient as Client
from alphasierra.testing import make_agents
from alphasierra.tests.test_accessibility import scan

pytestmark = pytest.mark.browser

PAGES: list[tuple[str, str | None]] = [
    ("/sud-ouest/gestion/activites/", "bruno"),
    ("/sud-ouest/gestion/activites/nouvelle/", "bruno"),
    ("/sud-ouest/gestion/activites/{activity}/", "bruno"),
    ("/sud-ouest/gestion/activites/{activity}/modifier/", "bruno"),
    ("/sud-ouest/gestion/activites/{activity}/annuler/", "bruno"),
    ("/sud-ouest/gestion/activites/{activity}/ajouter/?q=martin", "bruno"),
    ("/sud-ouest/gestion/activites/{activity}/ajouter/?agent={newcomer}", "bruno"),
    ("/sud-ouest/gestion/activites/{activity}/emargement/", "bruno"),
    ("/sud-ouest/gestion/activites/demandes/{registration}/retirer/", "bruno"),
    ("/aramis/gestion/activites/", "david"),
]


def test_no_serious_or_critical_violation_on_the_managers_pages(browser: Browser, live_portal: str, cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    activity = new_activity(sud_ouest, cast.bruno, capacity=2)
    hugo = cast.alice.agent.relatives.get(first_name="Hugo")
    registration = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF, hugo.pk], accept_partial=False, by=cast.alice
    )
    newcomer = make_agents(1, sud_ouest, "approved", start=8200)[0]
    registration_request(activity_id=activity.pk, agent=newcomer, people=[SELF], accept_partial=False, by=cast.bruno)
    ids = {"activity": activity.pk, "registration": registration.pk, "newcomer": newcomer.pk}

    assert scan(browser, live_portal, cast, PAGES, **ids) == []


def test_the_activity_form_sent_with_errors_stays_accessible(browser: Browser, live_portal: str, cast):
    client = Client()
    client.force_login(cast.bruno)
    context = browser.new_context()
    try:
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
        page.goto(f"{live_portal}/sud-ouest/gestion/activites/nouvelle/")
        page.get_by_label("Titre").fill("Journée ski")
        page.get_by_role("button", name="Créer le brouillon").click()
        assert page.get_by_text("Le formulaire contient des erreurs").is_visible()
        assert page.get_by_label("Titre").input_value() == "Journée ski"
        results = Axe().run(page)
    finally:
        context.close()

    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
