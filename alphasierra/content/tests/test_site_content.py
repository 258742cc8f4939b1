"""The template tags of a site's content: its menu in one query, and the
links its managers typed, kept only where they lead somewhere safe."""

import pytest

from alphasierra.content.templatetags.site_content import is_external, safe_link, site_menu_tag
from alphasierra.content.tests import published
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/sud-ouest/pages/billetterie/",
        "https://www.ancv.com/",
        "http://example.org/a?b=c#d",
        "mailto:clas.sud-ouest@example.fr",
        "tel:+33561000000",
        "  https://www.ancv.com/  ",
    ],
)
def test_a_link_to_the_portal_or_an_allowed_scheme_is_kept(url):
    assert safe_link(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/",
        "/\\evil.example/",
        "https:evil",
        "billetterie",
        "",
        None,
        "http://[::1",
    ],
)
def test_any_other_link_is_dropped(url):
    assert safe_link(url) == ""


def test_only_web_addresses_leave_the_portal():
    assert is_external("https://www.ancv.com/")
    assert not is_external("/sud-ouest/")
    assert not is_external("mailto:a@example.fr")


def test_the_menu_takes_one_query_whatever_the_number_of_pages(cast, django_assert_num_queries, settings, tmp_path):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    for number in range(5):
        published.page(sud_ouest, title=f"Page {number}", slug=f"page-{number}", in_menu=True, menu_order=5 - number)
    published.news(sud_ouest)

    with django_assert_num_queries(1):
        menu = site_menu_tag(sud_ouest)

    assert menu is not None
    assert [entry.title for entry in menu.pages] == [f"Page {number}" for number in (4, 3, 2, 1, 0)]
    assert menu.has_news
    assert menu.news_url == "/sud-ouest/actualites/"
    assert menu.feed_url == "/sud-ouest/actualites/flux.atom"


def test_a_page_of_no_site_has_no_menu_and_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert site_menu_tag(None) is None
