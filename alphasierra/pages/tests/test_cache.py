"""The page cache (``pages.cache``): what it serves, to whom, and when it lets go."""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alphasierra.activities.models import Activity
from alphasierra.activities.services.daily import activities_end_past
from alphasierra.activities.services.publishing import activity_cancel, activity_close
from alphasierra.activities.services.registration import SELF, registration_request
from alphasierra.activities.tests.helpers import new_activity
from alphasierra.agents.services.erasure import agent_erase, agent_request_deletion
from alphasierra.agents.services.register import agent_update
from alphasierra.agents.tests.test_views import signup_data
from alphasierra.content.models import NewsItem, Page
from alphasierra.content.services.editing import content_withdraw
from alphasierra.content.tests import published
from alphasierra.once.services import form_token_new
from alphasierra.organisations.generations import generation_key
from alphasierra.organisations.models import Organisation, Role
from alphasierra.organisations.services import role_grant, role_revoke

pytestmark = pytest.mark.django_db

TOKENS = re.compile(r'(name="(?:csrfmiddlewaretoken|envoi_unique)" value)="[^"]+"')


@dataclass(frozen=True)
class World:
    """The cast, with what visitors read on Sud-Ouest and on the national site."""

    sud_ouest: Organisation
    nord: Organisation
    page: Page
    news: NewsItem
    activity: Activity


@pytest.fixture
def world(cast: Any, page_cache: None) -> World:
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    national = Organisation.objects.get(kind="national")
    page = published.page(sud_ouest, title="Nos permanences", slug="permanences", in_menu=True)
    news = published.news(sud_ouest, title="Arbre de Noël")
    activity = new_activity(sud_ouest, cast.bruno, title="Sortie au Pic du Midi", capacity=4)
    published.page(national, title="Qui sommes-nous", slug="qui-sommes-nous", in_menu=True)
    published.news(national, title="Assemblée générale")
    return World(sud_ouest, Organisation.objects.get(slug="nord"), page, news, activity)


def visit(path: str, client: Client | None = None, **extra: Any) -> tuple[Any, int]:
    """An anonymous visit (a new visitor unless ``client``) and its SQL queries."""
    with CaptureQueriesContext(connection) as queries:
        response = (client or Client()).get(path, **extra)
    return response, len(queries)


def cached(path: str, **extra: Any) -> str:
    """The page once the cache holds it: the first visit starts the site's
    generation, the second visit's answer is kept, the third is served."""
    for _ in range(2):
        visit(path, **extra)
    response, queries = visit(path, **extra)
    assert response.status_code == 200
    assert queries == 0, f"{path} was not served from the page cache"
    return response.content.decode()


def without_tokens(body: str) -> str:
    return TOKENS.sub("", body)


PAGES = {
    "national home": "/",
    "CLAS home": "/sud-ouest/",
    "association home": "/aramis/",
    "directory": "/annuaire/",
    "contact": "/contact/",
    "national sign-up": "/inscription/",
    "sign-up": "/sud-ouest/inscription/",
    "login": "/comptes/login/",
    "login from a site": "/comptes/login/?next=/sud-ouest/activites/",
    "activities": "/sud-ouest/activites/",
    "activity": "/sud-ouest/activites/{activity}/",
    "page": "/sud-ouest/pages/permanences/",
    "news": "/sud-ouest/actualites/",
    "news item": "/sud-ouest/actualites/{news}/",
    "news feed": "/sud-ouest/actualites/flux.atom",
    "national page": "/pages/qui-sommes-nous/",
    "national news": "/actualites/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_a_public_page_is_served_again_without_a_query_and_as_it_would_be_rendered(world, settings, path):
    path = path.format(activity=world.activity.pk, news=world.news.pk)

    served = cached(path)

    settings.PAGE_CACHE_SECONDS = 0
    rendered, queries = visit(path)
    assert queries > 0
    assert without_tokens(served) == without_tokens(rendered.content.decode())


def test_a_page_the_portal_does_not_list_as_public_is_never_kept(world):
    for _ in range(3):
        response, queries = visit(f"/sud-ouest/activites/{world.activity.pk}/calendrier.ics")
        assert response.status_code == 200
        assert queries > 0


def test_each_visitor_of_a_form_page_gets_tokens_and_a_csrf_cookie_of_their_own(world):
    cached("/sud-ouest/inscription/")
    first, second = Client(), Client()

    pages = [visit("/sud-ouest/inscription/", client)[0] for client in (first, second)]

    cookies = [page.cookies["csrftoken"].value for page in pages]
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()) for page in pages]
    once = [re.findall(r'name="envoi_unique" value="([^"]+)"', page.content.decode()) for page in pages]
    assert cookies[0] != cookies[1]
    assert tokens[0]
    assert tokens[1]
    assert not set(tokens[0]) & set(tokens[1])
    assert once[0]
    assert once[1]
    assert once[0] != once[1]


