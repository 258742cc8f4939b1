"""One word for e-mail across the portal: the communiqué's « e-mail » (« adresse
e-mail »), never « email », « mail », « courriel » nor « adresse électronique »."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from alphasierra.tests.page_types import pages_rendered

PACKAGE = Path(__file__).resolve().parents[2]
VARIANT = re.compile(r"(?<![-\w])(e?mails?|courriels?|mél|adresses? électroniques?)(?![-\w])", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}|%\(\w+\)s|\{\w+\}|<[^>]*>")
TEMPLATE_STRING = re.compile(
    r'\{% *translate +"((?:[^"\\]|\\.)*)"'
    r"|\{% *blocktranslate[^%]*%\}(.*?)\{% *endblocktranslate *%\}",
    re.DOTALL,
)
PYTHON_STRING = re.compile(r'\b(?:_|gettext|gettext_lazy|ngettext|pgettext)\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)')


def strings_of_templates() -> list[tuple[str, str]]:
    found = []
    for path in sorted((PACKAGE / "templates").rglob("*")):
        if path.suffix in (".html", ".txt"):
            for match in TEMPLATE_STRING.finditer(path.read_text()):
                found.append((str(path.relative_to(PACKAGE)), match.group(1) or match.group(2)))
    return found


def strings_of_code() -> list[tuple[str, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for match in PYTHON_STRING.finditer(path.read_text()):
            text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1)))
            found.append((str(path.relative_to(PACKAGE)), text))
    return found


def test_the_strings_are_found():
    assert ("templates/agents/signup_sent.html", "Confirmez votre adresse e-mail") in strings_of_templates()
    assert any(text == "Adresse e-mail" for _, text in strings_of_code())


@pytest.mark.parametrize("strings", [strings_of_templates, strings_of_code])
def test_every_string_says_e_mail(strings):
    variants = [(where, text) for where, text in strings() if VARIANT.search(PLACEHOLDER.sub("", text))]

    assert variants == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Votre adresse e-mail", False),
        ("Renvoyer l'e-mail", False),
        ("Envoyé à {{ email }}", False),
        ("Envoyé à %(email)s", False),
        ("Votre email", True),
        ("reçu par mail", True),
        ("Votre courriel", True),
        ("Votre adresse électronique", True),
    ],
)
def test_the_variants_are_recognised(text, flagged):
    assert bool(VARIANT.search(PLACEHOLDER.sub("", text))) is flagged


class _VisibleText(HTMLParser):
    """The words a page shows: its text and its buttons' values, without the
    scripts, the styles and the attributes (a ``mailto:`` is not a word)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.words.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.words.append(data)


@pytest.mark.django_db
def test_every_page_type_says_e_mail_including_what_the_libraries_write(cast):
    # The portal's own strings are checked above; this reads the pages as
    # shown, where allauth's and Django's labels would say « Courriel ».
    variants = []
    for url, _page_type, response in pages_rendered(cast):
        text = _VisibleText()
        text.feed(response.content.decode())
        shown = " ".join(" ".join(text.words).split())
        variants += [f"{url}: {match.group(0)!r}" for match in VARIANT.finditer(shown)]

    assert variants == []
