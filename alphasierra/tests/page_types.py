"""Every page type of the portal, as the personas of DESIGN.md reach it.

Shared by the tests that look at every page (the structure of the HTML and
its French through Django's test client; in a real browser, the visible text
of every button and link and axe-core): one list, built from the URL confs,
so that a new page is looked at as soon as it has a route.
``test_page_types.py`` fails when a route is neither a page type here nor an
exclusion with its reason. A page that shows something else in another state
(a request waiting for a place, or offered one) is listed once per state.
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from PIL import Image as PillowImage
from playwright.sync_api import Browser, BrowserContext, Page, Response

from alphasierra.accounts.models import User
from alphasierra.activities.services.registration import SELF, registration_cancel, registration_request
from alphasierra.activities.tests.agent_world import outing
from alphasierra.activities.tests.helpers import new_activity
from alphasierra.agents.services.signup import agent_register
from alphasierra.associations.services import association_visit
from alphasierra.content.models import Home
from alphasierra.content.selectors import draft_of
from alphasierra.content.services.images import image_upload
from alphasierra.content.tests import published
from alphasierra.content.tests.drafts import a_home, a_news_item, a_page, page_draft
from alphasierra.demo import DEMO_PASSWORD, _details
from alphasierra.listing import PAGE_SIZE as REGISTER_PAGE_SIZE
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient, make_agents
from alphasierra.transfers.services import transfer_request


@dataclass(frozen=True)
class PageType:
    path: str  # may name the world's objects: {alice}, {paul}, {transfer}, {key}
    persona: str | None = None  # a persona of the cast; "bruno-password" has typed only his password
    status: int = 200

    def __str__(self) -> str:
        """How a parametrised test names it: ``alice:/comptes/mon-compte/``."""
        return f"{self.persona or 'anonymous'}:{self.path}"


PAGE_TYPES: tuple[PageType, ...] = (
    # The public sites.
    PageType("/"),
    PageType("/sud-ouest/"),
    PageType("/nord/"),
    PageType("/aramis/"),
    PageType("/aramis/", "paul"),
    PageType("/annuaire/"),
    PageType("/inscription/"),
    PageType("/sud-ouest/inscription/"),
    PageType("/aramis/inscription/"),
    PageType("/sud-ouest/inscription/envoyee/"),
    # Logging in and confirming, shared by every site.
    PageType("/comptes/login/"),
    PageType("/comptes/login/?next=/sud-ouest/"),
    PageType("/comptes/signup/"),
    PageType("/comptes/inactive/"),
    PageType("/comptes/password/reset/"),
    PageType("/comptes/password/reset/done/"),
    PageType("/comptes/password/reset/key/done/"),
    PageType("/comptes/password/reset/key/1-not-a-key/"),
    PageType("/comptes/confirm-email/"),
    PageType("/comptes/confirm-email/{key}/"),
    PageType("/comptes/confirmation/envoyee/"),
    PageType("/comptes/confirmation/code/"),
    PageType("/comptes/confirmation/confirmee/"),
    PageType("/comptes/2fa/authenticate/", "bruno-password"),
    # « Mon compte ».
    PageType("/comptes/mon-compte/", "alice"),
    PageType("/comptes/mon-compte/modifier/", "alice"),
    PageType("/comptes/mon-compte/famille/", "alice"),
    PageType("/comptes/mon-compte/historique/", "alice"),
    PageType("/comptes/mon-compte/supprimer/", "alice"),
    PageType("/comptes/mon-compte/", "paul"),
    PageType("/comptes/mon-compte/", "karim"),
    PageType("/sud-ouest/transfert/", "alice"),
    PageType("/nord/transfert/", "karim"),
    PageType("/comptes/email/", "alice"),
    PageType("/comptes/password/change/", "alice"),
    PageType("/comptes/sessions/", "alice"),
    PageType("/comptes/reauthenticate/", "alice"),
    PageType("/comptes/logout/", "alice"),
    PageType("/comptes/2fa/", "alice"),
    PageType("/comptes/2fa/totp/activate/", "alice"),
    PageType("/comptes/2fa/", "bruno"),
    PageType("/comptes/2fa/reauthenticate/", "bruno"),
    PageType("/comptes/2fa/totp/deactivate/", "bruno"),
    PageType("/comptes/2fa/recovery-codes/generate/", "bruno"),
    PageType("/comptes/2fa/recovery-codes/", "bruno"),
    PageType("/comptes/2fa/webauthn/", "alice"),
    PageType("/comptes/2fa/webauthn/add/", "alice"),
    # The back-office of a CLAS: its site manager, then a social correspondent.
    PageType("/sud-ouest/gestion/", "bruno"),
    PageType("/sud-ouest/gestion/inscriptions/", "bruno"),
    PageType("/sud-ouest/gestion/inscriptions/{paul}/", "bruno"),
    PageType("/sud-ouest/gestion/suppressions/", "bruno"),
    PageType("/sud-ouest/gestion/agents/", "bruno"),
    PageType("/sud-ouest/gestion/agents/?page=2", "bruno"),
    PageType("/sud-ouest/gestion/agents/{alice}/", "bruno"),
    PageType("/sud-ouest/gestion/agents/{alice}/modifier/", "bruno"),
    PageType("/sud-ouest/gestion/agents/{alice}/famille/", "bruno"),
    PageType("/sud-ouest/gestion/transferts/", "bruno"),
    PageType("/nord/gestion/", "chloe"),
    PageType("/nord/gestion/transferts/", "chloe"),
    PageType("/nord/gestion/transferts/{transfer}/", "chloe"),
    # The back-office of an association.
    PageType("/aramis/gestion/", "david"),
    PageType("/aramis/gestion/agents-connus/", "david"),
    PageType("/aramis/gestion/agents-connus/{alice}/", "david"),
    # The activities' back-office: a CLAS's site manager, an association's manager.
    PageType("/sud-ouest/gestion/activites/", "bruno"),
    PageType("/sud-ouest/gestion/activites/nouvelle/", "bruno"),
    PageType("/sud-ouest/gestion/activites/{activity}/", "bruno"),
    PageType("/sud-ouest/gestion/activites/{activity}/modifier/", "bruno"),
    PageType("/sud-ouest/gestion/activites/{activity}/annuler/", "bruno"),
    PageType("/sud-ouest/gestion/activites/{activity}/ajouter/", "bruno"),
    PageType("/sud-ouest/gestion/activites/{activity}/ajouter/?q=martin", "bruno"),
    PageType("/sud-ouest/gestion/activites/{activity}/ajouter/?agent={alice}", "bruno"),
    PageType("/sud-ouest/gestion/activites/{activity}/emargement/", "bruno"),
    PageType("/sud-ouest/gestion/activites/demandes/{registration}/retirer/", "bruno"),
    PageType("/aramis/gestion/activites/", "david"),
    # Each site's content, as its managers edit it: a CLAS's site manager, the
    # national administrators, an association's manager.
    PageType("/sud-ouest/gestion/contenu/", "bruno"),
    PageType("/sud-ouest/gestion/contenu/accueil/", "bruno"),
    PageType("/sud-ouest/gestion/contenu/pages/nouvelle/", "bruno"),
    PageType("/sud-ouest/gestion/contenu/pages/{content_page}/", "bruno"),
    PageType("/sud-ouest/gestion/contenu/actualites/nouvelle/", "bruno"),
    PageType("/sud-ouest/gestion/contenu/actualites/{content_news}/", "bruno"),
    PageType("/sud-ouest/gestion/contenu/versions/{content_draft}/", "bruno"),
    PageType("/sud-ouest/gestion/contenu/versions/{content_home}/", "bruno"),
    PageType("/gestion/contenu/", "nadia"),
    PageType("/gestion/contenu/accueil/", "nadia"),
    PageType("/gestion/contenu/pages/nouvelle/", "nadia"),
    PageType("/gestion/contenu/pages/{national_page}/", "nadia"),
    PageType("/gestion/contenu/actualites/nouvelle/", "nadia"),
    PageType("/gestion/contenu/actualites/{national_news}/", "nadia"),
    PageType("/gestion/contenu/versions/{national_draft}/", "nadia"),
    PageType("/aramis/gestion/contenu/", "david"),
    # Each site's images, by its managers.
    PageType("/sud-ouest/gestion/contenu/images/", "bruno"),
    PageType("/sud-ouest/gestion/contenu/images/{image}/supprimer/", "bruno"),
    PageType("/aramis/gestion/contenu/images/", "david"),
    PageType("/gestion/contenu/images/", "nadia"),
    PageType("/gestion/contenu/images/{national_image}/supprimer/", "nadia"),
    # The national back-office.
    PageType("/gestion/", "nadia"),
    PageType("/gestion/roles/", "nadia"),
    PageType("/gestion/roles/?q=martin", "nadia"),
    PageType("/gestion/journal/", "nadia"),
    # Activities, as agents and visitors see them.
    PageType("/sud-ouest/activites/"),
    PageType("/sud-ouest/activites/", "alice"),
    PageType("/nord/activites/", "karim"),
    PageType("/aramis/activites/", "alice"),
    PageType("/sud-ouest/activites/{outing}/"),
    PageType("/sud-ouest/activites/{open_outing}/"),
    PageType("/sud-ouest/activites/{outing}/", "alice"),
    PageType("/sud-ouest/activites/{open_outing}/", "alice"),
    PageType("/sud-ouest/activites/{outing}/", "karim"),
    PageType("/comptes/inscriptions/", "alice"),
    PageType("/comptes/inscriptions/{waiting}/", "alice"),
    PageType("/comptes/inscriptions/{offered}/", "alice"),
    PageType("/comptes/inscriptions/{request}/", "alice"),
    # Each site's content as visitors read it (Sud-Ouest's home shows its managers' content).
    PageType("/sud-ouest/pages/{page}/"),
    PageType("/sud-ouest/pages/{page}/", "alice"),
    PageType("/sud-ouest/actualites/"),
    PageType("/sud-ouest/actualites/", "karim"),
    PageType("/sud-ouest/actualites/{news}/"),
    PageType("/nord/actualites/"),
    PageType("/pages/{national_public_page}/"),
    PageType("/actualites/"),
    PageType("/actualites/{national_public_news}/"),
    PageType("/contact/"),
    PageType("/contact/", "alice"),
    # Errors.
    PageType("/inconnu/", status=404),
    PageType("/sud-ouest/gestion/agents/999999/", "bruno", status=404),
    PageType("/sud-ouest/gestion/", "alice", status=403),
)

# Django's technical administration, for superusers only, in Django's own design.
EXCLUDED_PREFIX = "admin/"
# Routes that are no page of their own, and why.
ACTION = "an action (POST only): it answers with a redirection to a page of this list"
FILE = "a CSV or XLSX file, not a page"
EXCLUDED: dict[str, str] = {
    "i18n/setlang/": "the language switch: a redirection back to the page",
    "_dev/outbox/": "the local portal's outbox, in DEBUG only (404 here)",
    "_dev/outbox/<int:pk>/": "the local portal's outbox, in DEBUG only (404 here)",
    "health/live/": "the load balancer's liveness probe: JSON, not a page",
    "health/ready/": "the load balancer's readiness probe: JSON, not a page",
    "metrics/": "Prometheus' metrics: text, for Prometheus only (404 here)",
    "comptes/mon-compte/mes-donnees.zip": "a zip file, not a page",
    "^(?P<site>[-\\w]+)/gestion/agents/export\\.(?P<fmt>csv|xlsx)$": "a CSV or XLSX file, not a page",
    "^(?P<site>[-\\w]+)/gestion/agents-connus/export\\.(?P<fmt>csv|xlsx)$": "a CSV or XLSX file, not a page",
    "comptes/mon-compte/associations/<slug:slug>/retirer/": ACTION,
    "comptes/confirmation/renvoyer/": ACTION,
    "<slug:site>/inscription/renvoyer/": ACTION,
    "<slug:site>/me-faire-connaitre/": ACTION,
    "<slug:site>/transfert/<int:pk>/annuler/": ACTION,
    "<slug:site>/gestion/inscriptions/<int:pk>/valider/": ACTION,
    "<slug:site>/gestion/inscriptions/<int:pk>/refuser/": ACTION,
    "<slug:site>/gestion/suppressions/<int:pk>/confirmer/": ACTION,
    "<slug:site>/gestion/transferts/<int:pk>/accepter/": ACTION,
    "<slug:site>/gestion/transferts/<int:pk>/refuser/": ACTION,
    "<slug:site>/gestion/activites/<int:pk>/dupliquer/": ACTION,
    "<slug:site>/gestion/activites/<int:pk>/publier/": ACTION,
    "<slug:site>/gestion/activites/<int:pk>/clore/": ACTION,
    "^(?P<site>[-\\w]+)/gestion/activites/(?P<pk>[0-9]+)/participants\\.(?P<fmt>csv|xlsx)$": FILE,
    "<slug:site>/gestion/contenu/pages/<int:pk>/retirer/": ACTION,
    "gestion/contenu/pages/<int:pk>/retirer/": ACTION,
    "<slug:site>/gestion/contenu/actualites/<int:pk>/retirer/": ACTION,
    "gestion/contenu/actualites/<int:pk>/retirer/": ACTION,
    "<slug:site>/gestion/contenu/versions/<int:pk>/publier/": ACTION,
    "gestion/contenu/versions/<int:pk>/publier/": ACTION,
    "<slug:site>/gestion/contenu/versions/<int:pk>/restaurer/": ACTION,
    "gestion/contenu/versions/<int:pk>/restaurer/": ACTION,
    "gestion/roles/attribuer/": ACTION,
    "gestion/roles/<int:pk>/retirer/": ACTION,
    "comptes/login/code/confirm/": "login by code is off: a redirection to the login page",
    "comptes/password/set/": "every account has a password: a redirection to the password change",
    "comptes/2fa/recovery-codes/download/": "a text file, not a page",
    "<slug:site>/activites/<int:pk>/calendrier.ics": "an iCalendar file, not a page",
    "comptes/inscriptions/calendrier/<int:user_id>/<str:token>.ics": "an iCalendar file, not a page",
    "<slug:site>/actualites/flux.atom": "an Atom feed, not a page",
    "actualites/flux.atom": "an Atom feed, not a page",
    "comptes/inscriptions/<int:pk>/annuler/": ACTION,
    "comptes/inscriptions/<int:pk>/accepter/": ACTION,
    "comptes/inscriptions/<int:pk>/liberer/": ACTION,
    "comptes/inscriptions/calendrier/nouvelle-adresse/": ACTION,
    "^media/(?P<name>contenu/[0-9a-f]{32}\\.(?:jpg|png|webp))$": "an uploaded image, not a page",
    # A security key is registered from a real device (WebAuthn), which no test can hold.
    "comptes/2fa/webauthn/reauthenticate/": "for a holder of a security key only: a redirection otherwise",
    "comptes/2fa/webauthn/keys/<int:pk>/remove/": "a security key's page: needs a key registered from a device",
    "comptes/2fa/webauthn/keys/<int:pk>/edit/": "a security key's page: needs a key registered from a device",
}


def routes() -> Iterator[str]:
    """Every route of the URL confs, as ``resolve(path).route`` names it."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            # Joined as ``resolve()`` joins them (a regex's "^" dropped after a prefix).
            route = prefix + str(pattern.pattern).removeprefix("^") if prefix else str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    yield from walk(get_resolver().url_patterns, "")