def form_token(body: str) -> dict[str, str]:
    """The hidden tokens of the page's main form (the last: the header's language switch comes first)."""
    return {
        "csrfmiddlewaretoken": re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[-1],
        "envoi_unique": re.findall(r'name="envoi_unique" value="([^"]+)"', body)[-1],
    }


def test_two_visitors_served_the_sign_up_form_from_the_cache_can_both_send_it(world):
    cached("/sud-ouest/inscription/")
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]

    for number, visitor in enumerate(visitors):
        page, queries = visit("/sud-ouest/inscription/", visitor)
        assert queries == 0
        data = signup_data(email=f"visiteur{number}@example.fr") | form_token(page.content.decode())
        response = visitor.post("/sud-ouest/inscription/", data)

        assert response.status_code == 302
        assert response.headers["Location"] == "/sud-ouest/inscription/envoyee/"


def test_two_visitors_served_the_login_form_from_the_cache_can_both_log_in(world):
    cached("/comptes/login/")
    visitors = {email: Client(enforce_csrf_checks=True) for email in ("alice@example.fr", "karim@example.fr")}

    for email, visitor in visitors.items():
        page, queries = visit("/comptes/login/", visitor)
        assert queries == 0
        data = {"login": email, "password": "alpha-sierra-demo"} | form_token(page.content.decode())
        response = visitor.post("/comptes/login/", data)

        assert response.status_code == 302
        assert visitor.session["_auth_user_id"]
    assert visitors["alice@example.fr"].session.session_key != visitors["karim@example.fr"].session.session_key


def test_a_form_sent_with_another_visitor_s_cookie_is_refused(world):
    cached("/sud-ouest/inscription/")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = visit("/sud-ouest/inscription/", first)[0].content.decode()
    visit("/sud-ouest/inscription/", second)

    response = second.post("/sud-ouest/inscription/", signup_data() | form_token(page))

    # The first visitor's token does not match the second's cookie: nothing is shared.
    assert response.status_code == 403


def test_a_logged_in_person_never_gets_the_kept_page_nor_fills_it(world, client, cast):
    assert "alice@example.fr" not in cached("/sud-ouest/")
    client.force_login(cast.alice)

    body = client.get("/sud-ouest/").content.decode()
    cache.clear()
    for _ in range(3):
        client.get("/aramis/")
    anonymous, queries = visit("/aramis/")

    assert "alice@example.fr" in body
    assert "Se déconnecter" in body
    assert queries > 0
    assert "alice@example.fr" not in anonymous.content.decode()


def test_a_page_showing_a_message_is_neither_kept_nor_replaced_by_a_kept_one(world, monkeypatch):
    cached("/sud-ouest/inscription/")
    visitor = Client()
    a_month_ago = time.time() - 31 * 24 * 3600
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: a_month_ago)
        stale = form_token_new(page="/sud-ouest/inscription/")
    # A form left open too long: the visitor is sent back to it with a message,
    # kept in a cookie (no session for an anonymous visitor).
    sent = visitor.post("/sud-ouest/inscription/", signup_data() | {"envoi_unique": stale})
    assert "messages" in sent.cookies
    assert "sessionid" not in visitor.cookies

    shown, queries = visit("/sud-ouest/inscription/", visitor)
    again = visitor.get("/sud-ouest/inscription/")

    assert "ouverte depuis trop longtemps" in shown.content.decode()
    assert queries > 0
    assert "ouverte depuis trop longtemps" not in again.content.decode()
    assert "ouverte depuis trop longtemps" not in visit("/sud-ouest/inscription/")[0].content.decode()


def test_the_message_of_a_logout_is_shown_to_the_person_only(world, client, cast):
    cached("/sud-ouest/")
    client.force_login(cast.alice)
    client.post("/comptes/logout/", {"next": "/sud-ouest/"})

    after_logout = client.get("/sud-ouest/")

    assert "Vous êtes déconnecté(e)." in after_logout.content.decode()
    assert "Vous êtes déconnecté(e)." not in visit("/sud-ouest/")[0].content.decode()


