"""axe-core (RGAA's automated part) on every page type, in a real Chromium:
no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Browser

from alphasierra.testing import PortalClient as Client  # staff logged in with their second factor

pytestmark = pytest.mark.browser

# (path, persona)
PAGES = [
    ("/", None),
    ("/sud-ouest/", None),
    ("/aramis/", None),
    ("/annuaire/", None),
    ("/sud-ouest/inscription/", None),
    ("/comptes/login/", None),
    ("/inconnu/", None),
    ("/comptes/mon-compte/", "alice"),
    ("/comptes/mon-compte/modifier/", "alice"),
    ("/comptes/mon-compte/famille/", "alice"),
    ("/sud-ouest/transfert/", "alice"),
    ("/sud-ouest/gestion/", "bruno"),
    ("/sud-ouest/gestion/agents/", "bruno"),
    ("/sud-ouest/gestion/agents/{alice}/", "bruno"),
    ("/sud-ouest/gestion/agents/{alice}/modifier/", "bruno"),
    ("/sud-ouest/gestion/inscriptions/{paul}/", "bruno"),
    ("/aramis/gestion/agents-connus/", "david"),
    ("/gestion/roles/?q=martin", "nadia"),
    ("/gestion/journal/", "nadia"),
]


def test_no_serious_or_critical_violation_on_any_page_type(browser: Browser, live_portal: str, cast):
    axe = Axe()
    problems = []
    for path, persona in PAGES:
        context = browser.new_context()
        try:
            if persona:
                client = Client()
                client.force_login(getattr(cast, persona))
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
            page.goto(live_portal + path.format(alice=cast.alice.agent.pk, paul=cast.paul.agent.pk))
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
        finally:
            context.close()

    assert problems == []


def test_a_form_with_errors_stays_accessible(browser: Browser, live_portal: str, cast):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{live_portal}/sud-ouest/inscription/")
        page.get_by_role("button", name="Créer mon compte").click()
        results = Axe().run(page)
    finally:
        context.close()

    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