def route_of(page_type: PageType) -> str:
    # Any object will do to find the route: every name of the world reads 1.
    path = re.sub(r"\{\w+\}", "1", page_type.path)
    return resolve(path.split("?")[0]).route


@dataclass(frozen=True)
class World:
    """The objects some pages show, made through the services."""

    ids: dict[str, object]

    def url(self, page_type: PageType) -> str:
        return page_type.path.format(**self.ids)


def world_build(cast: Any) -> World:
    """Alice asked to move to Nord and visited ARAMIS; Bruno has recovery
    codes; Zoé signed up on Sud-Ouest and has not confirmed her address yet;
    the register of Sud-Ouest runs over two pages; Alice's household asked
    for outings, and waits for a place on one and is offered one on another."""
    nord = Organisation.objects.get(slug="nord")
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    transfer = transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=nord,
        reason="move",
        effective_date=date(2027, 1, 4),
        message="Je rejoins le centre de Lille en janvier.",
        actor=cast.alice,
    )
    association_visit(user=cast.alice, association=Organisation.objects.get(slug="aramis"))
    RecoveryCodes.activate(cast.bruno)
    make_agents(REGISTER_PAGE_SIZE, sud_ouest, "approved", start=1000)  # a register of two pages
    agent_register(
        clas=sud_ouest,
        email="zoe@example.fr",
        password=DEMO_PASSWORD,
        details=_details("Roux", "Zoé"),
        request=None,
    )
    key = EmailConfirmationHMAC(EmailAddress.objects.get(email="zoe@example.fr")).key
    # Alice's household asked for an outing of Sud-Ouest; another is still open to her.
    registered, still_open = outing(capacity=2), outing(title="Journée au Futuroscope", child_max_age=11)
    request = registration_request(
        activity_id=registered.pk,
        agent=cast.alice.agent,
        people=[SELF, cast.alice.agent.relatives.filter(kind="child").first().pk],
        accept_partial=False,
        by=cast.alice,
    )

    # Alice waits for the one place Bruno took first; on another outing, Bruno gave his up and it is offered to her.
    def ask(activity_id: int, user: User) -> int:
        return registration_request(
            activity_id=activity_id, agent=user.agent, people=[SELF], accept_partial=False, by=user
        ).pk

    taken, given_up = outing(capacity=1, title="Visite du CROSS Étel"), outing(capacity=1, title="Cap Ferret")
    ask(taken.pk, cast.bruno)
    waiting = ask(taken.pk, cast.alice)
    first = ask(given_up.pk, cast.bruno)
    offered = ask(given_up.pk, cast.alice)
    registration_cancel(registration_id=first, participant_ids=None, by=cast.bruno)
    activities = {"outing": registered.pk, "open_outing": still_open.pk, "request": request.pk}
    activities |= {"waiting": waiting, "offered": offered}
    # An outing of Sud-Ouest as Bruno manages it: Alice registered herself and her younger child.
    activity = new_activity(sud_ouest, cast.bruno)
    hugo = cast.alice.agent.relatives.get(first_name="Hugo")
    registration = registration_request(
        activity_id=activity.pk, agent=cast.alice.agent, people=[SELF, hugo.pk], accept_partial=False, by=cast.alice
    )
    # Two images of Sud-Ouest, one on the national site.
    image = image_upload(organisation=sud_ouest, actor=cast.bruno, upload=_photo("#7fb3d5"), alt="Le car du CLAS")
    image_upload(organisation=sud_ouest, actor=cast.bruno, upload=_photo("#f5b041"), alt="L'affiche du loto")
    national = Organisation.objects.get(kind=Organisation.Kind.NATIONAL)
    national_image = image_upload(organisation=national, actor=cast.nadia, upload=_photo("#2e7d32"), alt="La carte")
    ids = {"alice": cast.alice.agent.pk, "paul": cast.paul.agent.pk, "transfer": transfer.pk, "key": key}
    # What visitors read first: the editor's drafts of the home come on top of the home online.
    ids |= _content(sud_ouest)
    ids |= content_pages(cast)
    images = {"image": image.pk, "national_image": national_image.pk}
    return World({**ids, **activities, **images, "activity": activity.pk, "registration": registration.pk})