def test_an_english_visitor_gets_the_english_page(world):
    french = cached("/sud-ouest/")
    english = cached("/sud-ouest/", HTTP_COOKIE="django_language=en")

    assert '<html lang="fr"' in french
    assert '<html lang="en"' in english
    assert '<html lang="fr"' in visit("/sud-ouest/")[0].content.decode()


def test_each_site_gets_its_own_page(world):
    assert "CLAS Sud-Ouest" in cached("/sud-ouest/")

    nord = cached("/nord/")

    assert '<h1 id="bandeau-titre" class="fr-h1">CLAS Nord</h1>' in nord
    assert "CLAS Sud-Ouest" not in nord


def test_the_login_page_names_the_site_each_visitor_came_from(world):
    header = re.compile(r'<p class="fr-header__service-title">([^<]+)</p>')
    from_nowhere = cached("/comptes/login/")
    from_nord = cached("/comptes/login/", HTTP_COOKIE="alphasierra_site=nord")
    from_sud_ouest = cached("/comptes/login/", HTTP_COOKIE="alphasierra_site=sud-ouest")

    assert header.findall(from_nowhere) == ["Alpha Sierra"]
    assert header.findall(from_nord) == ["CLAS Nord"]
    assert header.findall(from_sud_ouest) == ["CLAS Sud-Ouest"]
    assert 'href="/sud-ouest/pages/permanences/"' in from_sud_ouest
    assert "permanences" not in from_nord


def test_a_site_page_served_from_the_cache_remembers_the_site(world):
    cached("/sud-ouest/")

    response, _ = visit("/sud-ouest/")
    already = visit("/sud-ouest/", HTTP_COOKIE="alphasierra_site=sud-ouest")[0]

    assert response.cookies["alphasierra_site"].value == "sud-ouest"
    assert response.cookies["alphasierra_site"]["httponly"]
    assert "alphasierra_site" not in already.cookies


def test_head_is_answered_from_the_cache_too(world):
    cached("/sud-ouest/")

    with CaptureQueriesContext(connection) as queries:
        response = Client().head("/sud-ouest/")

    assert response.status_code == 200
    assert len(queries) == 0
    assert response.content == b""
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]


def test_a_page_is_kept_at_most_the_delay_set(world, settings, monkeypatch):
    cached("/sud-ouest/")
    later = time.time() + settings.PAGE_CACHE_SECONDS + 1

    monkeypatch.setattr(time, "time", lambda: later)

    assert visit("/sud-ouest/")[1] > 0


def test_a_generation_the_cache_lost_renders_the_pages_again(world):
    cached("/sud-ouest/")

    cache.delete(generation_key("sud-ouest"))

    assert visit("/sud-ouest/")[1] > 0


# --- What changes through the services shows at the next visit ---------------------------------


def publish_a_page(world: World, cast: Any) -> None:
    published.page(world.sud_ouest, title="Le bureau", slug="bureau", in_menu=True)


def withdraw_a_page(world: World, cast: Any) -> None:
    content_withdraw(item=world.page, actor=cast.bruno)


def publish_news(world: World, cast: Any) -> None:
    published.news(world.sud_ouest, title="Fête de la musique")


def withdraw_news(world: World, cast: Any) -> None:
    content_withdraw(item=world.news, actor=cast.bruno)


def publish_the_home(world: World, cast: Any) -> None:
    published.home(world.sud_ouest, banner_title="Bienvenue au CLAS du Sud-Ouest")


def publish_an_activity(world: World, cast: Any) -> None:
    new_activity(world.sud_ouest, cast.bruno, title="Visite de l'usine Airbus")


def cancel_the_activity(world: World, cast: Any) -> None:
    activity_cancel(activity_id=world.activity.pk, organisation=world.sud_ouest, by=cast.bruno, reason="Météo")


def register_for_the_activity(world: World, cast: Any) -> None:
    agent = cast.alice.agent
    registration_request(activity_id=world.activity.pk, agent=agent, people=[SELF], accept_partial=False, by=cast.alice)


def close_registrations(world: World, cast: Any) -> None:
    activity_close(activity_id=world.activity.pk, organisation=world.sud_ouest, by=cast.bruno)


