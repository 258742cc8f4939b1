"""The production smoke test: the portal run as production runs it, behind
the shipped nginx, on a database restored from a backup.

It follows a real host's life: the database is migrated and filled (the
demo's personas, activities, content and images), backed up with
``manage.py backup``, restored with ``manage.py restore`` into a new, empty
database and media folder (the restore drill), and only the restored copy is
served: ``collectstatic`` with the production storage, gunicorn as its systemd
unit starts it (DEBUG off, PostgreSQL, Redis), and nginx with
``deploy/nginx/alphasierra.conf`` ending TLS with a throwaway certificate.
A real Chromium then opens the main page types by the public name, logs in
as a restored agent and signs up through the form. It catches what the rest
of the suite cannot see: the test client never serves collected static files,
never crosses a proxy, and a page without its style sheets still passes every
HTML assertion.

Run it with ``PRODUCTION_SMOKE=1`` and ``DATABASE_URL=postgres://…`` (it creates
and drops ``<name>_smoke_source`` and ``<name>_smoke`` next to it) and
``REDIS_URL``; it needs Debian's nginx (``make smoke`` installs it). CI does.
"""

import os
import secrets
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, expect, sync_playwright

from alphasierra.demo import DEMO_PASSWORD
from alphasierra.testing import sign_up_form_fill
from alphasierra.tests.chromium import chromium_launch
from alphasierra.tests.production import (
    NGINX,
    ONLY_WHEN_ASKED,
    PUBLIC_NAME,
    Edge,
    database_url_named,
    edge_make,
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
METRICS_TOKEN = secrets.token_urlsafe(32)

pytestmark = [
    pytest.mark.production,
    pytest.mark.browser,
    ONLY_WHEN_ASKED,
]


@dataclass
class Portal:
    edge: Edge
    # gunicorn's own output: the portal's log lines.
    log: Path
    # What the restore drill's backup was made of.
    backup: Path

    @property
    def url(self) -> str:
        return self.edge.url


def _restore_drill(env: dict[str, str], source_env: dict[str, str], folder: Path) -> Path:
    """Fill a database, back it up, and restore the backup into the (empty)
    database and media folder of ``env``; returns the backup's folder."""
    manage(source_env, "migrate", "--noinput")
    # The demo's personas, activities and content, with an uploaded image.
    # Loading it needs DEBUG; nothing else of that run is kept but its data.
    manage(source_env | {"DEBUG": "true"}, "demo_data")
    backup = Path(manage(source_env, "backup", "--directory", str(folder / "backups")).splitlines()[-1])
    manage(env, "restore", str(backup))
    return backup


@pytest.fixture(scope="module")
def production_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """The portal under gunicorn behind nginx, as the README's Production
    section describes it, serving a database restored from a backup."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    assert database_url.startswith(("postgres://", "postgresql://")), "the smoke test needs DATABASE_URL on PostgreSQL"
    assert redis_url, "the smoke test needs REDIS_URL"
    assert os.path.exists(NGINX), "the smoke test needs Debian's nginx (make smoke installs it)"
    name = urlsplit(database_url).path.strip("/")
    source_name, smoke_name = f"{name}_smoke_source", f"{name}_smoke"
    folder = tmp_path_factory.mktemp("production")
    port = free_port()
    edge = edge_make(tmp_path_factory.mktemp("edge"), upstream_port=port)

    def env_of(database: str, var_dir: Path) -> dict[str, str]:
        return production_env(
            database_url=database_url_named(database_url, database),
            redis_url=redis_url,
            var_dir=var_dir,
            portal_url=edge.url,
            origins=[],
            # No worker runs here: messages stay in the outbox, the server is never reached.
            email_port=free_port(),
            host=PUBLIC_NAME,
        )

    env = env_of(smoke_name, folder / "portal") | {"METRICS_TOKEN": METRICS_TOKEN}
    recreate_database(database_url, source_name)
    recreate_database(database_url, smoke_name)
    gunicorn = None
    try:
        backup = _restore_drill(env, env_of(source_name, folder / "source"), folder)
        recreate_database(database_url, source_name, drop_only=True)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        log = folder / "gunicorn.log"
        gunicorn = gunicorn_start(env, port=port, log=log)
        wait_until_served(f"http://127.0.0.1:{port}/health/live/", gunicorn, log)
        edge.start()
        yield Portal(edge=edge, log=log, backup=backup)
    finally:
        stop(*(process for process in (edge.process, gunicorn) if process is not None))
        recreate_database(database_url, source_name, drop_only=True)
        recreate_database(database_url, smoke_name, drop_only=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium finding the public name on this machine, as DNS would on a real one."""
    with sync_playwright() as playwright:
        chromium = chromium_launch(playwright, f"--host-resolver-rules=MAP {PUBLIC_NAME} 127.0.0.1")
        yield chromium
        chromium.close()


class Watched:
    """Everything that went wrong while a page loaded, as the browser saw it."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self.failed)
        page.on("response", self.response)

    def failed(self, request: Request) -> None:
        # The browser fetches the favicon on its own once the page has
        # loaded, and drops it when the next page is opened first: aborted by
        # the browser, not refused by the server (its answer is checked in
        # ``response`` when it comes).
        if request.failure == "net::ERR_ABORTED" and "/favicon" in request.url:
            return
        self.problems.append(f"failed: {request.url} {request.failure}")

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")


@pytest.fixture
def page(browser: Browser, production_portal: Portal) -> Iterator[Page]:
    # The throwaway certificate is not one Chromium trusts; nginx is reached
    # over real TLS all the same, and the portal sees HTTPS from nginx alone.
    context = browser.new_context(locale="fr-FR", ignore_https_errors=True)
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


def screenshots(page: Page, name: str) -> None:
    if SHOTS_DIR:
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS_DIR}/production-{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_each_page_is_styled_and_loads_cleanly(page: Page, production_portal: Portal, path: str):
    watched = Watched(page)

    response = page.goto(f"{production_portal.url}{path}", wait_until="networkidle")

    assert response is not None
    assert response.status == 200
    state = font_state(page)
    assert str(state["family"]).startswith("Marianne"), state
    assert state["marianneLoaded"], state
    assert state["csp"] == []
    assert watched.problems == []
    screenshots(page, path.strip("/").replace("/", "-") or "national")


def test_sign_up_through_the_form(page: Page, production_portal: Portal):
    watched = Watched(page)
    # The third visit is served by the page cache, with this browser's own tokens.
    for _ in range(3):
        page.goto(f"{production_portal.url}/sud-ouest/inscription/")

    sign_up_form_fill(page, email=f"agent-{secrets.token_hex(4)}@example.fr", password=PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.locator("h1")).to_have_text("Confirmez votre adresse e-mail")
    assert font_state(page)["csp"] == []
    assert watched.problems == []


def test_the_restored_portal_holds_what_was_backed_up(page: Page, production_portal: Portal):
    """The restore drill: an agent of the backed-up database logs in, and the
    image uploaded before the backup is served from the restored media."""
    watched = Watched(page)
    # Each page left only once it has loaded: the login's answer, its session
    # cookie, must have come before « Mon compte » is asked for.
    page.goto(f"{production_portal.url}/sud-ouest/", wait_until="networkidle")
    banner = page.get_by_alt_text("Dégradé du gris au blanc")
    expect(banner).to_be_visible()
    assert banner.evaluate("image => image.complete && image.naturalWidth") == 1200

    page.goto(f"{production_portal.url}/comptes/login/", wait_until="networkidle")
    page.get_by_label("Adresse e-mail").fill("alice@example.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{production_portal.url}/comptes/mon-compte/", wait_until="networkidle")

    expect(page.locator("main")).to_contain_text("Martin")
    assert watched.problems == []


def test_the_log_is_json_lines_naming_the_request_without_what_was_typed(page: Page, production_portal: Portal):
    """gunicorn's own lines and the portal's, one JSON object each; the line of
    a login attempt has the request id nginx gave it, and nothing typed."""
    import json

    email = f"inconnu-{secrets.token_hex(4)}@example.fr"
    page.goto(f"{production_portal.url}/comptes/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Se connecter").click()
    request_id = posted.value.headers["x-request-id"]
    expect(page.locator("main")).to_contain_text("L’adresse e-mail ou le mot de passe sont incorrects")

    text = production_portal.log.read_text()
    lines = [json.loads(line) for line in text.splitlines()]
    (login,) = [
        line for line in lines if line.get("request_id") == request_id and line["logger"] == "alphasierra.requests"
    ]
    assert (login["method"], login["route"], login["user_id"]) == ("POST", "comptes/login/", None)
    assert {line["logger"] for line in lines} >= {"gunicorn.error", "alphasierra.requests"}
    assert email.split("@")[0] not in text
    assert PASSWORD not in text


def test_the_shipped_nginx_configuration_passes_nginx_t(production_portal: Portal):
    report = production_portal.edge.config_check()

    assert "syntax is ok" in report
    assert "test is successful" in report


def test_nginx_states_https_once_and_hides_its_version(production_portal: Portal):
    response, _ = production_portal.edge.request("GET", "/sud-ouest/")

    assert response.status == 200
    assert response.headers.get_all("Strict-Transport-Security") == ["max-age=31536000; includeSubDomains"]
    assert response.headers["Server"] == "nginx"
    # The portal saw HTTPS (from X-Forwarded-Proto) and the public name (Host).
    assert "Secure" in response.headers["Set-Cookie"]


def test_plain_http_is_sent_to_https(production_portal: Portal):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", production_portal.edge.http_port, timeout=10)
    connection.request("GET", "/sud-ouest/?page=2", headers={"Host": PUBLIC_NAME})
    response = connection.getresponse()

    assert response.status == 301
    assert response.headers["Location"] == f"https://{PUBLIC_NAME}/sud-ouest/?page=2"


def test_another_name_is_refused_at_the_handshake(production_portal: Portal):
    with pytest.raises(ssl.SSLError):
        production_portal.edge.request("GET", "/", server_name="autre.example.org")


def test_a_body_over_6_mb_is_refused_by_nginx(production_portal: Portal):
    response, _ = production_portal.edge.request(
        "POST", "/sud-ouest/inscription/", body=b"x" * (7 * 1024 * 1024), headers={"Content-Type": "text/plain"}
    )

    assert response.status == 413


def test_the_readiness_probe_through_nginx_finds_every_part_ready(production_portal: Portal):
    import json

    response, body = production_portal.edge.request("GET", "/health/ready/")

    assert response.status == 200
    assert json.loads(body) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok", "outbox": "ok", "tasks": "ok"},
    }


def test_metrics_are_not_served_through_nginx_even_with_the_token(production_portal: Portal):
    response, _ = production_portal.edge.request(
        "GET", "/metrics/", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )

    assert response.status == 404


def test_the_maintenance_page_while_the_flag_exists(production_portal: Portal, page: Page):
    edge = production_portal.edge
    edge.maintenance_flag.touch()
    try:
        response, body = edge.request("GET", "/sud-ouest/")
        live, _ = edge.request("GET", "/health/live/")
        page.goto(f"{production_portal.url}/")
        screenshots(page, "maintenance")
    finally:
        edge.maintenance_flag.unlink()
    after, _ = edge.request("GET", "/sud-ouest/")

    assert response.status == 503
    assert response.headers["Retry-After"] == "600"
    assert "Le portail est momentanément indisponible" in body.decode()
    expect(page.locator("h1")).to_have_text("Le portail est momentanément indisponible")
    assert live.status == 200
    assert after.status == 200