def _photo(colour: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    PillowImage.new("RGB", (120, 80), colour).save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def _content(sud_ouest: Organisation) -> dict[str, object]:
    """Sud-Ouest's home as its managers wrote it, a page of its menu and a
    news item; a page and a news item of the national site."""
    national = Organisation.objects.get(kind=Organisation.Kind.NATIONAL)
    tiles = [
        {"title": "Billetterie", "url": "/sud-ouest/pages/billetterie/", "description": "Cinémas, parcs"},
        {"title": "Chèques vacances", "url": "https://www.ancv.com/", "description": ""},
    ]
    published.home(sud_ouest, banner_title="Bienvenue au CLAS Sud-Ouest", tiles=tiles)
    page = published.page(sud_ouest, title="Billetterie", slug="billetterie", in_menu=True)
    news = published.news(sud_ouest, title="Arbre de Noël")
    national_page = published.page(national, title="Qui sommes-nous", slug="qui-sommes-nous", in_menu=True)
    national_news = published.news(national, title="Nouveau portail")
    return {
        "page": page.slug,
        "news": news.pk,
        "national_public_page": national_page.slug,
        "national_public_news": national_news.pk,
    }


# The content editor's objects the page types name.
CONTENT_IDS = (
    "content_page",
    "content_news",
    "content_draft",
    "content_home",
    "national_page",
    "national_news",
    "national_draft",
)


def content_pages(cast: Any) -> dict[str, int]:
    """Sud-Ouest's page online with a draft of its next version, a news item
    online, a draft of its home page with two links; the same on the national site."""
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    national = Organisation.objects.get(kind=Organisation.Kind.NATIONAL)
    ids: dict[str, int] = {}
    for prefix, organisation, actor in (("content", sud_ouest, cast.bruno), ("national", national, cast.nadia)):
        page = a_page(organisation, actor, body="## Horaires\n\nLe **mardi**, de 9 h à 12 h.")
        ids[f"{prefix}_draft"] = page_draft(page, actor, title="Nos permanences d'été").pk
        ids[f"{prefix}_page"] = page.pk
        ids[f"{prefix}_news"] = a_news_item(organisation, actor).pk
    tiles = [
        {"title": "Nos activités", "url": "/sud-ouest/activites/", "description": "Les sorties ouvertes"},
        {"title": "Météo-France", "url": "https://meteofrance.com/", "description": ""},
    ]
    a_home(sud_ouest, cast.bruno, publish=False, tiles=tiles)
    ids["content_home"] = draft_of(Home.objects.get(organisation=sud_ouest)).pk  # type: ignore[union-attr]
    return ids


class Visitors:
    """One client per persona, logged in once (the login's rate limits count
    every attempt)."""

    def __init__(self, cast: Any) -> None:
        self.cast = cast
        self.clients: dict[str | None, PortalClient] = {}

    def client(self, persona: str | None) -> PortalClient:
        if persona not in self.clients:
            self.clients[persona] = client_for(persona, self.cast)
        return self.clients[persona]


def pages_rendered(cast: Any) -> Iterator[tuple[str, PageType, Any]]:
    """Every page type as its persona gets it from Django's test client:
    the URL, the page type, the response."""
    world = world_build(cast)
    visitors = Visitors(cast)
    for page_type in PAGE_TYPES:
        url = world.url(page_type)
        yield url, page_type, visitors.client(page_type.persona).get(url)


def client_for(persona: str | None, cast: Any) -> PortalClient:
    """A client where ``persona`` is logged in as after a real login."""
    client = PortalClient()
    if persona == "bruno-password":
        # Halfway: the password typed, the second factor still asked.
        response = client.post("/comptes/login/", {"login": cast.bruno.email, "password": DEMO_PASSWORD})
        assert response.headers["Location"] == "/comptes/2fa/authenticate/"
    elif persona in {"alice", "karim", "paul"}:
        # A real log-in, then the password typed again: some pages (the
        # second-factor set-up) open only just after a reauthentication.
        user = getattr(cast, persona)
        assert client.post("/comptes/login/", {"login": user.email, "password": DEMO_PASSWORD}).status_code == 302
        assert client.post("/comptes/reauthenticate/", {"password": DEMO_PASSWORD}).status_code == 302
    elif persona is not None:
        client.force_login(getattr(cast, persona))
        if persona == "bruno":
            assert client.post("/comptes/reauthenticate/", {"password": DEMO_PASSWORD}).status_code == 302
    return client


WINDOW_HEIGHT = 900


def browser_context_for(browser: Browser, live_portal: str, client: PortalClient, *, width: int) -> BrowserContext:
    """A browser window ``width`` pixels wide, logged in as ``client`` is."""
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": WINDOW_HEIGHT})
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is not None:
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_portal}])
    return context


