"""A double click on the family editor, in a real headless Chromium."""

import pytest
from playwright.sync_api import Locator, Page, Route, expect

from alphasierra.agents.models import Agent, Relative
from alphasierra.audit.models import AuditEvent
from alphasierra.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
SHOTS = "/tmp/shots-once"  # noqa: S108 (screenshots to look at, kept out of the repository)
ALREADY_SENT = "Ce formulaire a déjà été envoyé : l'action n'a été faite qu'une fois."


def click_twice(page: Page, button: Locator, url: str) -> None:
    """A person's double click on a slow page: the first submission reaches
    the portal and is carried out, but its answer is held back until the
    second click has left. (Playwright's ``dblclick`` is too quick for that:
    Chromium folds its two clicks into one submission.)"""
    held: list[Route] = []

    def hold_the_first_answer(route: Route) -> None:
        if route.request.method != "POST" or held:
            route.continue_()
            return
        route.fetch(max_redirects=0)  # the portal does the work now...
        held.append(route)  # ...and the browser still waits for its answer

    page.route(url, hold_the_first_answer)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    for _ in range(100):  # the live server of the SQLite tests takes one request at a time
        if held:
            break
        page.wait_for_timeout(50)
    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.click(x, y)
    page.wait_for_load_state()
    page.unroute(url)
    assert len(held) == 1


@pytest.mark.parametrize("width", [1280, 375])
def test_a_double_click_adds_one_row_then_one_child(page: Page, live_portal: str, cast, width):
    Agent.objects.filter(user=cast.alice).update(children_count=3)
    page.set_viewport_size({"width": width, "height": 900})
    page.route("**/favicon.ico", lambda route: route.abort())
    page.goto(f"{live_portal}/comptes/mon-compte/famille/")
    page.get_by_label("Adresse e-mail").fill("alice@example.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_portal}/comptes/mon-compte/famille/")
    page.wait_for_load_state("networkidle")
    rows = page.locator("fieldset").count()
    assert rows > 0
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    page.get_by_role("button", name="Ajouter une ligne").dblclick()
    expect(page.locator("fieldset")).to_have_count(rows + 1)
    new = page.locator("fieldset").nth(rows)
    new.locator("[name$=-kind]").select_option("child")
    new.locator("[name$=-last_name]").fill("Martin")
    new.locator("[name$=-first_name]").fill("Zoé")
    new.locator("[name$=-birth_date]").fill("2019-04-02")
    posts.clear()
    click_twice(page, page.get_by_role("button", name="Enregistrer"), f"{live_portal}/comptes/mon-compte/famille/")

    expect(page.locator("main")).to_contain_text(ALREADY_SENT)
    page.screenshot(path=f"{SHOTS}/family-double-click-{width}.png", full_page=True)
    assert len(posts) == 2
    assert Relative.objects.filter(agent__user=cast.alice, first_name="Zoé").count() == 1
    assert AuditEvent.objects.filter(action="agent.family_updated").count() == 1
    expect(page.locator("main")).to_contain_text("Zoé Martin")
