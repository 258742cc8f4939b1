"""What visitors read of a site's content: its pages, its news, its menu and
the national « Contact » page; whatever is not published, not yet due or
another site's does not exist for them."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from alphasierra.content.selectors import NEWS_PER_PAGE
from alphasierra.content.tests import published
from alphasierra.organisations.models import Organisation, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def sud_ouest(cast) -> Organisation:
    return Organisation.objects.get(slug="sud-ouest")


@pytest.fixture
def nord(cast) -> Organisation:
    return Organisation.objects.get(slug="nord")


@pytest.fixture
def national(cast) -> Organisation:
    return Organisation.objects.get(kind="national")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def main_text(body: str) -> str:
    """The words of the page's main content, as a person reads them."""
    main = body.split('<main id="contenu"', 1)[1].split("</main>", 1)[0]
    return " ".join(strip_tags(main).split())


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Links(HTMLParser):
    """Every link's address and words, in document order, within ``within`` (an id) if given."""

    def __init__(self, within: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.within, self.depth, self.inside = within, 0, not within
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.within and values.get("id") == self.within:
            self.inside, self.depth = True, 0
        if self.inside and self.within and tag not in VOID:
            self.depth += 1
        if self.inside and tag == "a" and values.get("href"):
            self._href, self._text = values["href"], ""

    def handle_endtag(self, tag: str) -> None:
        if self.inside and tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._text.split())))
            self._href = None
        if self.inside and self.within and tag not in VOID:
            self.depth -= 1
            if self.depth == 0:
                self.inside = False

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data


def links(body: str, within: str = "") -> list[tuple[str, str]]:
    parser = Links(within)
    parser.feed(body)
    return parser.links


def menu_links(body: str) -> list[tuple[str, str]]:
    return links(body, within="navigation")


