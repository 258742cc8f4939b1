"""What every page of a site shows of its content (its menu), and the links
its managers typed, made safe to put in a page."""

from urllib.parse import urlsplit

from django import template

from alphasierra.content.selectors import SiteMenu, site_menu
from alphasierra.organisations.models import Organisation

register = template.Library()

# The addresses a highlighted link may lead to; anything else (javascript:,
# data:…) is dropped, whatever the editor let through.
LINK_SCHEMES = ("http", "https", "mailto", "tel")


@register.simple_tag(name="site_menu")
def site_menu_tag(organisation: Organisation | None) -> SiteMenu | None:
    """``{% site_menu site_shown as site_menu %}``: one query, none for a page of no site."""
    if organisation is None:
        return None
    return site_menu(organisation=organisation)


@register.filter
def safe_link(url: object) -> str:
    """A path of the portal or an address of an allowed scheme; otherwise ""."""
    text = str(url or "").strip()
    if text.startswith("/") and not text.startswith("//") and "\\" not in text:
        return text
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme.lower() in LINK_SCHEMES and (parts.netloc or parts.scheme in ("mailto", "tel")) else ""


@register.filter
def is_external(url: object) -> bool:
    """Whether a link leaves the portal (it then tells the page it leaves nothing)."""
    return urlsplit(str(url or "")).scheme.lower() in ("http", "https")
