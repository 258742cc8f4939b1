"""The managers' editor of a site's content, through the test client as a browser sends it."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.dateparse import parse_datetime

from alphasierra.accounts.models import User
from alphasierra.audit.labels import ACTION_LABELS
from alphasierra.audit.models import AuditEvent
from alphasierra.content.models import Home, NewsItem, Page, Revision
from alphasierra.content.services.editing import content_withdraw, revision_publish, revision_restore
from alphasierra.content.tests.drafts import (
    a_home,
    a_news_item,
    a_page,
    an_image,
    newest,
    news_draft,
    page_draft,
)
from alphasierra.once.tests.forms import post_form
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient as Client
from alphasierra.testing import with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def sud_ouest(cast) -> Organisation:
    return Organisation.objects.get(slug="sud-ouest")


@pytest.fixture
def bruno(client: Client, cast) -> Client:
    client.force_login(cast.bruno)
    return client


def submit(client: Client, page: str, action: str | None = None, button: str | None = None, **values: Any):
    """Open ``page``, fill its form to ``action`` (the page itself by default) as
    a browser would, with ``values`` typed over what it shows, and send it."""
    form = post_form(client.get(page).content.decode(), action or page)
    return client.post(action or page, form.data(button, **values))


def state() -> tuple[Any, ...]:
    """What a refused request must leave as it was."""
    return (
        Revision.objects.count(),
        Page.objects.count(),
        NewsItem.objects.count(),
        Home.objects.count(),
        AuditEvent.objects.count(),
        sorted(Page.objects.values_list("pk", "state", "title")),
        sorted(NewsItem.objects.values_list("pk", "state", "title")),
        sorted(Revision.objects.values_list("pk", "published_at")),
    )


# --- A site's content, in every state the editor acts on ------------------------


@dataclass(frozen=True)
class Site:
    """A site's page with three versions (the first published, the second
    online, the third a draft), a news item online, a home online."""

    base: str
    page: Page
    news: NewsItem
    old: Revision
    live: Revision
    draft: Revision


def site_content(organisation: Organisation, actor: User) -> Site:
    page = a_page(organisation, actor, title="Le CLAS")
    old = newest(page)
    live = page_draft(page, actor, title="Le CLAS et ses correspondants")
    revision_publish(revision=live, actor=actor)
    draft = page_draft(page, actor, title="Le CLAS, ses correspondants et ses permanences")
    news = a_news_item(organisation, actor)
    a_home(organisation, actor)
    base = "/gestion/contenu/" if organisation.is_national else f"/{organisation.slug}/gestion/contenu/"
    return Site(base, page, news, old, live, draft)


def requests_of(site: Site) -> list[tuple[str, str, dict[str, Any]]]:
    """Every URL of the editor, with each method it acts on and valid data."""
    base, page, news = site.base, site.page, site.news
    new_page = {"title": "Nouvelle", "slug": "nouvelle", "body": "Texte", "menu_order": "0"}
    page_data = {**new_page, "slug": "le-clas"}
    news_data = {"title": "Nouvelle", "summary": "Résumé", "publish_on": "2036-01-10T10:00"}
    return [
        ("GET", base, {}),
        ("GET", f"{base}accueil/", {}),
        ("POST", f"{base}accueil/", {"banner_title": "Autre bandeau"}),
        ("GET", f"{base}pages/nouvelle/", {}),
        ("POST", f"{base}pages/nouvelle/", new_page),
        ("GET", f"{base}pages/{page.pk}/", {}),
        ("POST", f"{base}pages/{page.pk}/", page_data),
        ("POST", f"{base}pages/{page.pk}/retirer/", {}),
        ("GET", f"{base}actualites/nouvelle/", {}),
        ("POST", f"{base}actualites/nouvelle/", news_data),
        ("GET", f"{base}actualites/{news.pk}/", {}),
        ("POST", f"{base}actualites/{news.pk}/", news_data),
        ("POST", f"{base}actualites/{news.pk}/retirer/", {}),
        ("GET", f"{base}versions/{site.draft.pk}/", {}),
        ("POST", f"{base}versions/{site.draft.pk}/publier/", {}),
        ("POST", f"{base}versions/{site.old.pk}/restaurer/", {}),
    ]


def test_every_url_of_the_editor_serves_and_acts_for_the_site_manager(bruno, cast, sud_ouest):
    site = site_content(sud_ouest, cast.bruno)
    for method, url, data in requests_of(site):
        before = state()
        response = bruno.get(url) if method == "GET" else bruno.post(url, data)

        assert response.status_code == (200 if method == "GET" else 302), f"{method} {url}"
        if method == "POST":
            assert state() != before, f"{method} {url} changed nothing"


@pytest.mark.parametrize(
    ("persona", "site_slug", "expected"),
    [
        ("anonymous", "sud-ouest", "login"),
        ("karim", "sud-ouest", 403),  # an agent, no role anywhere
        ("david", "sud-ouest", 404),  # staff of another organisation
        ("chloe", "sud-ouest", 404),
        ("nadia", "sud-ouest", 404),
        ("chloe", "nord", 403),  # staff of Nord without the editor's role (a CSR)
    ],
)
def test_everyone_else_is_refused_and_nothing_changes(client, cast, persona, site_slug, expected):
    organisation = Organisation.objects.get(slug=site_slug)
    site = site_content(organisation, cast.nadia)
    if persona != "anonymous":
        client.force_login(getattr(cast, persona))
    before = state()
    for method, url, data in requests_of(site):
        response = client.get(url) if method == "GET" else client.post(url, data)

        if expected == "login":
            assert response.status_code == 302, url
            assert response["Location"].startswith("/comptes/login/"), url
        else:
            assert response.status_code == expected, f"{method} {url}"
    assert state() == before


def test_a_page_news_item_or_version_of_another_site_does_not_exist_here(bruno, cast, sud_ouest):
    site_content(sud_ouest, cast.bruno)
    theirs = site_content(Organisation.objects.get(slug="nord"), cast.nadia)
    before = state()
    mine = Site("/sud-ouest/gestion/contenu/", theirs.page, theirs.news, theirs.old, theirs.live, theirs.draft)

    for method, url, data in requests_of(mine):
        if "/nouvelle/" in url or url.endswith(("contenu/", "accueil/")):
            continue  # no object in the address
        response = bruno.get(url) if method == "GET" else bruno.post(url, data)
        assert response.status_code == 404, f"{method} {url}"
    assert state() == before


def test_the_actions_answer_only_a_post(bruno, cast, sud_ouest):
    site = site_content(sud_ouest, cast.bruno)
    before = state()
    for _method, url, _data in requests_of(site):
        if url.endswith(("retirer/", "publier/", "restaurer/")):
            assert bruno.get(url).status_code == 405
    assert state() == before


def test_the_national_administrator_edits_the_national_site_and_no_other(client, cast):
    client.force_login(cast.nadia)

    response = submit(client, "/gestion/contenu/pages/nouvelle/", title="Contact", body="Écrivez-nous.")

    page = Page.objects.get(title="Contact")
    assert page.organisation.is_national
    revision = newest(page)
    assert response["Location"] == f"/gestion/contenu/versions/{revision.pk}/"
    preview = client.get(response["Location"]).content.decode()
    assert f'action="/gestion/contenu/versions/{revision.pk}/publier/"' in preview
    published = submit(client, response["Location"], f"/gestion/contenu/versions/{revision.pk}/publier/")
    assert published["Location"] == f"/gestion/contenu/pages/{page.pk}/"
    page.refresh_from_db()
    assert page.state == Page.State.PUBLISHED
    assert "/pages/contact/" in client.get("/gestion/contenu/").content.decode()
    assert client.get("/sud-ouest/gestion/contenu/").status_code == 404


def test_an_association_manager_edits_the_association_site(client, cast):
    client.force_login(cast.david)

    response = submit(
        client,
        "/aramis/gestion/contenu/actualites/nouvelle/",
        title="Assemblée générale",
        summary="Le 12 mars à Toulouse.",
        publish_on="2036-03-01T09:00",
    )

    news = NewsItem.objects.get(title="Assemblée générale")
    assert news.organisation.slug == "aramis"
    assert response.status_code == 302
    assert "Assemblée générale" in client.get("/aramis/gestion/contenu/").content.decode()
    assert client.get("/sud-ouest/gestion/contenu/").status_code == 404


# --- The overview ---------------------------------------------------------------


def test_the_overview_lists_the_home_pages_and_news_with_their_state(bruno, cast, sud_ouest):
    a_page(sud_ouest, cast.bruno, title="Nos permanences")
    page_draft(a_page(sud_ouest, cast.bruno, title="Le bureau", slug="le-bureau"), cast.bruno, title="Le bureau 2027")
    a_page(sud_ouest, cast.bruno, publish=False, title="Projet", slug="projet", in_menu=False)
    a_news_item(sud_ouest, cast.bruno, title="Arbre de Noël")
    content_withdraw(item=a_news_item(sud_ouest, cast.bruno, title="Loto"), actor=cast.bruno)
    a_page(Organisation.objects.get(slug="nord"), cast.nadia, title="Page du Nord")

    html = bruno.get("/sud-ouest/gestion/contenu/").content.decode()

    assert "Rien n'est encore publié" in html  # the default home
    assert "/sud-ouest/pages/nos-permanences/" in html
    assert "oui, ordre 1" in html
    assert "brouillon en attente" in html  # Le bureau's draft
    assert ">brouillon<" in html  # Projet
    assert "retirée du site" in html  # Loto
    assert "Arbre de Noël" in html
    assert "Page du Nord" not in html
    for label in ("Nouvelle page", "Nouvelle actualité", "Images"):
        assert f">{label}</a>" in html
    assert 'href="/sud-ouest/gestion/contenu/images/"' in html


def test_the_overview_shows_a_draft_of_the_home_waiting(bruno, cast, sud_ouest):
    a_home(sud_ouest, cast.bruno, publish=False)

    html = bruno.get("/sud-ouest/gestion/contenu/").content.decode()

    assert "attend d'être publié" in html
    assert f"/sud-ouest/gestion/contenu/versions/{newest(Home.objects.get()).pk}/" in html


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def fill(organisation: Organisation, actor: User, start: int, end: int) -> None:
    for n in range(start, end):
        page = a_page(organisation, actor, title=f"Page {n}", slug=f"page-{n}", menu_order=n)
        page_draft(page, actor, title=f"Page {n} modifiée")
        a_news_item(organisation, actor, title=f"Actualité {n}")


def test_the_overview_makes_as_many_queries_with_3_or_30_pages_and_news(bruno, cast, sud_ouest):
    fill(sud_ouest, cast.bruno, 0, 3)
    a_home(sud_ouest, cast.bruno)
    bruno.get("/sud-ouest/gestion/contenu/")  # the session, warmed
    with_three = queries(bruno, "/sud-ouest/gestion/contenu/")

    fill(sud_ouest, cast.bruno, 3, 30)

    assert queries(bruno, "/sud-ouest/gestion/contenu/") == with_three


def test_an_editor_makes_as_many_queries_with_3_or_30_versions(bruno, cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno)
    for n in range(2):
        page_draft(page, cast.bruno, title=f"Version {n}")
    url = f"/sud-ouest/gestion/contenu/pages/{page.pk}/"
    bruno.get(url)
    with_three = queries(bruno, url)

    for n in range(27):
        page_draft(page, cast.bruno, title=f"Version {n + 2}")

    assert queries(bruno, url) == with_three


def test_the_menu_and_the_dashboard_lead_to_the_editor_for_those_who_may_edit(client, cast):
    client.force_login(cast.bruno)
    dashboard = client.get("/sud-ouest/gestion/").content.decode()
    assert dashboard.count('href="/sud-ouest/gestion/contenu/"') == 2  # the menu, the dashboard

    client.force_login(cast.chloe)
    assert "/nord/gestion/contenu/" not in client.get("/nord/gestion/").content.decode()

    client.force_login(cast.nadia)
    assert client.get("/gestion/").content.decode().count('href="/gestion/contenu/"') == 2

    client.force_login(cast.david)
    assert client.get("/aramis/gestion/").content.decode().count('href="/aramis/gestion/contenu/"') == 2


# --- The page editor ------------------------------------------------------------


def test_a_new_page_leads_to_its_preview_as_a_draft(bruno, cast, sud_ouest):
    response = submit(
        bruno,
        "/sud-ouest/gestion/contenu/pages/nouvelle/",
        title="Nos permanences d'été",
        body="## Juillet\n\nLe **mardi**.",
        in_menu="on",
        menu_order="2",
    )

    page = Page.objects.get()
    revision = newest(page)
    assert response["Location"] == f"/sud-ouest/gestion/contenu/versions/{revision.pk}/"
    assert (page.state, page.slug) == (Page.State.DRAFT, "nos-permanences-dete")  # suggested from the title
    assert revision.data["in_menu"] is True
    assert revision.data["menu_order"] == 2
    preview = bruno.get(response["Location"]).content.decode()
    assert "Aperçu — brouillon non publié" in preview
    assert "<h1>Nos permanences d&#x27;été</h1>" in preview
    assert "<h2>Juillet</h2>" in preview
    assert "<strong>mardi</strong>" in preview
    assert ">Publier</button>" in preview
    assert f'href="/sud-ouest/gestion/contenu/pages/{page.pk}/">Modifier</a>' in preview


def test_a_page_without_a_title_comes_back_with_the_error_and_what_was_typed(bruno, cast):
    page = "/sud-ouest/gestion/contenu/pages/nouvelle/"

    response = submit(bruno, page, title="", body="Le texte tapé avec soin.", slug="horaires")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in html
    title_group = html[html.index('for="id_title"') - 200 : html.index('id="id_title-desc-error"') + 200]
    assert "fr-input-group--error" in title_group
    assert "Indiquez le titre de la page." in title_group
    assert "Le texte tapé avec soin." in html
    assert 'value="horaires"' in html
    assert not Page.objects.exists()


def test_an_address_taken_by_another_page_is_an_error_next_to_it(bruno, cast, sud_ouest):
    a_page(sud_ouest, cast.bruno, title="Nos permanences", slug="nos-permanences")
    before = state()

    response = submit(
        bruno, "/sud-ouest/gestion/contenu/pages/nouvelle/", title="Nos permanences", body="Un autre texte."
    )

    html = response.content.decode()
    assert response.status_code == 200
    slug_group = html[html.index('for="id_slug"') : html.index('id="id_slug-desc-error"') + 200]
    assert "Une autre page de ce site a déjà cette adresse." in slug_group
    assert 'value="nos-permanences"' in html  # the address suggested, shown
    assert "Un autre texte." in html
    assert state() == before


@pytest.mark.parametrize("slug", ["Nos Permanences", "été", "a--b", "-debut"])
def test_an_address_with_capitals_accents_or_stray_hyphens_is_refused(bruno, cast, slug):
    response = submit(bruno, "/sud-ouest/gestion/contenu/pages/nouvelle/", title="Horaires", slug=slug)

    assert "des lettres minuscules sans accent" in response.content.decode()
    assert not Page.objects.exists()


def test_the_page_editor_starts_from_the_draft_else_from_what_is_published(bruno, cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno, title="Publiée")
    url = f"/sud-ouest/gestion/contenu/pages/{page.pk}/"
    assert 'value="Publiée"' in bruno.get(url).content.decode()

    page_draft(page, cast.bruno, title="En préparation")

    html = bruno.get(url).content.decode()
    assert 'value="En préparation"' in html
    assert "attend d'être publié" in html


def test_editing_saves_a_new_draft_and_publishing_puts_it_online(bruno, cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno)
    url = f"/sud-ouest/gestion/contenu/pages/{page.pk}/"

    saved = submit(bruno, url, title="Nos permanences d'hiver")

    draft = newest(page)
    assert saved["Location"] == f"/sud-ouest/gestion/contenu/versions/{draft.pk}/"
    page.refresh_from_db()
    assert page.title == "Nos permanences"  # visitors still read the published version
    published = submit(bruno, saved["Location"], f"/sud-ouest/gestion/contenu/versions/{draft.pk}/publier/")
    assert published["Location"] == url
    page.refresh_from_db()
    assert page.title == "Nos permanences d'hiver"
    html = bruno.get(url).content.decode()
    assert "La page est publiée : elle est en ligne." in html
    assert AuditEvent.objects.filter(action="content.published", actor=cast.bruno).count() == 2


def test_the_history_lists_each_version_and_the_one_online(bruno, cast, sud_ouest):
    site = site_content(sud_ouest, cast.bruno)

    html = bruno.get(f"/sud-ouest/gestion/contenu/pages/{site.page.pk}/").content.decode()

    history = html[html.index("Historique des versions") :]
    for revision in (site.draft, site.old, site.live):
        assert f'href="/sud-ouest/gestion/contenu/versions/{revision.pk}/"' in history
    assert history.count("version en ligne") == 1
    live_row = history[history.index(f"/versions/{site.live.pk}/") :]
    assert live_row.index("version en ligne") < live_row.index("</tr>")
    assert history.count("bruno@alpha-sierra.org") == 3


def test_publishing_a_version_already_published_says_so_and_changes_nothing(bruno, cast, sud_ouest):
    site = site_content(sud_ouest, cast.bruno)
    before = state()

    response = bruno.post(f"/sud-ouest/gestion/contenu/versions/{site.live.pk}/publier/", follow=True)

    assert response.redirect_chain[0][0] == f"/sud-ouest/gestion/contenu/versions/{site.live.pk}/"
    assert "Cette version est déjà publiée." in response.content.decode()
    assert state() == before


def test_an_old_version_is_restored_from_its_preview(bruno, cast, sud_ouest):
    site = site_content(sud_ouest, cast.bruno)
    preview_url = f"/sud-ouest/gestion/contenu/versions/{site.old.pk}/"
    preview = bruno.get(preview_url).content.decode()
    assert "Aperçu — ancienne version" in preview
    assert ">Restaurer cette version</button>" in preview
    assert ">Publier</button>" not in preview

    response = submit(bruno, preview_url, f"{preview_url}restaurer/")

    assert response["Location"] == f"/sud-ouest/gestion/contenu/pages/{site.page.pk}/"
    site.page.refresh_from_db()
    assert site.page.title == "Le CLAS"
    copy = newest(site.page)
    assert copy.restored_from == site.old
    html = bruno.get(response["Location"]).content.decode()
    assert "est de nouveau en ligne" in html
    assert "restaurée depuis la version du" in html


def test_the_version_online_offers_neither_publishing_nor_restoring(bruno, cast, sud_ouest):
    site = site_content(sud_ouest, cast.bruno)
    before = state()

    preview = bruno.get(f"/sud-ouest/gestion/contenu/versions/{site.live.pk}/").content.decode()
    refused = bruno.post(f"/sud-ouest/gestion/contenu/versions/{site.live.pk}/restaurer/", follow=True)

    assert "Aperçu — version en ligne" in preview
    assert "Restaurer cette version" not in preview
    assert ">Publier</button>" not in preview
    assert "Cette version est déjà celle en ligne." in refused.content.decode()
    assert state() == before


def test_withdrawing_a_page_then_publishing_it_again(bruno, cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno)
    url = f"/sud-ouest/gestion/contenu/pages/{page.pk}/"

    withdrawn = submit(bruno, url, f"{url}retirer/")

    assert withdrawn["Location"] == url
    page.refresh_from_db()
    assert page.state == Page.State.WITHDRAWN
    html = bruno.get(url).content.decode()
    assert "La page est retirée du site" in html
    assert ">Retirer du site</button>" not in html
    restore = f"/sud-ouest/gestion/contenu/versions/{newest(page).pk}/restaurer/"
    assert f'action="{restore}"' in html  # « Publier »: its newest version, back online

    submit(bruno, url, restore)

    page.refresh_from_db()
    assert page.state == Page.State.PUBLISHED


def test_a_withdrawn_page_with_a_draft_is_put_back_with_the_draft(bruno, cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno)
    content_withdraw(item=page, actor=cast.bruno)
    draft = page_draft(page, cast.bruno, title="Corrigée")
    url = f"/sud-ouest/gestion/contenu/pages/{page.pk}/"

    submit(bruno, url, f"/sud-ouest/gestion/contenu/versions/{draft.pk}/publier/")

    page.refresh_from_db()
    assert (page.state, page.title) == (Page.State.PUBLISHED, "Corrigée")


def test_withdrawing_a_draft_says_so_and_changes_nothing(bruno, cast, sud_ouest):
    page = a_page(sud_ouest, cast.bruno, publish=False)
    news = a_news_item(sud_ouest, cast.bruno, publish=False)
    before = state()

    on_page = bruno.post(f"/sud-ouest/gestion/contenu/pages/{page.pk}/retirer/", follow=True)
    on_news = bruno.post(f"/sud-ouest/gestion/contenu/actualites/{news.pk}/retirer/", follow=True)

    assert "Cette page n&#x27;est pas en ligne : rien n&#x27;a été retiré." in on_page.content.decode()
    assert "Cette actualité n&#x27;est pas en ligne : rien n&#x27;a été retiré." in on_news.content.decode()
    assert state() == before


# --- The news editor ------------------------------------------------------------


def test_a_news_item_is_entered_and_shown_in_the_sites_time_zone(client, cast):
    manager = User.objects.get(email="responsable.nouvelle-caledonie@alpha-sierra.org")
    with_second_factor(manager)
    client.force_login(manager)
    page = "/nouvelle-caledonie/gestion/contenu/actualites/nouvelle/"
    assert "heure de Nouméa" in client.get(page).content.decode()

    response = submit(client, page, title="Fête du CLAS", summary="À Nouméa.", publish_on="2036-03-06T10:00")

    news = NewsItem.objects.get()
    assert parse_datetime(newest(news).data["publish_on"]) == datetime(2036, 3, 5, 23, tzinfo=UTC)
    assert news.publish_on == datetime(2036, 3, 5, 23, tzinfo=UTC)
    edit = client.get(f"/nouvelle-caledonie/gestion/contenu/actualites/{news.pk}/").content.decode()
    assert 'value="2036-03-06T10:00"' in edit
    preview = client.get(response["Location"]).content.decode()
    assert "6 mars 2036 à 10:00 (heure de Nouméa)" in preview


def test_a_news_item_needs_a_title_a_summary_and_a_date(bruno, cast):
    response = submit(
        bruno, "/sud-ouest/gestion/contenu/actualites/nouvelle/", title="", summary="", publish_on="", body="Gardé."
    )

    html = response.content.decode()
    for message in (
        "Indiquez le titre de l&#x27;actualité.",
        "Indiquez le résumé de l&#x27;actualité.",
        "Indiquez la date de publication.",
    ):
        assert message in html
    assert "Gardé." in html
    assert not NewsItem.objects.exists()


def test_a_news_item_shows_an_image_of_the_site_by_its_alternative_text(bruno, cast, sud_ouest):
    ours = an_image(sud_ouest, alt="Le sapin du CLAS")
    theirs = an_image(Organisation.objects.get(slug="nord"), alt="Le beffroi de Lille")
    page = "/sud-ouest/gestion/contenu/actualites/nouvelle/"
    html = bruno.get(page).content.decode()
    assert "Le sapin du CLAS (1200 × 800 px)" in html
    assert "Le beffroi de Lille" not in html

    refused = submit(bruno, page, title="Noël", summary="Le sapin.", image=str(theirs.pk))
    assert "Choisissez une des images du site." in refused.content.decode()
    assert not NewsItem.objects.exists()

    response = submit(bruno, page, title="Noël", summary="Le sapin.", image=str(ours.pk))
    preview = bruno.get(response["Location"]).content.decode()
    assert f'src="{ours.url}" alt="Le sapin du CLAS"' in preview


def test_a_news_item_dated_in_the_future_is_published_for_that_date(bruno, cast, sud_ouest):
    news = a_news_item(sud_ouest, cast.bruno, publish=False)
    draft = news_draft(news, cast.bruno, publish_on=datetime(2036, 5, 1, 8, tzinfo=UTC))

    response = bruno.post(f"/sud-ouest/gestion/contenu/versions/{draft.pk}/publier/", follow=True)

    html = response.content.decode()
    assert "elle paraîtra sur le site le 1 mai 2036 à 10:00" in html
    assert ">programmée<" in html
    assert "Paraîtra sur le site le 1 mai 2036 à 10:00." in html
    assert "Voir sur le site" not in html  # not yet for visitors
    assert ">programmée<" in bruno.get("/sud-ouest/gestion/contenu/").content.decode()


# --- The home editor ------------------------------------------------------------

HOME = "/sud-ouest/gestion/contenu/accueil/"


def test_the_home_is_saved_with_its_links_blank_rows_ignored(bruno, cast, sud_ouest):
    response = submit(
        bruno,
        HOME,
        banner_title="Bienvenue au CLAS Sud-Ouest",
        banner_text="L'action sociale près de chez vous.",
        introduction="Le CLAS organise des **sorties**.",
        tile_1_title="Nos activités",
        tile_1_url="/sud-ouest/activites/",
        tile_3_title="Météo-France",
        tile_3_url="https://meteofrance.com/",
        tile_3_description="Le temps qu'il fera",
    )

    revision = newest(Home.objects.get())
    assert response["Location"] == f"/sud-ouest/gestion/contenu/versions/{revision.pk}/"
    assert revision.data["tiles"] == [
        {"title": "Nos activités", "url": "/sud-ouest/activites/", "description": ""},
        {"title": "Météo-France", "url": "https://meteofrance.com/", "description": "Le temps qu'il fera"},
    ]
    preview = bruno.get(response["Location"]).content.decode()
    assert "Bienvenue au CLAS Sud-Ouest" in preview
    assert "<strong>sorties</strong>" in preview
    assert 'href="https://meteofrance.com/" rel="noopener noreferrer">Météo-France</a>' in preview
    assert 'href="/sud-ouest/activites/">Nos activités</a>' in preview
    assert not Home.objects.get().is_published


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"tile_2_url": "/sud-ouest/activites/"}, "tile_2_title", "Indiquez le titre de ce lien."),
        ({"tile_2_title": "Activités"}, "tile_2_url", "Indiquez l&#x27;adresse de ce lien."),
        ({"tile_2_title": "Site", "tile_2_url": "http://exemple.fr/"}, "tile_2_url", "commençant par https://"),
        ({"tile_2_title": "Site", "tile_2_url": "javascript:alert(1)"}, "tile_2_url", "commençant par https://"),
        ({"tile_2_title": "Site", "tile_2_url": "//exemple.fr/"}, "tile_2_url", "commençant par https://"),
        ({"tile_2_title": "Site", "tile_2_url": "exemple.fr"}, "tile_2_url", "commençant par « / »"),
    ],
)
def test_a_link_half_filled_or_with_a_wrong_address_is_an_error_next_to_it(bruno, cast, typed, field, message):
    response = submit(bruno, HOME, banner_title="Gardé", **typed)

    html = response.content.decode()
    assert response.status_code == 200
    group = html[html.index(f'for="id_{field}"') : html.index(f'id="id_{field}-desc-error"') + 300]
    assert message in group
    assert 'value="Gardé"' in html
    for value in typed.values():
        assert f'value="{value}"' in html
    assert not Revision.objects.exists()


def test_the_home_editor_starts_from_the_draft_else_from_what_is_published(bruno, cast, sud_ouest):
    assert 'value="Bienvenue au CLAS"' not in bruno.get(HOME).content.decode()
    a_home(sud_ouest, cast.bruno)
    html = bruno.get(HOME).content.decode()
    assert 'value="Bienvenue au CLAS"' in html
    assert 'value="/sud-ouest/activites/"' in html

    submit(bruno, HOME, banner_title="Un nouveau titre")

    assert 'value="Un nouveau titre"' in bruno.get(HOME).content.decode()


def test_the_home_image_is_chosen_among_the_sites_images(bruno, cast, sud_ouest):
    ours = an_image(sud_ouest, alt="Le hangar de l'aéroclub")

    response = submit(bruno, HOME, image=str(ours.pk))

    assert newest(Home.objects.get()).data["image"] == ours.pk
    assert 'alt="Le hangar de l&#x27;aéroclub"' in bruno.get(response["Location"]).content.decode()


def test_every_action_of_the_editor_has_its_label_for_the_journal(cast, sud_ouest):
    site = site_content(sud_ouest, cast.bruno)
    content_withdraw(item=site.news, actor=cast.bruno)
    revision_restore(revision=site.old, actor=cast.bruno)

    actions = set(AuditEvent.objects.filter(action__startswith="content.").values_list("action", flat=True))

    assert actions == {"content.created", "content.draft_saved", "content.published", "content.restored"} | {
        "content.withdrawn"
    }
    assert all(ACTION_LABELS.get(action) for action in actions)


def test_the_editor_reads_in_english(bruno, cast, sud_ouest):
    site = site_content(sud_ouest, cast.bruno)
    bruno.cookies["django_language"] = "en"

    overview = bruno.get("/sud-ouest/gestion/contenu/").content.decode()
    editor = bruno.get(f"/sud-ouest/gestion/contenu/pages/{site.page.pk}/").content.decode()
    preview = bruno.get(f"/sud-ouest/gestion/contenu/versions/{site.draft.pk}/").content.decode()

    assert "New news item" in overview
    assert "draft waiting" in overview
    assert "Save the draft and preview it" in editor
    assert "Version history" in editor
    assert "Take off the site" in editor
    assert "Preview — unpublished draft" in preview
