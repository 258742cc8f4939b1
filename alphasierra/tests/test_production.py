"""The production smoke test: the portal run as production runs it.

``collectstatic`` with the production storage, gunicorn with DEBUG off on
PostgreSQL and Redis, behind a (simulated) HTTPS proxy; then a real Chromium
opens the main page types and signs up through the form. It catches what the
rest of the suite cannot see: the test client never serves collected static
files, and a page without its style sheets still passes every HTML assertion.

Run it with ``PRODUCTION_SMOKE=1`` and ``DATABASE_URL=postgres://…`` (it creates
and drops the database ``<name>_smoke`` next to it) and ``REDIS_URL``; CI does.
"""

import os
import secrets
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect

from alphasierra.testing import sign_up_form_fill
from alphasierra.tests.production import (
    database_url_named,
    free_port,
    gunicorn_start,
    manage,
    production_env,
    recreate_database,
    stop,
    wait_until_served,
)

SHOTS_DIR = os.environ.get("PRODUCTION_SMOKE_SHOTS", "")  # screenshots, when asked, outside the repository
PAGES = {
    "national home": "/",
    "CLAS home": "/sud-ouest/",
    "sign-up": "/sud-ouest/inscription/",
    "login": "/comptes/login/",
}
PASSWORD = "le ciel de Toulouse est bleu"

pytestmark = [
    pytest.mark.production,
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("PRODUCTION_SMOKE") != "1",
        reason="the production smoke test runs only when asked: PRODUCTION_SMOKE=1, with DATABASE_URL on "
        "PostgreSQL and REDIS_URL (as .ci/run does)",
    ),
]


@pytest.fixture(scope="module")
def production_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal under gunicorn, as the README's Production section describes it."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    assert database_url.startswith(("postgres://", "postgresql://")), "the smoke test needs DATABASE_URL on PostgreSQL"
    assert redis_url, "the smoke test needs REDIS_URL"
    smoke_name = urlsplit(database_url).path.strip("/") + "_smoke"
    var_dir = tmp_path_factory.mktemp("production")
    port = free_port()
    address = f"http://127.0.0.1:{port}"
    env = production_env(
        database_url=database_url_named(database_url, smoke_name),
        redis_url=redis_url,
        var_dir=var_dir,
        portal_url=f"https://127.0.0.1:{port}",
        origins=[address],
        # No worker runs here: messages stay in the outbox, the server is never reached.
        email_port=free_port(),
    )
    recreate_database(database_url, smoke_name)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    log = var_dir / "gunicorn.log"
    gunicorn = gunicorn_start(env, port=port, log=log)
    try:
        wait_until_served(f"{address}/", gunicorn, log)
        yield address
    finally:
        stop(gunicorn)
        recreate_database(database_url, smoke_name, drop_only=True)


class Watched:
    """Everything that went wrong while a page loaded, as the browser saw it."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url} {request.failure}"))
        page.on("response", self.response)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")


@pytest.fixture
def page(browser: Browser, production_portal: str) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR", extra_http_headers={"X-Forwarded-Proto": "https"})
    # Before any script of the page: CSP violations are reported as events.
    context.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (event) => window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def font_state(page: Page) -> dict[str, object]:
    return page.evaluate(
        """async () => {
            await document.fonts.ready;
            return {
                family: getComputedStyle(document.body).fontFamily,
                marianneLoaded: [...document.fonts].some((f) => f.family.includes('Marianne') && f.status === 'loaded'),
                csp: window.cspViolations,
            };
        }"""
    )


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_each_page_is_styled_and_loads_cleanly(page: Page, production_portal: str, path: str):
    watched = Watched(page)

    response = page.goto(f"{production_portal}{path}", wait_until="networkidle")

    assert response is not None
    assert response.status == 200
    state = font_state(page)
    assert str(state["family"]).startswith("Marianne"), state
    assert state["marianneLoaded"], state
    assert state["csp"] == []
    assert watched.problems == []
    if SHOTS_DIR:
        name = path.strip("/").replace("/", "-") or "national"
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS_DIR}/production-{name}-{width}.png", full_page=True)


def test_sign_up_through_the_form(page: Page, production_portal: str):
    watched = Watched(page)
    # The third visit is served by the page cache, with this browser's own tokens.
    for _ in range(3):
        page.goto(f"{production_portal}/sud-ouest/inscription/")

    sign_up_form_fill(page, email=f"agent-{secrets.token_hex(4)}@example.fr", password=PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.locator("h1")).to_have_text("Confirmez votre adresse e-mail")
    assert font_state(page)["csp"] == []
    assert watched.problems == []
