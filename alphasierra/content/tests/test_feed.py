"""Each site's news as an Atom feed: valid against RFC 4287's grammar, listing
what the news page lists, with absolute links and its text escaped."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from alphasierra.content.selectors import NEWS_PER_PAGE
from alphasierra.content.tests import published
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"atom": "http://www.w3.org/2005/Atom"}
SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("atom.rng"))))
PORTAL_URL = "https://www.alpha-sierra.example"


@pytest.fixture(autouse=True)
def _portal(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_URL = PORTAL_URL


@pytest.fixture
def sud_ouest(cast) -> Organisation:
    return Organisation.objects.get(slug="sud-ouest")


def feed_of(client, path: str = "/sud-ouest/actualites/flux.atom") -> etree._Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    return etree.fromstring(response.content)


def problems(feed: etree._Element) -> list[str]:
    """What RFC 4287 forbids: its grammar, and the two rules the grammar
    leaves to Schematron."""
    found = [] if SCHEMA.validate(feed) else [str(error) for error in SCHEMA.error_log]
    entries = feed.findall("atom:entry", NS)
    if feed.find("atom:author", NS) is None and any(e.find("atom:author", NS) is None for e in entries):
        found.append("a feed without an author has an entry without one")
    for entry in entries:
        alternate = entry.xpath("atom:link[@rel='alternate' or not(@rel)]", namespaces=NS)
        if not alternate and entry.find("atom:content", NS) is None:
            found.append("an entry without an alternate link or content")
    return found


def listed_on_the_news_page(client, path: str = "/sud-ouest/actualites/") -> list[str]:
    body = client.get(path).content.decode()
    cards = body.split('id="actualites"', 1)[1].split("</ul>", 1)[0] if 'id="actualites"' in body else ""
    return re.findall(r'<h2 class="fr-card__title"><a href="([^"]+)">', cards)


def test_the_feed_is_valid_atom_with_news_images_and_markup(client, sud_ouest):
    photo = published.image(sud_ouest, alt="Le sapin")
    published.news(
        sud_ouest,
        title="Arbre de Noël",
        image=photo,
        body=f"![Le sapin]({photo.url})\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    )
    published.news(sud_ouest, title="Sortie ski", publish_on=timezone.now() - timedelta(days=2))

    feed = feed_of(client)

    assert problems(feed) == []
    assert len(feed.findall("atom:entry", NS)) == 2


def test_an_empty_feed_is_valid_atom_too(client, sud_ouest):
    feed = feed_of(client)

    assert problems(feed) == []
    assert feed.findall("atom:entry", NS) == []
    assert feed.findtext("atom:title", namespaces=NS) == "Actualités — CLAS Sud-Ouest"


def test_the_check_sees_what_rfc_4287_forbids(client, sud_ouest):
    published.news(sud_ouest)
    feed = feed_of(client)
    entry = feed.find("atom:entry", NS)
    assert entry is not None

    entry.remove(entry.find("atom:updated", NS))
    entry.find("atom:published", NS).text = "le 13 décembre"

    assert problems(feed) != []


def test_the_feed_lists_exactly_what_the_news_page_lists_in_its_order(client, cast, sud_ouest):
    now = timezone.now()
    for number in range(NEWS_PER_PAGE + 2):
        published.news(sud_ouest, title=f"Actualité {number}", publish_on=now - timedelta(hours=number))
    published.news(sud_ouest, title="Brouillon", state="draft")
    published.news(sud_ouest, title="Retirée", state="withdrawn")
    published.news(sud_ouest, title="Programmée", publish_on=now + timedelta(days=1))
    published.news(Organisation.objects.get(slug="nord"), title="Du Nord")

    feed = feed_of(client)

    entries = [link.get("href") for link in feed.xpath("atom:entry/atom:link[@rel='alternate']", namespaces=NS)]
    assert entries == [PORTAL_URL + path for path in listed_on_the_news_page(client)]
    assert len(entries) == NEWS_PER_PAGE
    titles = {title.text for title in feed.iterfind("atom:entry/atom:title", NS)}
    assert not titles & {"Brouillon", "Retirée", "Programmée", "Du Nord"}


def test_every_link_of_the_feed_is_absolute_on_the_portal(client, sud_ouest):
    photo = published.image(sud_ouest, alt="Le sapin")
    item = published.news(
        sud_ouest, body=f"![Le sapin]({photo.url}) et [nos permanences](/sud-ouest/pages/permanences/)", image=photo
    )

    feed = feed_of(client)

    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert f"{PORTAL_URL}/sud-ouest/actualites/" in hrefs
    assert f"{PORTAL_URL}/sud-ouest/actualites/flux.atom" in hrefs
    assert f"{PORTAL_URL}/sud-ouest/actualites/{item.pk}/" in hrefs
    assert all(href.startswith(f"{PORTAL_URL}/") for href in hrefs)
    assert feed.findtext("atom:id", namespaces=NS) == f"{PORTAL_URL}/sud-ouest/actualites/"
    content = feed.findtext("atom:entry/atom:content", namespaces=NS)
    assert f'src="{PORTAL_URL}{photo.url}"' in content
    assert f'href="{PORTAL_URL}/sud-ouest/pages/permanences/"' in content
    assert 'src="/' not in content
    assert 'href="/' not in content


def test_a_title_with_markup_reads_as_typed_and_a_summary_as_text(client, sud_ouest):
    published.news(sud_ouest, title="Ski <débutants> & confirmés", summary="Prix < 20 € & car offert")

    response = client.get("/sud-ouest/actualites/flux.atom")
    feed = etree.fromstring(response.content)

    assert b"<d\xc3\xa9butants>" not in response.content
    assert feed.findtext("atom:entry/atom:title", namespaces=NS) == "Ski <débutants> & confirmés"
    summary = feed.find("atom:entry/atom:summary", NS)
    assert summary is not None
    assert summary.get("type") == "html"
    # HTML that a reader shows as the very text typed.
    assert summary.text == "Prix &lt; 20 € &amp; car offert"
    assert problems(feed) == []


def test_each_entry_has_its_dates_and_a_lasting_identity(client, sud_ouest):
    when = timezone.now() - timedelta(days=1)
    item = published.news(sud_ouest, publish_on=when)

    entry = feed_of(client).find("atom:entry", NS)

    assert entry is not None
    assert entry.findtext("atom:published", namespaces=NS) == when.isoformat()
    assert entry.findtext("atom:updated", namespaces=NS) >= when.isoformat()
    identity = entry.findtext("atom:id", namespaces=NS)
    assert identity == f"tag:www.alpha-sierra.example,{item.created_at:%Y-%m-%d}:/sud-ouest/actualites/{item.pk}/"


def test_the_national_site_has_its_own_feed(client, cast, sud_ouest):
    national = Organisation.objects.get(kind="national")
    published.news(national, title="Nouveau portail")
    published.news(sud_ouest, title="Sortie ski")

    feed = feed_of(client, "/actualites/flux.atom")

    assert [t.text for t in feed.iterfind("atom:entry/atom:title", NS)] == ["Nouveau portail"]
    assert feed.findtext("atom:id", namespaces=NS) == f"{PORTAL_URL}/actualites/"
    assert problems(feed) == []


def test_an_unknown_site_has_no_feed(client, cast):
    assert client.get("/inconnu/actualites/flux.atom").status_code == 404