# --- Pages ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [None, "alice", "karim", "bruno"])
def test_a_published_page_shows_its_title_its_text_and_the_way_back_home(client, cast, sud_ouest, persona):
    published.page(sud_ouest, title="Nos permanences", slug="permanences")
    if persona:
        client.force_login(getattr(cast, persona))

    response = client.get("/sud-ouest/pages/permanences/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Nos permanences</h1>" in body
    assert "<title>Nos permanences — CLAS Sud-Ouest — Alpha Sierra</title>" in body
    assert "<h2>Nos permanences</h2>" in body  # the text's own heading, below the h1
    assert "<strong>bâtiment B</strong>" in body
    assert ("/sud-ouest/", "Accueil") in links(body, within="fil-d-ariane")
    assert 'aria-current="page">Nos permanences</a>' in body


def test_the_national_site_has_its_pages_without_a_site_in_their_address(client, national, sud_ouest):
    published.page(national, title="Qui sommes-nous", slug="qui-sommes-nous")

    response = client.get("/pages/qui-sommes-nous/")

    assert response.status_code == 200
    assert "<h1>Qui sommes-nous</h1>" in response.content.decode()
    assert ("/", "Accueil") in links(response.content.decode(), within="fil-d-ariane")
    # The national page is not a page of a CLAS.
    assert client.get("/sud-ouest/pages/qui-sommes-nous/").status_code == 404


@pytest.mark.parametrize("state", ["draft", "withdrawn"])
def test_a_page_not_published_does_not_exist_nor_shows_in_the_menu(client, sud_ouest, state):
    published.page(sud_ouest, title="Brouillon", slug="brouillon", in_menu=True, state=state)

    assert client.get("/sud-ouest/pages/brouillon/").status_code == 404
    assert "Brouillon" not in dict(menu_links(client.get("/sud-ouest/").content.decode())).values()


def test_another_site_s_page_does_not_exist_on_this_site(client, cast, sud_ouest, nord):
    published.page(nord, title="Le CLAS Nord", slug="le-clas-nord", in_menu=True)
    client.force_login(cast.karim)  # an agent of Nord, on Sud-Ouest's site

    assert client.get("/sud-ouest/pages/le-clas-nord/").status_code == 404
    assert client.get("/nord/pages/le-clas-nord/").status_code == 200
    assert "Le CLAS Nord" not in main_text(client.get("/sud-ouest/").content.decode())
    assert "Le CLAS Nord" not in dict(menu_links(client.get("/sud-ouest/").content.decode())).values()


def test_a_page_s_text_is_the_html_stored_when_it_was_saved(client, sud_ouest):
    trap = '<script>alert(1)</script> [lien](javascript:alert(1)) <b onclick="x()">gras</b>'
    published.page(sud_ouest, slug="piege", body=trap)

    body = client.get("/sud-ouest/pages/piege/").content.decode()

    content = body.split('class="as-content">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in content
    assert 'href="javascript' not in content
    assert "onclick" not in content
    assert "gras" in content


# --- The menu ---------------------------------------------------------------------


def test_the_menu_offers_the_pages_placed_in_it_in_their_order(client, sud_ouest):
    published.page(sud_ouest, title="Contact", slug="contact", in_menu=True, menu_order=3)
    published.page(sud_ouest, title="Le bureau", slug="bureau", in_menu=True, menu_order=1)
    published.page(sud_ouest, title="Billetterie", slug="billetterie", in_menu=True, menu_order=2)
    published.page(sud_ouest, title="Mentions", slug="mentions", in_menu=False)

    body = client.get("/sud-ouest/activites/").content.decode()

    pages = [(href, text) for href, text in menu_links(body) if "/pages/" in href]
    assert pages == [
        ("/sud-ouest/pages/bureau/", "Le bureau"),
        ("/sud-ouest/pages/billetterie/", "Billetterie"),
        ("/sud-ouest/pages/contact/", "Contact"),
    ]


def test_the_menu_marks_the_page_being_read(client, sud_ouest):
    published.page(sud_ouest, title="Le bureau", slug="bureau", in_menu=True)

    body = client.get("/sud-ouest/pages/bureau/").content.decode()

    assert '<a class="fr-nav__link" href="/sud-ouest/pages/bureau/" aria-current="page">Le bureau</a>' in body


def test_the_menu_offers_actualites_once_the_site_has_news_whose_date_has_come(client, sud_ouest):
    def offered() -> bool:
        return ("/sud-ouest/actualites/", "Actualités") in menu_links(client.get("/sud-ouest/").content.decode())

    assert not offered()
    published.news(sud_ouest, state="draft")
    published.news(sud_ouest, state="withdrawn")
    published.news(sud_ouest, publish_on=timezone.now() + timedelta(days=2))
    assert not offered()

    published.news(sud_ouest)

    assert offered()


def test_another_site_s_news_does_not_put_actualites_in_this_site_s_menu(client, sud_ouest, nord):
    published.news(nord)

    assert ("/nord/actualites/", "Actualités") in menu_links(client.get("/nord/").content.decode())
    assert not [link for link in menu_links(client.get("/sud-ouest/").content.decode()) if "actualites" in link[0]]


def test_the_national_menu_has_its_own_pages_and_news(client, national, sud_ouest):
    published.page(national, title="Qui sommes-nous", slug="qui-sommes-nous", in_menu=True)
    published.news(national)
    published.page(sud_ouest, title="Le bureau", slug="bureau", in_menu=True)

    menu = menu_links(client.get("/annuaire/").content.decode())

    assert ("/pages/qui-sommes-nous/", "Qui sommes-nous") in menu
    assert ("/actualites/", "Actualités") in menu
    assert "Le bureau" not in dict(menu).values()


def test_every_page_of_a_site_names_its_atom_feed_in_its_head(client, sud_ouest):
    for path in ("/sud-ouest/", "/sud-ouest/activites/", "/sud-ouest/actualites/"):
        head = client.get(path).content.decode().split("</head>", 1)[0]

        assert (
            '<link rel="alternate" type="application/atom+xml" title="Actualités — CLAS Sud-Ouest" '
            'href="/sud-ouest/actualites/flux.atom">'
        ) in head, path


# --- News -------------------------------------------------------------------------


def test_the_news_page_lists_published_news_newest_first_as_cards(client, sud_ouest):
    now = timezone.now()
    photo = published.image(sud_ouest, alt="Les enfants devant le sapin")
    published.news(sud_ouest, title="Sortie ski", summary="Au Pic du Midi.", publish_on=now - timedelta(days=3))
    noel = published.news(
        sud_ouest, title="Arbre de Noël", summary="Le 13 décembre.", image=photo, publish_on=now - timedelta(days=1)
    )

    response = client.get("/sud-ouest/actualites/")

    body = response.content.decode()
    assert response.status_code == 200
    assert [text for _href, text in links(body, within="actualites")] == ["Arbre de Noël", "Sortie ski"]
    assert f'<a href="/sud-ouest/actualites/{noel.pk}/">Arbre de Noël</a>' in body
    assert f'src="{photo.url}" alt="Les enfants devant le sapin"' in body
    assert "Le 13 décembre." in body
    assert f'<time datetime="{timezone.localtime(noel.publish_on).isoformat()}">' in body
    assert body.count('class="fr-card fr-enlarge-link"') == 2


@pytest.mark.parametrize("persona", [None, "alice", "karim"])
@pytest.mark.parametrize("state", ["draft", "withdrawn", "future"])
def test_news_not_published_or_not_yet_due_is_neither_listed_nor_reachable(client, cast, sud_ouest, state, persona):
    if persona:
        client.force_login(getattr(cast, persona))
    hidden = published.news(
        sud_ouest,
        title="Pas encore",
        state="published" if state == "future" else state,
        publish_on=timezone.now() + timedelta(days=1) if state == "future" else None,
    )
    published.news(sud_ouest, title="Visible")

    listed = client.get("/sud-ouest/actualites/").content.decode()

    assert "Visible" in listed
    assert "Pas encore" not in listed
    assert "Pas encore" not in client.get("/sud-ouest/").content.decode()
    assert client.get(f"/sud-ouest/actualites/{hidden.pk}/").status_code == 404


def test_scheduled_news_appears_once_its_date_has_come(client, sud_ouest):
    scheduled = published.news(sud_ouest, title="Programmée", publish_on=timezone.now() + timedelta(hours=1))
    assert client.get(f"/sud-ouest/actualites/{scheduled.pk}/").status_code == 404

    type(scheduled).objects.filter(pk=scheduled.pk).update(publish_on=timezone.now() - timedelta(minutes=1))

    assert client.get(f"/sud-ouest/actualites/{scheduled.pk}/").status_code == 200
    assert "Programmée" in client.get("/sud-ouest/actualites/").content.decode()


def test_another_site_s_news_is_neither_listed_nor_reachable_on_this_site(client, cast, sud_ouest, nord):
    other = published.news(nord, title="Nouvelles du Nord")
    client.force_login(cast.karim)

    assert client.get(f"/sud-ouest/actualites/{other.pk}/").status_code == 404
    assert "Nouvelles du Nord" not in client.get("/sud-ouest/actualites/").content.decode()
    assert "Nouvelles du Nord" not in client.get("/sud-ouest/").content.decode()
    assert client.get(f"/nord/actualites/{other.pk}/").status_code == 200
    # Nor on the national site, which has news of its own.
    assert client.get(f"/actualites/{other.pk}/").status_code == 404


def test_the_news_page_runs_over_pages(client, sud_ouest):
    now = timezone.now()
    for number in range(NEWS_PER_PAGE + 1):
        published.news(sud_ouest, title=f"Actualité {number:02}", publish_on=now - timedelta(hours=number))

    first = client.get("/sud-ouest/actualites/").content.decode()
    second = client.get("/sud-ouest/actualites/?page=2").content.decode()

    assert len(links(first, within="actualites")) == NEWS_PER_PAGE
    assert [text for _href, text in links(second, within="actualites")] == [f"Actualité {NEWS_PER_PAGE:02}"]
    assert "Page suivante" in first
    assert "Page précédente" in second
    # A page number out of range shows the last page rather than an error.
    assert client.get("/sud-ouest/actualites/?page=99").status_code == 200


def test_a_site_without_news_says_so(client, sud_ouest):
    response = client.get("/sud-ouest/actualites/")

    assert response.status_code == 200
    assert "Aucune actualité n'est publiée pour le moment par le CLAS Sud-Ouest." in main_text(
        response.content.decode()
    )


@pytest.mark.parametrize("persona", [None, "alice"])
def test_a_news_item_shows_its_title_date_image_and_text(client, cast, sud_ouest, persona):
    if persona:
        client.force_login(getattr(cast, persona))
    photo = published.image(sud_ouest, alt="Le sapin de la salle des fêtes")
    item = published.news(sud_ouest, title="Arbre de Noël", summary="Le 13 décembre.", image=photo)

    response = client.get(f"/sud-ouest/actualites/{item.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Arbre de Noël</h1>" in body
    assert "Publiée le" in body
    assert f'<img class="fr-responsive-img" src="{photo.url}" alt="Le sapin de la salle des fêtes">' in body
    assert "<strong>bâtiment B</strong>" in body
    crumbs = links(body, within="fil-d-ariane")
    assert crumbs == [("/sud-ouest/", "Accueil"), ("/sud-ouest/actualites/", "Actualités")]


def test_a_title_typed_with_markup_is_shown_as_text(client, sud_ouest):
    item = published.news(sud_ouest, title="<script>alert(1)</script> & co", summary="<b>résumé</b>")

    for path in ("/sud-ouest/", "/sud-ouest/actualites/", f"/sud-ouest/actualites/{item.pk}/"):
        body = client.get(path).content.decode()

        assert "<script>alert(1)</script>" not in body, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in body, path


# --- The national « Contact » page --------------------------------------------------


@pytest.mark.parametrize("persona", [None, "alice", "nadia"])
def test_the_contact_page_sends_agents_to_their_correspondent_grouped_by_clas(client, cast, persona):
    if persona:
        client.force_login(getattr(cast, persona))

    response = client.get("/contact/")

    body = response.content.decode()
    text = main_text(body)
    assert response.status_code == 200
    assert "En cas de difficultés, contactez votre correspondant social régional." in text
    nord = text.split("CLAS Nord", 1)[1].split("CLAS", 1)[0]
    assert "Chloé Petit" in nord
    assert "chloe@alpha-sierra.org" in nord
    sud_ouest = text.split("CLAS Sud-Ouest", 1)[1].split("CLAS", 1)[0]
    assert "Bruno Lambert" in sud_ouest
    assert "Chloé Petit" not in sud_ouest
    # Every CLAS, in the portal's order, each with a link to its site.
    clas = [o.get_absolute_url() for o in Organisation.objects.filter(kind="clas").order_by("position", "name")]
    assert [href for href, _text in links(body) if href in clas][: len(clas)] == clas


def test_a_clas_without_correspondents_is_listed_and_said_so(client, cast):
    Role.objects.filter(organisation__slug="enac").delete()

    text = main_text(client.get("/contact/").content.decode())

    enac = Organisation.objects.get(slug="enac").name
    assert f"{enac} Aucun correspondant n'est encore désigné pour ce CLAS." in text


def test_the_contact_page_is_linked_from_the_national_home_and_every_footer(client, cast):
    national = client.get("/").content.decode()
    assert ("/contact/", "Contact") in links(national, within="contenu")

    for path in ("/", "/sud-ouest/", "/aramis/activites/", "/annuaire/"):
        assert ("/contact/", "Contact") in links(client.get(path).content.decode(), within="pied-de-page"), path


def test_the_contact_page_exists_on_the_national_site_only(client, cast):
    assert client.get("/sud-ouest/contact/").status_code == 404


# --- In English -------------------------------------------------------------------


def test_the_public_pages_read_in_english(client, cast, sud_ouest):
    published.home(sud_ouest, tiles=[{"title": "Billetterie", "url": "/sud-ouest/", "description": ""}])
    item = published.news(sud_ouest)
    published.page(sud_ouest, slug="bureau")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    home = main_text(client.get("/sud-ouest/").content.decode())
    news_list = client.get("/sud-ouest/actualites/").content.decode()
    news_item = main_text(client.get(f"/sud-ouest/actualites/{item.pk}/").content.decode())
    contact = main_text(client.get("/contact/").content.decode())

    assert "Quick links" in home
    assert "Coming activities" in home
    assert "All the news" in home
    assert "Subscribe to the news (Atom feed)" in news_list
    assert 'title="News — CLAS Sud-Ouest"' in news_list
    assert "Published on" in news_item
    assert "If you have any difficulty, contact your regional social correspondent." in contact
    for french in ("Accès rapides", "Prochaines activités", "Toutes les actualités", "Publiée le", "difficultés"):
        assert french not in home + news_list + news_item + contact, french
