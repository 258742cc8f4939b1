"""The HTML of every page type: a plain-text title, one main heading, no
heading level skipped."""

from html.parser import HTMLParser

import pytest

from alphasierra.tests.page_types import EXCLUDED, EXCLUDED_PREFIX, PAGE_TYPES, pages_rendered, route_of, routes

pytestmark = pytest.mark.django_db

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class Outline(HTMLParser):
    """The page's title and the levels of its headings, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.titles = 0
        self.in_title = False
        self.markup_in_title: list[str] = []
        self.levels: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_title:
            self.markup_in_title.append(tag)
        if tag == "title":
            self.in_title = True
            self.titles += 1
        elif tag in HEADINGS:
            self.levels.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif self.in_title:
            self.markup_in_title.append(f"/{tag}")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


def outline_problems(html: str) -> list[str]:
    outline = Outline()
    outline.feed(html)
    problems = []
    title = " ".join(outline.title.split())
    if outline.titles != 1 or not title:
        problems.append(f"{outline.titles} <title> elements, text {title!r}")
    if outline.markup_in_title:
        problems.append(f"markup in the <title>: {outline.markup_in_title}")
    if not title.endswith("— Alpha Sierra") or title.startswith("—"):
        problems.append(f"the title does not name the page then the portal: {title!r}")
    if "<" in title or ">" in title:
        problems.append(f"markup in the <title>: {title!r}")
    if outline.levels.count(1) != 1:
        problems.append(f"{outline.levels.count(1)} <h1>")
    elif outline.levels[0] != 1:
        problems.append(f"an <h{outline.levels[0]}> before the <h1>")
    for previous, level in zip(outline.levels, outline.levels[1:], strict=False):
        if level > previous + 1:
            problems.append(f"the headings jump from <h{previous}> to <h{level}>")
    return problems


def test_every_route_is_a_page_type_or_excluded_with_its_reason():
    covered = {route_of(page_type) for page_type in PAGE_TYPES}
    all_routes = {route for route in routes() if not route.startswith(EXCLUDED_PREFIX)}

    missing = sorted(route for route in all_routes if route not in covered and route not in EXCLUDED)
    assert missing == []
    assert sorted(set(EXCLUDED) - all_routes) == [], "exclusions of routes that no longer exist"
    assert sorted(set(EXCLUDED) & covered) == [], "a route both looked at and excluded"


def test_every_page_type_has_a_plain_title_one_h1_and_no_heading_level_skipped(cast):
    problems = []
    for url, page_type, response in pages_rendered(cast):
        if response.status_code != page_type.status:
            problems.append(f"{url} ({page_type.persona}): status {response.status_code}")
            continue
        problems += [f"{url} ({page_type.persona}): {p}" for p in outline_problems(response.content.decode())]

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<title>Accueil <h2>Annuaire</h2> — Alpha Sierra</title><h1>A</h1>", "markup in the <title>: ['h2', '/h2']"),
        ("<title>A — Alpha Sierra</title><h1>A</h1><h1>B</h1>", "2 <h1>"),
        ("<title>A — Alpha Sierra</title><h2>A</h2>", "0 <h1>"),
        ("<title>A — Alpha Sierra</title><h1>A</h1><h3>B</h3>", "the headings jump from <h1> to <h3>"),
        ("<title> — Alpha Sierra</title><h1>A</h1>", "the title does not name the page then the portal"),
    ],
)
def test_the_outline_check_sees_each_fault(html, problem):
    assert any(found.startswith(problem) for found in outline_problems(html))


def test_the_outline_check_accepts_a_sound_page():
    html = "<title>Mon compte — Alpha Sierra</title><h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2><h2>E</h2>"

    assert outline_problems(html) == []
