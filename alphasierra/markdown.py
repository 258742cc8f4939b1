"""Markdown written by managers, shown as HTML: activities' descriptions and
each site's pages and news.

markdown-it-py renders it (CommonMark, with tables and strikethrough; raw
HTML is not interpreted), then nh3 keeps only the tags and link schemes of a
text: whatever the parser lets through, no script, style, event attribute,
iframe, or ``javascript:`` or ``data:`` address reaches a visitor's browser.

Images are allowed only where the caller names the ones it accepts (a site's
own uploads): an image from elsewhere would tell its server who opened the
page, and an image's address is where a payload would hide.
"""

from collections.abc import Mapping

import nh3
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
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and int(token.tag[1]) < heading_floor:
            token.tag = f"h{heading_floor}"
        if token.type == "inline" and token.children:
            token.children = [_image_or_text(child, allowed) for child in token.children]
    html = parser.renderer.render(tokens, parser.options, {})
    tags, attributes = TAGS, ATTRIBUTES
    if allowed:
        tags = TAGS | {"img"}
        attributes = {**ATTRIBUTES, "img": {"src", "alt"}}
    cleaned = nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        # A link leaves the portal without telling the page it came from.
        link_rel="noopener noreferrer nofollow",
        # Defence in depth: whatever reached the HTML, an image points to an allowed upload.
        attribute_filter=lambda tag, name, value: _attribute(tag, name, value, allowed),
    )
    return mark_safe(cleaned)  # noqa: S308 -- cleaned by nh3 just above


def _image_or_text(token: Token, allowed: Mapping[str, str]) -> Token:
    if token.type != "image":
        return token
    src = str(token.attrs.get("src", ""))
    if src not in allowed:
        return Token("text", "", 0, content=token.content)
    if not token.content.strip():
        token.content = allowed[src]
        token.children = [Token("text", "", 0, content=allowed[src])]
    return token


def _attribute(tag: str, name: str, value: str, allowed: Mapping[str, str]) -> str | None:
    if tag == "img" and name == "src" and value not in allowed:
        return None
    return value
