"""An activity's description: Markdown written by its managers, shown as HTML.

markdown-it-py renders it (CommonMark, with tables and strikethrough; raw
HTML is not interpreted), then nh3 keeps only the tags and link schemes of a
text: whatever the parser lets through, no script, style, event attribute or
``javascript:`` address reaches an agent's browser. Images are left out: an
image from elsewhere tells its server who opened the page.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# The page's own title is an h1 and its sections h2: a description's headings start at h3.
HEADING_FLOOR = 3

TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "hr",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def markdown_html(text: str) -> SafeString:
    """The description as sanitised HTML, safe to put in a page."""
    tokens = _parser.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and int(token.tag[1]) < HEADING_FLOOR:
            token.tag = f"h{HEADING_FLOOR}"
    html = _parser.renderer.render(tokens, _parser.options, {})
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        # A link leaves the portal without telling the page it came from.
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 -- cleaned by nh3 just above
