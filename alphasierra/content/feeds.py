"""A site's news as an Atom 1.0 feed (RFC 4287), with absolute links: a feed
is read outside the portal, by readers that know no page to resolve a path
against."""

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from alphasierra.content.models import NewsItem, page_url
from alphasierra.organisations.models import Organisation

# A path of the portal in an attribute of the stored HTML (not "//host", which
# already names its host).
_PORTAL_PATH = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute(path: str) -> str:
    return f"{settings.PORTAL_URL}{path}"


def absolute_html(html: str) -> str:
    """The stored HTML with its links and images to the portal made absolute."""
    return _PORTAL_PATH.sub(lambda match: f"{match.group(1)}{settings.PORTAL_URL}/", html)


def tag_uri(link: str, created: datetime) -> str:
    """An entry's lasting identity (RFC 4151): its address when it was
    created, whatever its title or date become."""
    parts = urlsplit(link)
    return f"tag:{parts.hostname},{created:%Y-%m-%d}:{parts.path}"


class NewsFeed(Atom1Feed):
    """Django's Atom feed, each entry carrying the news item's whole text."""

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


def news_feed(*, organisation: Organisation, items: list[NewsItem]) -> NewsFeed:
    """The feed of these news items of the site, newest first (the news list's first page)."""
    feed = NewsFeed(
        title=_("Actualités — %(site)s") % {"site": organisation.name},
        link=absolute(page_url(organisation, "content:news-list")),
        description="",
        # What managers write is French, whatever language the reader browses in.
        language="fr",
        author_name=organisation.name,
        author_link=absolute(organisation.get_absolute_url()),
        feed_url=absolute(page_url(organisation, "content:news-feed")),
    )
    for news in items:
        link = absolute(news.get_absolute_url())
        # A scheduled item is updated no earlier than it appears.
        updated = max(news.publish_on, news.updated_at or news.publish_on)
        feed.add_item(
            title=news.title,
            link=link,
            # The summary is plain text, the element's type "html": escaped once more.
            description=escape(news.summary),
            pubdate=news.publish_on,
            updateddate=updated,
            unique_id=tag_uri(link, news.created_at),
            content_html=absolute_html(news.body_html),
        )
    return feed