def end_the_activity(world: World, cast: Any) -> None:
    activities_end_past(now=world.activity.ends_at + timedelta(minutes=1))


def grant_a_role(world: World, cast: Any) -> None:
    role_grant(user=cast.karim, organisation=world.nord, kind=Role.Kind.SITE_MANAGER, actor=cast.nadia)


def revoke_a_role(world: World, cast: Any) -> None:
    role = Role.objects.get(user=cast.chloe, organisation=world.nord)
    role_revoke(role_id=role.pk, actor=cast.nadia)


def erase_a_correspondent(world: World, cast: Any) -> None:
    agent_request_deletion(user=cast.chloe)
    agent_erase(agent_id=cast.chloe.agent.pk, clas=world.nord, manager=cast.nadia)


def correct_a_correspondent(world: World, cast: Any) -> None:
    agent_update(agent_id=cast.chloe.agent.pk, clas=world.nord, actor=cast.chloe, changes={"service": "SNA Nord — BAS"})


CHANGES: dict[str, tuple[Callable[[World, Any], None], str, str, bool]] = {
    # what is done: (the change, the page, what it shows, whether it shows it after the change)
    "page published": (publish_a_page, "/sud-ouest/", 'href="/sud-ouest/pages/bureau/"', True),
    "page withdrawn": (withdraw_a_page, "/sud-ouest/", 'href="/sud-ouest/pages/permanences/"', False),
    "news published": (publish_news, "/sud-ouest/actualites/", "Fête de la musique", True),
    "news withdrawn": (withdraw_news, "/sud-ouest/", "Arbre de Noël", False),
    "home published": (publish_the_home, "/sud-ouest/", "Bienvenue au CLAS du Sud-Ouest", True),
    "activity published": (publish_an_activity, "/sud-ouest/activites/", "Visite de l&#x27;usine Airbus", True),
    "activity cancelled": (cancel_the_activity, "/sud-ouest/", "Sortie au Pic du Midi", False),
    "places taken": (register_for_the_activity, "/sud-ouest/activites/", "3 places libres sur 4", True),
    "places on its page": (register_for_the_activity, "/sud-ouest/activites/{activity}/", "3 places libres", True),
    "registrations closed": (close_registrations, "/sud-ouest/", "Inscriptions closes", True),
    "activity over": (end_the_activity, "/sud-ouest/activites/", "Activités passées", True),
    "role granted, CLAS": (grant_a_role, "/nord/", "Karim Benali", True),
    "role granted, directory": (grant_a_role, "/annuaire/", "Karim Benali", True),
    "role revoked": (revoke_a_role, "/annuaire/", "Chloé Petit", False),
    "correspondent erased": (erase_a_correspondent, "/nord/", "Chloé Petit", False),
    "correspondent's details": (correct_a_correspondent, "/contact/", "SNA Nord — BAS", True),
}


@pytest.mark.parametrize(("change", "path", "text", "shown"), CHANGES.values(), ids=CHANGES.keys())
def test_a_change_made_through_a_service_shows_at_the_next_visit(
    world, cast, django_capture_on_commit_callbacks, change, path, text, shown
):
    path = path.format(activity=world.activity.pk)
    assert (text in cached(path)) is not shown

    with django_capture_on_commit_callbacks(execute=True):
        change(world, cast)

    response, queries = visit(path)
    assert queries > 0
    assert (text in response.content.decode()) is shown


def test_an_organisation_renamed_in_the_admin_shows_on_every_site(
    world, client, cast, django_capture_on_commit_callbacks
):
    assert "Sud-Ouest (Toulouse)" not in cached("/aramis/")
    client.force_login(cast.nadia)
    values = {"name": "CLAS Sud-Ouest", "short_name": "Sud-Ouest (Toulouse)", "time_zone": "Europe/Paris"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/organisations/organisation/{world.sud_ouest.pk}/change/",
            values | {"currency": "EUR", "position": str(world.sud_ouest.position)},
        )

    assert response.status_code == 302
    assert "Sud-Ouest (Toulouse)" in visit("/aramis/")[0].content.decode()


def test_a_change_that_was_not_committed_leaves_the_pages_as_they_were(world, cast):
    cached("/sud-ouest/actualites/")

    publish_news(world, cast)  # its transaction (the test's) never commits

    assert "Fête de la musique" not in visit("/sud-ouest/actualites/")[0].content.decode()