def resize(page: Page, width: int) -> None:
    """The window made ``width`` pixels wide, as a person turning a tablet or
    narrowing a window: the page is laid out again by its media queries,
    without being loaded again."""
    if page.viewport_size != {"width": width, "height": WINDOW_HEIGHT}:
        page.set_viewport_size({"width": width, "height": WINDOW_HEIGHT})


class SweptPortal:
    """The portal as the sweeps over every page type see it, in a real browser:
    the world above, built once per test process, and one browser tab per
    persona, taken from page to page as a visitor would (a new
    browser context costs more than the page it shows: it loads the DSFR's
    styles, scripts and fonts again)."""

    def __init__(self, browser: Browser, url: str, cast: Any) -> None:
        self.browser = browser
        self.url = url
        self.world = world_build(cast)
        self.visitors = Visitors(cast)
        self.tabs: dict[str | None, Page] = {}

    def open(self, page_type: PageType, *, width: int) -> tuple[Page, Response | None]:
        """The page type in its persona's tab, ``width`` pixels wide."""
        if page_type.persona not in self.tabs:
            client = self.visitors.client(page_type.persona)
            self.tabs[page_type.persona] = browser_context_for(self.browser, self.url, client, width=width).new_page()
            self.tabs[page_type.persona].set_default_timeout(10_000)
        page = self.tabs[page_type.persona]
        resize(page, width)
        return page, page.goto(self.url + self.world.url(page_type))

    def close(self) -> None:
        for page in self.tabs.values():
            page.context.close()
