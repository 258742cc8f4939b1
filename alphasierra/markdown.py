"""Markdown written by managers, shown as HTML: activities' descriptions and
each site's pages and news.

markdown-it-py renders it (CommonMark, with tables and strikethrough; raw
HTML is not interpreted), then nh3 keeps only the tags and link schemes of a
text: whatever the parser lets through, no script, style, event attribute,
iframe, or ``javascript:`` or ``data:`` address reaches a visitor's browser.

Images are allowed only where the caller names the ones it accepts (a site's
own uploads): an image from elsewhere would tell its server who opened the
page, and an image's address is where a payload would hide. They come from
Markdown's ``![texte](adresse)`` only, and their ``<img>`` is built here,
after the sanitiser: no ``<img>`` of raw HTML reaches a page, whatever its
attributes.
"""

import html
import re
import secrets
from collections.abc import Mapping
from urllib.parse import unquote

import nh3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "hr",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
# Raw HTML handed to the sanitiser, which removes what it does not allow
# (a script with its content, an event attribute) instead of showing it as text.
_parser_html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def markdown_html(
    text: str, *, heading_floor: int = 3, images: Mapping[str, str] | None = None, raw_html: bool = False
) -> SafeString:
    """``text`` as sanitised HTML, safe to put in a page.

    Headings start at ``heading_floor`` (the page's own title and sections sit
    above them). ``images`` maps the image addresses allowed to their
    alternative text, used when the writer gave none; any other image is shown
    as its alternative text only. With ``raw_html``, HTML in the text is
    kept where the sanitiser allows it and removed elsewhere; without it, it
    is shown as text."""
    allowed = images or {}
    parser = _parser_html if raw_html else _parser
    tokens = parser.parse(text or "")
    # Each allowed image stands as a placeholder through the sanitiser, then
    # becomes the <img> built here. The placeholder holds a secret drawn for
    # this rendering: a writer cannot type one.
    shown: list[SafeString] = []
    secret = secrets.token_hex(16)
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and int(token.tag[1]) < heading_floor:
            token.tag = f"h{heading_floor}"
        if token.type in ("th_open", "td_open") and token.attrs.get("style"):
            # A column's alignment, as an attribute: the portal's policy refuses inline styles.
            token.attrs = {"align": str(token.attrs["style"]).removeprefix("text-align:")}
        if token.type == "inline" and token.children:
            token.children = [_image_or_text(child, allowed, shown, secret) for child in token.children]
    rendered = parser.renderer.render(tokens, parser.options, {})
    cleaned = nh3.clean(
        rendered,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        # A link leaves the portal without telling the page it came from.
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_attribute,
    )
    for index, element in enumerate(shown):
        cleaned = cleaned.replace(_placeholder(secret, index), element)
    return mark_safe(cleaned)  # noqa: S308 -- cleaned by nh3 just above; the images built with format_html


def _placeholder(secret: str, index: int) -> str:
    return f"img{secret}n{index}end"


def _image_or_text(token: Token, allowed: Mapping[str, str], shown: list[SafeString], secret: str) -> Token:
    if token.type != "image":
        return token
    src = str(token.attrs.get("src", ""))
    if src not in allowed:
        return Token("text", "", 0, content=token.content)
    alt = _plain_text(token.children or []).strip() or allowed[src]
    shown.append(format_html('<img src="{}" alt="{}">', src, alt))
    return Token("text", "", 0, content=_placeholder(secret, len(shown) - 1))


def _plain_text(tokens: list[Token]) -> str:
    """An image's description as text (« ![le **car** du CLAS](…) » → « le car du CLAS »)."""
    parts = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_plain_text(token.children))
    return "".join(parts)


# What browsers skip in an address before reading its scheme (spaces and
# control characters), and invisible characters and the replacement of a NUL
# besides: removed before the scheme is read, so that none hides one.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff\ufffd]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Defence in depth on links: an address whose scheme is not allowed once
    its entities and %-escapes are decoded and what a browser skips is
    removed (``jav&#x09;ascript:``, ``jav%09ascript:``) is dropped, even
    where the browser would have read it as a harmless relative address."""
    if name == "href":
        decoded = _IGNORED_IN_URL.sub("", unquote(html.unescape(value)))
        scheme = _SCHEME.match(decoded)
        if scheme is not None and scheme.group(1).lower() not in URL_SCHEMES:
            return None
    return value
